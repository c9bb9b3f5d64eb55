package org.iotbackbone.connectors.internal;

/** Exponential backoff between retries: initial, doubled each time, capped. Not thread-safe. */
public final class Backoff {

  private final long initialMs;
  private final long maxMs;
  private int attempts;

  public Backoff(long initialMs, long maxMs) {
    if (initialMs < 1 || maxMs < initialMs) {
      throw new IllegalArgumentException("initial " + initialMs + ", max " + maxMs);
    }
    this.initialMs = initialMs;
    this.maxMs = maxMs;
  }

  /** The pause before the next retry; counts the attempt. */
  public long next() {
    long pause = initialMs << Math.min(attempts, 30);
    attempts++;
    return pause <= 0 ? maxMs : Math.min(pause, maxMs);
  }

  /** How many retries in a row so far. */
  public int attempts() {
    return attempts;
  }

  /** After a success: the next retry starts at the initial pause again. */
  public void reset() {
    attempts = 0;
  }
}
