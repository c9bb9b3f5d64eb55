package org.iotbackbone.localstack.internal.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Randomness for the fuzzer. Every input has a {@link Random} of its own, derived from the run's
 * seed, its door and its number: an input can be replayed alone ({@code seed}, door, number) and
 * the doors may run concurrently without changing what any of them sends.
 */
final class Inputs {

  private static final String ID_CHARS =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
  private static final String[] ODD =
      new String[] {
        " ", "/", "+", "#", "$", "é", "ü", "日本", "\u200b", "..", "%", "\\", "\"", "'", "{", "}",
        "😀", "a b", "~", "*", "?", "&", "=", ":", ";", ",", "<", ">", "\u00a0"
      };

  private Inputs() {}

  /** The generator of input {@code n} of {@code door} in the run of {@code seed}. */
  static Random forInput(long seed, String door, long n) {
    long mixed = seed * 0x9E3779B97F4A7C15L + door.hashCode() * 0xC2B2AE3D27D4EB4FL + n;
    mixed ^= mixed >>> 33;
    mixed *= 0xFF51AFD7ED558CCDL;
    mixed ^= mixed >>> 33;
    return new Random(mixed);
  }

  /** {@code length} characters of a device id's alphabet. */
  static String idChars(Random random, int length) {
    StringBuilder out = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      out.append(ID_CHARS.charAt(random.nextInt(ID_CHARS.length())));
    }
    return out.toString();
  }

  /** A segment that breaks an id or topic rule: odd characters, too long, or empty. */
  static String badSegment(Random random) {
    return switch (random.nextInt(4)) {
      case 0 -> "";
      case 1 -> idChars(random, 65 + random.nextInt(200));
      case 2 -> idChars(random, 1 + random.nextInt(5)) + ODD[random.nextInt(ODD.length)];
      default -> text(random, 1 + random.nextInt(20));
    };
  }

  /** Valid UTF-16 text (no lone surrogates, no NUL) with a fair share of non-ASCII. */
  static String text(Random random, int length) {
    StringBuilder out = new StringBuilder(length);
    while (out.length() < length) {
      int kind = random.nextInt(10);
      if (kind < 6) {
        out.append((char) (0x20 + random.nextInt(0x5f)));
      } else if (kind < 8) {
        out.append(ODD[random.nextInt(ODD.length)]);
      } else if (kind < 9) {
        out.append((char) (0xA0 + random.nextInt(0xD000 - 0xA0)));
      } else {
        out.appendCodePoint(0x10000 + random.nextInt(0x1000));
      }
    }
    return out.toString();
  }

  /**
   * Text with a control character (U+0001-U+001F, U+007F-U+009F): MQTT says a UTF-8 string SHOULD
   * NOT hold one and lets the receiver close the connection, as Mosquitto does.
   */
  static String withControl(Random random, String text) {
    int at = random.nextInt(text.length() + 1);
    char control =
        random.nextBoolean()
            ? (char) (1 + random.nextInt(0x1f))
            : (char) (0x7f + random.nextInt(0x21));
    return text.substring(0, at) + control + text.substring(at);
  }

  static byte[] bytes(Random random, int length) {
    byte[] out = new byte[length];
    random.nextBytes(out);
    return out;
  }

  /** A size from a spread that reaches both zero and {@code over} a cap. */
  static int size(Random random, int cap) {
    int kind = random.nextInt(100);
    if (kind < 5) {
      return 0;
    } else if (kind < 65) {
      return 1 + random.nextInt(256);
    } else if (kind < 95) {
      return 1 + random.nextInt(8192);
    } else if (kind < 98) {
      return Math.max(0, cap - 16 + random.nextInt(32)); // at the cap, either side
    }
    return cap + 1 + random.nextInt(cap); // over it
  }

  /** JSON nested {@code depth} levels deep, objects and arrays mixed. */
  static String deepJson(Random random, int depth) {
    StringBuilder open = new StringBuilder();
    StringBuilder close = new StringBuilder();
    for (int i = 0; i < depth; i++) {
      if (random.nextBoolean()) {
        open.append("{\"k").append(i).append("\":");
        close.insert(0, '}');
      } else {
        open.append('[');
        close.insert(0, ']');
      }
    }
    return open + "1" + close;
  }

  /** A document that is not JSON, or not quite. */
  static String badJson(Random random) {
    String[] shapes = {
      "{",
      "}",
      "{\"state\":",
      "{\"state\":{\"reported\":{\"a\":1}}",
      "[1,2",
      "nul",
      "{'a':1}",
      "{\"a\":1}{\"b\":2}",
      "{\"a\":NaN}",
      "{\"a\":01}",
      "\"unterminated",
      "{\"a\":1,}",
      "{,}",
      "{\"state\":{\"reported\":{\"a\":\"\\uZZZZ\"}}}",
      "<xml/>",
      "tru",
      "{\"a\" 1}"
    };
    String shape = shapes[random.nextInt(shapes.length)];
    return random.nextInt(4) == 0 ? shape + text(random, random.nextInt(40)) : shape;
  }

  /** A shadow request document, valid or one of the ways the contract says it is refused. */
  static String shadowDocument(Random random) {
    String token = random.nextInt(3) == 0 ? ",\"clientToken\":\"" + clientToken(random) + "\"" : "";
    String version = random.nextInt(5) == 0 ? ",\"version\":" + versionValue(random) : "";
    return switch (random.nextInt(12)) {
      case 0 ->
          "{\"state\":{\"reported\":"
              + leaves(random, 1 + random.nextInt(8))
              + "}"
              + token
              + version
              + "}";
      case 1 ->
          "{\"state\":{\"desired\":"
              + leaves(random, 1 + random.nextInt(8))
              + "}"
              + token
              + version
              + "}";
      case 2 -> "{\"state\":{\"reported\":" + deepJson(random, 1 + random.nextInt(12)) + "}}";
      case 3 -> "{\"state\":" + scalar(random) + "}";
      case 4 -> "{\"state\":{\"desired\":" + scalar(random) + "}}";
      case 5 -> "{}";
      case 6 ->
          "{\"state\":{\"reported\":{\"big\":\"" + "x".repeat(random.nextInt(12_000)) + "\"}}}";
      case 7 -> "{\"state\":{\"reported\":null,\"desired\":null}}";
      case 8 -> deepJson(random, 1 + random.nextInt(300));
      case 9 -> "[" + scalar(random) + "]";
      case 10 -> scalar(random);
      default ->
          "{\"state\":{\"reported\":{\""
              + text(random, 1 + random.nextInt(10)).replace("\\", "").replace("\"", "")
              + "\":"
              + scalar(random)
              + "}}"
              + token
              + "}";
    };
  }

  private static String clientToken(Random random) {
    return idChars(
        random, random.nextInt(4) == 0 ? 65 + random.nextInt(100) : 1 + random.nextInt(64));
  }

  private static String versionValue(Random random) {
    String[] values = {"1", "0", "-1", "99999999999999999999", "\"1\"", "1.5", "null", "{}"};
    return values[random.nextInt(values.length)];
  }

  private static String leaves(Random random, int count) {
    StringBuilder out = new StringBuilder("{");
    for (int i = 0; i < count; i++) {
      if (i > 0) {
        out.append(',');
      }
      out.append("\"l").append(random.nextInt(20)).append("\":").append(scalar(random));
    }
    return out.append('}').toString();
  }

  static String scalar(Random random) {
    return switch (random.nextInt(8)) {
      case 0 -> "null";
      case 1 -> "true";
      case 2 -> Integer.toString(random.nextInt());
      case 3 -> Double.toString(random.nextGaussian() * 1e6);
      case 4 -> "[1,\"a\",null]";
      case 5 -> "{\"n\":" + random.nextInt(100) + "}";
      case 6 -> "1e400";
      default -> "\"" + idChars(random, random.nextInt(30)) + "\"";
    };
  }

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** Bytes that are not UTF-8 (a lone continuation byte, an overlong form, a surrogate). */
  static byte[] notUtf8(Random random) {
    byte[][] bad = {
      {(byte) 0x80},
      {(byte) 0xC0, (byte) 0xAF},
      {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
      {(byte) 0xFF},
      {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}
    };
    byte[] prefix = utf8("{\"state\":{\"reported\":{\"a\":\"");
    byte[] b = bad[random.nextInt(bad.length)];
    byte[] suffix = utf8("\"}}}");
    byte[] out = new byte[prefix.length + b.length + suffix.length];
    System.arraycopy(prefix, 0, out, 0, prefix.length);
    System.arraycopy(b, 0, out, prefix.length, b.length);
    System.arraycopy(suffix, 0, out, prefix.length + b.length, suffix.length);
    return out;
  }
}
