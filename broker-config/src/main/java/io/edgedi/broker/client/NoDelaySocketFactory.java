package io.edgedi.broker.client;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import javax.net.SocketFactory;

/**
 * Plain TCP sockets with {@code TCP_NODELAY} on. Paho does not set it, and with Nagle's algorithm
 * a 40 KB QoS 1 message took ~46 ms median instead of ~1.6 ms on loopback. Give it to every MQTT
 * client: {@code options.setSocketFactory(NoDelaySocketFactory.instance())}.
 *
 * <p>For TLS ({@code ssl://}) Paho needs an SSLSocketFactory; this class covers {@code tcp://} only.
 * Thread-safe: stateless.
 */
public final class NoDelaySocketFactory extends SocketFactory {

    private static final NoDelaySocketFactory INSTANCE = new NoDelaySocketFactory();

    public static NoDelaySocketFactory instance() {
        return INSTANCE;
    }

    /** Paho's TCP module takes this unconnected socket and connects it itself. */
    @Override
    public Socket createSocket() throws IOException {
        return noDelay(new Socket());
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return noDelay(new Socket(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return noDelay(new Socket(host, port, localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return noDelay(new Socket(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        return noDelay(new Socket(address, port, localAddress, localPort));
    }

    private static Socket noDelay(Socket socket) throws IOException {
        try {
            socket.setTcpNoDelay(true);
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }
}
