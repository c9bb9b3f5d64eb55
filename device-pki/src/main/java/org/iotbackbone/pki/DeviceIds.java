package org.iotbackbone.pki;

import java.util.Set;

/**
 * What a device id may be (docs/design.md): 1 to 64 characters of {@code [A-Za-z0-9_-]}, so that it
 * is one MQTT topic level (no {@code /}, {@code +} or {@code #}), a client id, a certificate CN and
 * a file name at once. The back-end's own identities ({@link #RESERVED}) cannot be device ids: a
 * device called {@code iot-backend} would get the bridge's rights.
 */
public final class DeviceIds {

  /** Names of back-end service identities, never issued to a device. */
  public static final Set<String> RESERVED = Set.of("iot-backend");

  /** The longest device id. */
  public static final int MAX_LENGTH = 64;

  private DeviceIds() {}

  /**
   * Checks {@code id}.
   *
   * @throws IllegalArgumentException saying what is wrong with it, naming it
   */
  public static void check(String id) {
    checkName(id, "device id");
    if (RESERVED.contains(id)) {
      throw new IllegalArgumentException(
          "device id '" + id + "' is reserved for a back-end service identity");
    }
  }

  /** The same rule without the reserved names, for service identities ({@code what} names it). */
  static void checkName(String id, String what) {
    if (id == null || id.isEmpty()) {
      throw new IllegalArgumentException(what + " is empty: it is 1 to 64 of [A-Za-z0-9_-]");
    }
    if (id.length() > MAX_LENGTH) {
      throw new IllegalArgumentException(
          what + " '" + id + "' has " + id.length() + " characters, at most 64");
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      boolean allowed =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '_'
              || c == '-';
      if (!allowed) {
        throw new IllegalArgumentException(
            what
                + " '"
                + id
                + "' has "
                + (Character.isWhitespace(c) ? "a space" : "'" + c + "'")
                + " at position "
                + (i + 1)
                + ": it is 1 to 64 of [A-Za-z0-9_-]");
      }
    }
  }
}
