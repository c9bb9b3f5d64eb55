package org.iotbackbone.servers.netlab;

import java.time.Duration;

/**
 * The faults of a host's link ({@link Host}) or between two hosts ({@link NetLab#between}). Each is
 * idempotent (applying what is already there changes nothing and logs nothing) and undone by {@link
 * #heal()}; a delay and a loss add up, a partition hides both until healed.
 *
 * <p>A delay needs the kernel's netem qdisc ({@link NetLab#netemUnavailableReason()}); without it
 * {@link #delay} throws {@link UnsupportedOperationException}. A loss and a partition need no
 * netem.
 */
public interface Faults {

  /**
   * Every round trip through the target takes {@code latency} more, give or take {@code jitter}:
   * half of each is added in each direction (so a request and its answer, one each way, are {@code
   * latency} late together). A later call replaces the delay; {@code Duration.ZERO} removes it.
   */
  Faults delay(Duration latency, Duration jitter);

  default Faults delay(Duration latency) {
    return delay(latency, Duration.ZERO);
  }

  /**
   * Each packet through the target, in either direction, is dropped with this probability (0 to
   * 100); a request and its answer are so lost about twice as often. A later call replaces it.
   */
  Faults loss(double percent);

  /**
   * Nothing gets through, in either direction, and silently: packets are dropped, not refused, so
   * connects and reads time out as behind a dead switch.
   */
  Faults partition();

  /** Removes every fault of this target. */
  Faults heal();
}
