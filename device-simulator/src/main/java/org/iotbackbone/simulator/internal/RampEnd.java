package org.iotbackbone.simulator.internal;

import java.time.Duration;

/**
 * When a connect ramp is over: the whole fleet is connected, or no device more has connected for a
 * patience. The load waits for it so that it does not compete with the ramp's handshakes (a mutual
 * TLS ramp falls far behind its schedule on a loaded machine, and a load started beside it measured
 * the ramp, not the pipeline), while a fleet that cannot all connect still runs.
 *
 * <p>The patience counts only time the watcher saw pass between two of its looks, each at most
 * {@link #MAX_STEP}: on cores saturated by a quarter-million-device ramp the watching process
 * itself stalls for 20-45 s at a time, and its first look after a stall reads device counts its
 * status readers have not caught up on yet. Counted in wall time, that one stale look ended a ramp
 * still connecting 70 devices a second (the 2026-12-07 12:27 run in docs/benchmarks.md).
 */
public final class RampEnd {

  /** The most one look adds to the time without progress, whatever time passed since the last. */
  static final Duration MAX_STEP = Duration.ofSeconds(1);

  private static final long MAX_STEP_NANOS = MAX_STEP.toNanos();

  private final int fleetSize;
  private final long patienceNanos;
  private int seen = -1;
  private long lastLookNanos;
  private long stillNanos;

  public RampEnd(int fleetSize, Duration patience) {
    this.fleetSize = fleetSize;
    this.patienceNanos = patience.toNanos();
  }

  /** Whether the ramp is over with {@code connected} devices up at {@code nowNanos}. */
  public boolean over(int connected, long nowNanos) {
    if (connected >= fleetSize) {
      return true;
    }
    long step = seen < 0 ? 0 : Math.min(nowNanos - lastLookNanos, MAX_STEP_NANOS);
    lastLookNanos = nowNanos;
    if (connected > seen) {
      seen = connected;
      stillNanos = 0;
      return false;
    }
    stillNanos += step;
    return stillNanos >= patienceNanos;
  }
}
