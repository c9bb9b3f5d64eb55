package org.iotbackbone.simulator.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How many devices one source address ({@code --source-addresses}) takes before connecting slows
 * down. A device bound to a source address binds it with port 0 before it connects, and Linux gives
 * such a bind the odd ports of {@code ip_local_port_range} first (it leaves the even ones to {@code
 * connect()}). Once an address's odd ports are all taken, every bind walks all of them, a lock and
 * a lookup each, before it tries an even one: on 2026-12-07 a bind on an address holding 15,600
 * connections took 63 ms, on an unused address 29 µs, and the 250,000-device ramp on 16 addresses
 * fell from 300 connects a second to 30-50 at about 221,000 devices (13,800 an address).
 */
public final class SourcePorts {

  private static final Path PORT_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");

  private SourcePorts() {}

  /** {@link #warning(int, int, Path)} against this machine's port range. */
  public static Optional<String> warning(int devices, int addresses) {
    return warning(devices, addresses, PORT_RANGE);
  }

  /**
   * What to tell the user when {@code devices} spread over {@code addresses} source addresses give
   * an address more devices than the range has odd ports; empty when they fit, when no source
   * address is given (the kernel's own {@code connect()} then chooses ports by the whole address
   * pair, without this search), or when the range cannot be read (not Linux, or not two numbers): a
   * warning never stops a run.
   */
  static Optional<String> warning(int devices, int addresses, Path portRange) {
    if (addresses == 0) {
      return Optional.empty();
    }
    int low;
    int high;
    // A line reader, not Files.readString: a /proc file has size 0, and readString gets only its
    // first byte.
    try (BufferedReader in = Files.newBufferedReader(portRange, StandardCharsets.US_ASCII)) {
      String line = in.readLine();
      String[] bounds = line == null ? new String[0] : line.trim().split("\\s+");
      if (bounds.length != 2) {
        return Optional.empty();
      }
      low = Integer.parseInt(bounds[0]);
      high = Integer.parseInt(bounds[1]);
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
    int oddPorts = (high - low + 1) / 2;
    int perAddress = (devices + addresses - 1) / addresses;
    if (perAddress <= oddPorts) {
      return Optional.empty();
    }
    return Optional.of(
        String.format(
            "%,d devices on %d source addresses is %,d an address, more than the %,d odd ports of"
                + " ip_local_port_range (%d-%d) that Linux tries first for a bound connection:"
                + " past them every connect's bind searches them all, and the ramp slows to tens"
                + " of connects a second. Give at least %d addresses.",
            devices,
            addresses,
            perAddress,
            oddPorts,
            low,
            high,
            (devices + oddPorts - 1) / oddPorts));
  }
}
