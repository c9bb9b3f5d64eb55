package org.iotbackbone.servers.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/** Free TCP ports on loopback, never the same one twice in one JVM. */
public final class Ports {

  private static final Set<Integer> HANDED_OUT = new HashSet<>();

  private Ports() {}

  /**
   * A port that was free on 127.0.0.1 a moment ago. A server binds it later, so another process may
   * take it in between; the set of ports handed out keeps two servers of this JVM apart.
   */
  public static synchronized int free() {
    for (int attempt = 0; attempt < 100; attempt++) {
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        int port = socket.getLocalPort();
        if (HANDED_OUT.add(port)) {
          return port;
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot find a free port on loopback", e);
      }
    }
    throw new IllegalStateException("no free port on loopback after 100 attempts");
  }
}
