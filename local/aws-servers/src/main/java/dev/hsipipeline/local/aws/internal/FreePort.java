package dev.hsipipeline.local.aws.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Picks a free port so queue URLs can name the real port (ElasticMQ fixes them at start). */
public final class FreePort {
  private FreePort() {}

  /**
   * @throws IllegalStateException naming the host when no port can be bound
   */
  public static int find(String host) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(host, 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free port on " + host + ": " + e.getMessage(), e);
    }
  }
}
