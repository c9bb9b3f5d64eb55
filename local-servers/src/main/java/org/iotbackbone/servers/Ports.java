package org.iotbackbone.servers;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/** Free TCP ports on loopback, never the same one twice in one JVM. */
public final class Ports {

  /** Where Linux keeps the range it takes the source ports of outgoing connections from. */
  private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");

  /** The lowest port handed out: above the well-known and most registered services' ports. */
  private static final int LOWEST = 10_000;

  private static final Set<Integer> HANDED_OUT = new HashSet<>();

  private Ports() {}

  /**
   * A port that was free on 127.0.0.1 a moment ago. A server binds it later, so another process may
   * take it in between; the set of ports handed out keeps two servers of this JVM apart.
   *
   * <p>The port is below the kernel's ephemeral range when there is room there. A port inside that
   * range can be taken in the meantime as the source port of any outgoing connection on the
   * machine: with a Kafka Connect worker's clients and a 100,000-device simulator connecting, the
   * bridge of {@code ./iot up} once found its HTTP port so taken ("Address already in use").
   */
  public static synchronized int free() {
    int below = ephemeralLow();
    if (below - LOWEST >= 1_000) {
      int span = below - LOWEST;
      int start = ThreadLocalRandom.current().nextInt(span);
      for (int i = 0; i < span; i++) {
        int port = LOWEST + (start + i) % span;
        if (!HANDED_OUT.contains(port) && bindable(port)) {
          HANDED_OUT.add(port);
          return port;
        }
      }
    }
    return anyEphemeral();
  }

  private static boolean bindable(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      // No SO_REUSEADDR: a port with connections in TIME_WAIT is not taken either.
      socket.setReuseAddress(false);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int anyEphemeral() {
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

  /** The low end of the ephemeral range, or 0 when it cannot be read (not Linux). */
  static int ephemeralLow() {
    // A reader, not Files.readString: /proc files report size 0, and readString returned "3" of
    // "32768\t60999" on this JDK.
    try (BufferedReader reader = Files.newBufferedReader(EPHEMERAL_RANGE)) {
      String[] range = reader.readLine().trim().split("\\s+");
      return Integer.parseInt(range[0]);
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }
}
