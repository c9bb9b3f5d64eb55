package org.iotbackbone.simulator.internal;

import java.time.Duration;

/**
 * When a connect ramp is over: the whole fleet is connected, or no device more has connected for a
 * patience. The load waits for it so that it does not compete with the ramp's handshakes (a mutual
 * TLS ramp falls far behind its schedule on a loaded machine, and a load started beside it measured
 * the ramp, not the pipeline), while a fleet that cannot all connect still runs.
 */
public final class RampEnd {

  private final int fleetSize;
  private final long patienceNanos;
  private int seen = -1;
  private long lastProgressNanos;

  public RampEnd(int fleetSize, Duration patience) {
    this.fleetSize = fleetSize;
    this.patienceNanos = patience.toNanos();
  }

  /** Whether the ramp is over with {@code connected} devices up at {@code nowNanos}. */
  public boolean over(int connected, long nowNanos) {
    if (connected >= fleetSize) {
      return true;
    }
    if (connected > seen) {
      seen = connected;
      lastProgressNanos = nowNanos;
      return false;
    }
    return nowNanos - lastProgressNanos >= patienceNanos;
  }
}
