package org.iotbackbone.servers.netlab;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Chooses a lab's /24 in {@code 10.231.0.0/16}: one that overlaps no address and no route already
 * on the machine, so the lab's route in the root namespace takes no traffic from anything else.
 */
final class Subnets {

  static final String BASE = "10.231.";
  private static final Pattern IPV4_CIDR =
      Pattern.compile("\\b(\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3})(?:/(\\d{1,2}))?\\b");

  private Subnets() {}

  /** The network of {@code 10.231.K.0/24}. */
  static String cidr(int k) {
    return BASE + k + ".0/24";
  }

  /** The {@code n}th address of {@code 10.231.K.0/24} (1 the root's, 2.. the hosts'). */
  static String address(int k, int n) {
    return BASE + k + "." + n;
  }

  /**
   * The first {@code K}, trying {@code preferred} first and then on, whose {@code 10.231.K.0/24}
   * overlaps none of the networks in use; -1 when all 256 do.
   */
  static int choose(List<String> inUse, int preferred) {
    for (int i = 0; i < 256; i++) {
      int k = Math.floorMod(preferred + i, 256);
      String candidate = cidr(k);
      if (inUse.stream().noneMatch(used -> overlap(used, candidate))) {
        return k;
      }
    }
    return -1;
  }

  /**
   * The IPv4 networks of the lines of {@code ip -4 -o addr} ({@code inet A.B.C.D/N}) and of {@code
   * ip -4 route} (the destination, first on a line; {@code default} is not one).
   */
  static List<String> networksInUse(String ipAddrOutput, String ipRouteOutput) {
    List<String> networks = new ArrayList<>();
    Pattern inet = Pattern.compile("\\binet (\\S+)");
    for (String line : ipAddrOutput.split("\n")) {
      Matcher m = inet.matcher(line);
      if (m.find() && IPV4_CIDR.matcher(m.group(1)).matches()) {
        networks.add(m.group(1));
      }
    }
    for (String line : ipRouteOutput.split("\n")) {
      String[] words = line.trim().split("\\s+");
      int first = words.length > 1 && isRouteType(words[0]) ? 1 : 0;
      if (words.length > first && IPV4_CIDR.matcher(words[first]).matches()) {
        networks.add(words[first]);
      }
    }
    return networks;
  }

  private static boolean isRouteType(String word) {
    return List.of(
            "unicast",
            "local",
            "broadcast",
            "multicast",
            "blackhole",
            "unreachable",
            "prohibit",
            "throw",
            "nat",
            "anycast")
        .contains(word);
  }

  /** Whether two networks ({@code A.B.C.D/N}, or an address alone: /32) share an address. */
  static boolean overlap(String a, String b) {
    long[] x = parse(a);
    long[] y = parse(b);
    int prefix = (int) Math.min(x[1], y[1]);
    long mask = prefix == 0 ? 0 : (0xffffffffL << (32 - prefix)) & 0xffffffffL;
    return (x[0] & mask) == (y[0] & mask);
  }

  private static long[] parse(String cidr) {
    Matcher m = IPV4_CIDR.matcher(cidr.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("not an IPv4 network: " + cidr);
    }
    long value = 0;
    for (String octet : m.group(1).split("\\.")) {
      int n = Integer.parseInt(octet);
      if (n > 255) {
        throw new IllegalArgumentException("not an IPv4 network: " + cidr);
      }
      value = (value << 8) | n;
    }
    int prefix = m.group(2) == null ? 32 : Integer.parseInt(m.group(2));
    if (prefix > 32) {
      throw new IllegalArgumentException("not an IPv4 network: " + cidr);
    }
    return new long[] {value, prefix};
  }
}
