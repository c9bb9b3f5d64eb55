package org.iotbackbone.servers.netlab;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.zip.CRC32;

/**
 * The names of a lab's namespaces and interfaces. They are derived from the lab's name alone, so
 * that a later run finds and removes what a crashed run of the same lab left behind. Linux names an
 * interface in at most 15 characters ({@code IFNAMSIZ} 16 with the NUL); the one interface in the
 * root namespace is {@code nl-LAB}, the others live in the lab's namespaces, where they cannot
 * clash with anything.
 */
final class LabNames {

  static final int MAX_INTERFACE_NAME = 15;
  static final String PREFIX = "nl-";
  static final int LAB_LENGTH = 8;
  static final int PART_LENGTH = 12;

  /** The host's end of its link, in the host's namespace. */
  static final String HOST_DEVICE = "lab0";

  /** The switch's end of the root's link, in the switch namespace. */
  static final String UPLINK_PORT = "uplink";

  static final String BRIDGE = "br0";

  private final String lab;

  LabNames(String labName) {
    this.lab = shorten(labName, LAB_LENGTH);
  }

  String lab() {
    return lab;
  }

  /** Every namespace of this lab starts with this; no other lab's does. */
  String namespacePrefix() {
    return PREFIX + lab + "-";
  }

  String switchNamespace() {
    return namespacePrefix() + "sw";
  }

  String hostNamespace(String part) {
    return namespacePrefix() + "h-" + shorten(part, PART_LENGTH);
  }

  /** The root namespace's end of the link to the switch. */
  String rootDevice() {
    return PREFIX + lab;
  }

  /** The switch's port to the host of that index. */
  static String switchPort(int hostIndex) {
    return "p" + hostIndex;
  }

  /**
   * Lower-case letters and digits, at most {@code max} of them; a longer name keeps its start and
   * ends in 4 hex digits of a checksum of the whole, so that two long names that share a start stay
   * apart and the same name always gives the same result. Two names that differ only in case or
   * punctuation give the same result: the lab refuses the second.
   */
  static String shorten(String name, int max) {
    if (max < 6) {
      throw new IllegalArgumentException("too short to keep names apart: " + max);
    }
    String clean = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    if (clean.isEmpty()) {
      throw new IllegalArgumentException("a name needs a letter or a digit: '" + name + "'");
    }
    if (clean.length() <= max) {
      return clean;
    }
    CRC32 crc = new CRC32();
    crc.update(name.getBytes(StandardCharsets.UTF_8));
    String hash = String.format(Locale.ROOT, "%04x", crc.getValue() & 0xffff);
    return clean.substring(0, Math.min(clean.length(), max - 4)) + hash;
  }
}
