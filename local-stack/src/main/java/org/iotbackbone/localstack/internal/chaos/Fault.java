package org.iotbackbone.localstack.internal.chaos;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * One fault injected for a while, then healed. Into a part's process: {@link Kind#KILL} ({@code
 * kill -9}, down for the duration, then started again on the same ports and data) or {@link
 * Kind#PAUSE} ({@code SIGSTOP} for the duration, then {@code SIGCONT}: a hung process that keeps
 * its sockets). Into the network, when the parts run in a network lab: {@link Kind#PARTITION}
 * (nothing passes), {@link Kind#LOSS} ({@code amount} percent of packets dropped each way) or
 * {@link Kind#DELAY} ({@code amount} milliseconds added to a round trip; needs the kernel's netem),
 * either on one part's link (it and everyone else) or between two parts ({@code a/b}) only.
 *
 * @param kind what is done
 * @param target a part's name in the stack ({@code kafka}, {@code ingest-bridge}, ...), or two
 *     joined by {@code /} for a network fault between them
 * @param duration how long the fault lasts
 * @param amount the loss in percent or the delay in milliseconds; 0 for the other kinds
 */
public record Fault(Kind kind, String target, Duration duration, double amount) {

  /** The faults there are. */
  public enum Kind {
    KILL,
    PAUSE,
    PARTITION,
    LOSS,
    DELAY;

    /** Whether this is a fault of the network rather than of a process. */
    public boolean network() {
      return this == PARTITION || this == LOSS || this == DELAY;
    }
  }

  public Fault {
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("a fault lasts some time: " + duration);
    }
    if (target.contains("/") && !kind.network()) {
      throw new IllegalArgumentException(
          kind.name().toLowerCase(Locale.ROOT) + " is done to one part, not to '" + target + "'");
    }
    if (kind == Kind.LOSS && (amount <= 0 || amount > 100)) {
      throw new IllegalArgumentException(
          "a loss is more than 0 and at most 100 percent: " + amount);
    }
    if (kind == Kind.DELAY && (amount < 1 || amount > 60_000)) {
      throw new IllegalArgumentException("a delay is 1 to 60000 ms: " + amount);
    }
  }

  /** A fault of a process ({@link Kind#KILL}, {@link Kind#PAUSE}) or a partition. */
  public Fault(Kind kind, String target, Duration duration) {
    this(kind, target, duration, kind == Kind.LOSS ? 30 : kind == Kind.DELAY ? 200 : 0);
  }

  /**
   * A fault written as {@code KIND[=AMOUNT]:TARGET:SECONDS}, as {@code ./iot chaos --fault} takes
   * it: {@code kill:kafka:10}, {@code pause:streams-app:30}, {@code
   * partition:ingest-bridge/kafka:20}, {@code loss=30:mqtt:20} (percent; 30 if not given), {@code
   * delay=200:kafka:20} (milliseconds; 200 if not given).
   */
  public static Fault parse(String text) {
    String[] fields = text.split(":");
    if (fields.length != 3) {
      throw new IllegalArgumentException(
          "a fault is KIND[=AMOUNT]:PART[/PART]:SECONDS (such as kill:kafka:10), not '"
              + text
              + "'");
    }
    String[] kindAndAmount = fields[0].split("=", 2);
    Kind kind;
    try {
      kind = Kind.valueOf(kindAndAmount[0].toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown fault kind '"
              + kindAndAmount[0]
              + "' in '"
              + text
              + "': kill, pause, partition, loss or delay");
    }
    long seconds = number(fields[2], "seconds");
    if (seconds < 1 || seconds > 3600) {
      throw new IllegalArgumentException("seconds must be from 1 to 3600: '" + text + "'");
    }
    Duration duration = Duration.ofSeconds(seconds);
    if (kindAndAmount.length == 1) {
      return new Fault(kind, fields[1], duration);
    }
    if (kind != Kind.LOSS && kind != Kind.DELAY) {
      throw new IllegalArgumentException("only loss and delay take an amount: '" + text + "'");
    }
    return new Fault(kind, fields[1], duration, number(kindAndAmount[1], "amount"));
  }

  private static long number(String text, String what) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a number of " + what + ": '" + text + "'");
    }
  }

  /** The parts the fault touches: one, or the two ends of a network fault between them. */
  public List<String> parts() {
    return List.of(target.split("/"));
  }

  /** Injects the fault. */
  void inject(ChaosPlatform platform) {
    switch (kind) {
      case KILL -> platform.target(target).kill();
      case PAUSE -> platform.target(target).pause();
      case PARTITION -> platform.network(target).partition();
      case LOSS -> platform.network(target).loss(amount);
      case DELAY -> platform.network(target).delay(Duration.ofMillis((long) amount));
    }
  }

  /** Ends it: the part runs again, or the network is whole again (it may still have to recover). */
  void heal(ChaosPlatform platform) throws IOException {
    switch (kind) {
      case KILL -> platform.target(target).restart();
      case PAUSE -> platform.target(target).resume();
      case PARTITION, LOSS, DELAY -> platform.network(target).heal();
    }
  }

  /** {@code kill:kafka:10}: what {@link #parse} reads. */
  public String slug() {
    String name = kind.name().toLowerCase(Locale.ROOT);
    if (kind == Kind.LOSS || kind == Kind.DELAY) {
      name += "=" + (long) amount;
    }
    return name + ":" + target + ":" + duration.toSeconds();
  }

  /** For people: {@code kill -9 kafka, down 10 s}. */
  public String label() {
    String parts = target.replace("/", " ⇹ ");
    return switch (kind) {
          case KILL -> "kill -9 " + target + ", down ";
          case PAUSE -> "SIGSTOP " + target + " for ";
          case PARTITION -> "partition " + parts + " for ";
          case LOSS -> (long) amount + "% packet loss " + parts + " for ";
          case DELAY -> "+" + (long) amount + " ms round trip " + parts + " for ";
        }
        + duration.toSeconds()
        + " s";
  }
}
