package org.iotbackbone.servers.netlab;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a fault does to the packets of a link or of a pair of hosts, as set (a round trip's worth of
 * delay and jitter, a loss per packet, a partition). {@link #leafQdisc()} is what one direction
 * gets: half the delay and jitter, the whole loss.
 */
record Impairment(Duration delay, Duration jitter, double lossPercent, boolean partitioned) {

  static final Impairment NONE = new Impairment(Duration.ZERO, Duration.ZERO, 0, false);

  /**
   * netem's default queue of 1000 packets drops what a fast sender puts in flight during a long
   * delay: a 200 ms delay at 50k packets/s holds 10,000. A loss the test did not ask for would be a
   * second fault.
   */
  static final int NETEM_LIMIT = 100_000;

  Impairment {
    Objects.requireNonNull(delay, "delay");
    Objects.requireNonNull(jitter, "jitter");
    if (delay.isNegative() || jitter.isNegative()) {
      throw new IllegalArgumentException("a delay and a jitter are >= 0: " + delay + ", " + jitter);
    }
    if (jitter.compareTo(delay) > 0) {
      throw new IllegalArgumentException(
          "a jitter larger than the delay would ask for negative delays: "
              + jitter
              + " > "
              + delay);
    }
    if (!(lossPercent >= 0 && lossPercent <= 100)) {
      throw new IllegalArgumentException("a loss is a percentage in [0, 100]: " + lossPercent);
    }
  }

  Impairment withDelay(Duration latency, Duration newJitter) {
    return new Impairment(latency, newJitter, lossPercent, partitioned);
  }

  Impairment withLoss(double percent) {
    return new Impairment(delay, jitter, percent, partitioned);
  }

  Impairment withPartition() {
    return new Impairment(delay, jitter, lossPercent, true);
  }

  boolean isNone() {
    return equals(NONE);
  }

  /** Whether this needs netem (a delay); a loss and a partition do not. */
  boolean needsNetem() {
    return !partitioned && !delay.isZero();
  }

  /** Whether the class of these packets needs a qdisc of its own: a delay or a partition. */
  boolean needsLeaf() {
    return partitioned || !delay.isZero();
  }

  /**
   * What a packet that crosses both faults gets (a host's link fault and a pair's fault): the
   * delays add, a packet survives only if both let it through, and a partition wins.
   */
  Impairment combine(Impairment other) {
    double survives = (1 - lossPercent / 100) * (1 - other.lossPercent / 100);
    double loss = Math.min(100, Math.max(0, round((1 - survives) * 100)));
    return new Impairment(
        delay.plus(other.delay), jitter.plus(other.jitter), loss, partitioned || other.partitioned);
  }

  /**
   * The qdisc (kind and arguments, as {@code tc qdisc add ... handle H:} takes them) that one
   * direction's packets get; empty for none. A partition is a FIFO that holds nothing ({@code pfifo
   * limit 0}: every packet is dropped, silently, so a connect times out as it does behind a dead
   * switch); a delay is netem's. A loss is not here: it is a filter ({@link TcPlan}), so that it
   * needs no netem and a link's loss and a pair's are drawn apart.
   */
  List<String> leafQdisc() {
    if (partitioned) {
      return List.of("pfifo", "limit", "0");
    }
    if (delay.isZero()) {
      return List.of();
    }
    List<String> args = new ArrayList<>(List.of("netem", "limit", Integer.toString(NETEM_LIMIT)));
    args.add("delay");
    args.add(micros(delay.dividedBy(2)));
    if (!jitter.isZero()) {
      args.add(micros(jitter.dividedBy(2)));
    }
    return args;
  }

  /** For the fault log. */
  String describe() {
    if (partitioned) {
      return "partitioned";
    }
    if (isNone()) {
      return "none";
    }
    List<String> parts = new ArrayList<>();
    if (!delay.isZero()) {
      parts.add(
          "delay "
              + delay.toMillis()
              + "ms"
              + (jitter.isZero() ? "" : " ±" + jitter.toMillis() + "ms"));
    }
    if (lossPercent > 0) {
      parts.add(
          "loss " + BigDecimal.valueOf(lossPercent).stripTrailingZeros().toPlainString() + "%");
    }
    return String.join(", ", parts);
  }

  private static String micros(Duration duration) {
    return duration.toNanos() / 1000 + "us";
  }

  private static double round(double value) {
    return Math.round(value * 1e6) / 1e6;
  }
}
