package io.edgedi.transport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import javax.net.SocketFactory;

/**
 * Plain TCP sockets with TCP_NODELAY. Paho leaves Nagle's algorithm on, which delays a 40 KB QoS 1
 * message to ~46 ms median on loopback instead of ~1.6 ms (measured here).
 */
public final class NoDelaySocketFactory extends SocketFactory {
  private static final NoDelaySocketFactory INSTANCE = new NoDelaySocketFactory();

  public static NoDelaySocketFactory instance() {
    return INSTANCE;
  }

  private static Socket tune(Socket s) throws IOException {
    s.setTcpNoDelay(true);
    return s;
  }

  @Override
  public Socket createSocket() throws IOException {
    return tune(new Socket());
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    return tune(new Socket(host, port));
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress local, int localPort)
      throws IOException {
    return tune(new Socket(host, port, local, localPort));
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    return tune(new Socket(host, port));
  }

  @Override
  public Socket createSocket(InetAddress host, int port, InetAddress local, int localPort)
      throws IOException {
    return tune(new Socket(host, port, local, localPort));
  }
}
