package org.iotbackbone.localstack.internal.chaos;

import java.io.IOException;
import java.time.Duration;
import java.util.Locale;

/**
 * One fault injected into one part for a while, then healed: {@link Kind#KILL} ({@code kill -9},
 * down for the duration, then started again on the same ports and data) or {@link Kind#PAUSE}
 * ({@code SIGSTOP} for the duration, then {@code SIGCONT}: a hung process that keeps its sockets).
 *
 * @param kind what is done to the part
 * @param target the part's name in the stack ({@code kafka}, {@code ingest-bridge}, ...)
 * @param duration how long the part stays down or frozen
 */
public record Fault(Kind kind, String target, Duration duration) {

  /** The faults a part can be given. */
  public enum Kind {
    KILL,
    PAUSE
  }

  public Fault {
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("a fault lasts some time: " + duration);
    }
  }

  /**
   * A fault written as {@code KIND:PART:SECONDS} ({@code kill:kafka:10}), as {@code ./iot chaos
   * --fault} takes it.
   */
  public static Fault parse(String text) {
    String[] fields = text.split(":");
    if (fields.length != 3) {
      throw new IllegalArgumentException(
          "a fault is KIND:PART:SECONDS (such as kill:kafka:10), not '" + text + "'");
    }
    Kind kind;
    try {
      kind = Kind.valueOf(fields[0].toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown fault kind '" + fields[0] + "' in '" + text + "': kill or pause");
    }
    long seconds;
    try {
      seconds = Long.parseLong(fields[2]);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a number of seconds: '" + fields[2] + "'");
    }
    if (seconds < 1 || seconds > 3600) {
      throw new IllegalArgumentException("seconds must be from 1 to 3600: '" + text + "'");
    }
    return new Fault(kind, fields[1], Duration.ofSeconds(seconds));
  }

  /** Injects the fault. */
  void inject(Target part) {
    switch (kind) {
      case KILL -> part.kill();
      case PAUSE -> part.pause();
    }
  }

  /** Ends it: the part runs again (it still has to become healthy). */
  void heal(Target part) throws IOException {
    switch (kind) {
      case KILL -> part.restart();
      case PAUSE -> part.resume();
    }
  }

  /** {@code kill:kafka:10}: what {@link #parse} reads. */
  public String slug() {
    return kind.name().toLowerCase(Locale.ROOT) + ":" + target + ":" + duration.toSeconds();
  }

  /** For people: {@code kill -9 kafka, down 10 s}. */
  public String label() {
    return switch (kind) {
          case KILL -> "kill -9 " + target + ", down ";
          case PAUSE -> "SIGSTOP " + target + " for ";
        }
        + duration.toSeconds()
        + " s";
  }
}
