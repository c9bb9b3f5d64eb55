package org.iotbackbone.streamsapp.internal.auth;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The devices a token is limited to: one or more globs separated by spaces, {@code *} standing for
 * any run of device-id characters ({@code speaker-*}, {@code lamp-1 lamp-2}). A device id is 1 to
 * 64 characters of {@code [A-Za-z0-9_-]}, so a glob is made of those and {@code *} only: nothing in
 * it can be read as a regular expression.
 */
public final class DevicePattern {

  /** Matches every device: a token without the claim. */
  public static final DevicePattern ANY = new DevicePattern("*", List.of());

  private static final Pattern GLOB = Pattern.compile("[A-Za-z0-9_*-]{1,64}");

  private final String text;
  private final List<Pattern> globs;

  private DevicePattern(String text, List<Pattern> globs) {
    this.text = text;
    this.globs = globs;
  }

  /**
   * The pattern of a claim's value.
   *
   * @throws IllegalArgumentException when a glob has other characters or the value is blank
   */
  public static DevicePattern parse(String value) {
    String[] parts = value.trim().split(" +");
    if (value.isBlank()) {
      throw new IllegalArgumentException("an empty device pattern");
    }
    List<Pattern> globs = new java.util.ArrayList<>();
    for (String part : parts) {
      if (!GLOB.matcher(part).matches()) {
        throw new IllegalArgumentException(
            "a device pattern is globs of [A-Za-z0-9_-] and *, separated by spaces");
      }
      if (part.equals("*")) {
        return ANY;
      }
      globs.add(Pattern.compile(part.replace("*", "[A-Za-z0-9_-]*")));
    }
    return new DevicePattern(value.trim(), List.copyOf(globs));
  }

  /** Whether the device is one of the pattern's. */
  public boolean matches(String deviceId) {
    if (globs.isEmpty()) {
      return true;
    }
    for (Pattern glob : globs) {
      if (glob.matcher(deviceId).matches()) {
        return true;
      }
    }
    return false;
  }

  /** Whether every device matches (no limit). */
  public boolean isAny() {
    return globs.isEmpty();
  }

  @Override
  public String toString() {
    return text;
  }
}
