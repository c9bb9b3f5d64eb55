package org.iotbackbone.servers.netlab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

/**
 * Measures round trips to an {@link EchoServer}: {@code EchoProbe ADDRESS PORT ROUNDS TIMEOUT_MS},
 * in the calling JVM or (its {@code main}) in a child JVM in a host's namespace. The answer is
 * {@code RTT_MS median} or {@code TIMEOUT}; a refused connect is {@code REFUSED}.
 */
public final class EchoProbe {

  private EchoProbe() {}

  public static void main(String[] args) {
    System.out.println(
        probe(
            args[0],
            Integer.parseInt(args[1]),
            Integer.parseInt(args[2]),
            Duration.ofMillis(Long.parseLong(args[3]))));
  }

  /** The median round trip, in milliseconds, as {@code RTT_MS 12.3}; or why there is none. */
  public static String probe(String address, int port, int rounds, Duration timeout) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(address, port), (int) timeout.toMillis());
      socket.setTcpNoDelay(true);
      socket.setSoTimeout((int) timeout.toMillis());
      OutputStream out = socket.getOutputStream();
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      double[] millis = new double[rounds];
      for (int i = 0; i < rounds; i++) {
        long start = System.nanoTime();
        out.write(("ping " + i + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        String line = in.readLine();
        if (line == null) {
          return "CLOSED";
        }
        millis[i] = (System.nanoTime() - start) / 1e6;
      }
      Arrays.sort(millis);
      return "RTT_MS " + millis[rounds / 2];
    } catch (SocketTimeoutException e) {
      return "TIMEOUT";
    } catch (java.net.NoRouteToHostException e) {
      return "UNREACHABLE";
    } catch (java.net.ConnectException e) {
      return e.getMessage().contains("timed out") ? "TIMEOUT" : "REFUSED " + e.getMessage();
    } catch (IOException e) {
      return "ERROR " + e;
    }
  }
}
