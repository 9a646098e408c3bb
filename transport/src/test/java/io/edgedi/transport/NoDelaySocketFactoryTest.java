package io.edgedi.transport;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Test;

class NoDelaySocketFactoryTest {

  @Test
  void unconnectedSocketAsPahoUsesItHasNoDelay() throws Exception {
    try (Socket socket = NoDelaySocketFactory.instance().createSocket()) {
      assertTrue(socket.getTcpNoDelay());
    }
  }

  @Test
  void connectedSocketsHaveNoDelay() throws Exception {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    try (ServerSocket server = new ServerSocket(0, 1, loopback);
        Socket byAddress =
            NoDelaySocketFactory.instance().createSocket(loopback, server.getLocalPort());
        Socket byName =
            NoDelaySocketFactory.instance()
                .createSocket(loopback.getHostAddress(), server.getLocalPort())) {
      assertTrue(byAddress.getTcpNoDelay());
      assertTrue(byName.getTcpNoDelay());
    }
  }
}
