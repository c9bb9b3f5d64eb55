package org.iotbackbone.ingestbridge.internal;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongUnaryOperator;

/**
 * Exponential backoff with full jitter: the delay before retry {@code n} (from 0) is uniform in
 * {@code [0, min(max, initial * 2^n)]}. Full jitter spreads the reconnects of many bridges after an
 * outage instead of having them arrive in waves (AWS Architecture Blog, "Exponential Backoff And
 * Jitter").
 */
public final class Backoff {

  private final long initialMillis;
  private final long maxMillis;
  private final LongUnaryOperator random;

  public Backoff(Duration initial, Duration max) {
    this(initial, max, bound -> ThreadLocalRandom.current().nextLong(bound + 1));
  }

  /**
   * With a source of randomness: {@code random.applyAsLong(b)} is uniform in {@code [0, b]} (a test
   * that needs a delay of known length passes one that is not random).
   */
  public Backoff(Duration initial, Duration max, LongUnaryOperator random) {
    this.initialMillis = initial.toMillis();
    this.maxMillis = max.toMillis();
    this.random = random;
  }

  /** The delay before retry {@code attempt} (0 for the first retry). */
  public Duration delay(long attempt) {
    return Duration.ofMillis(random.applyAsLong(ceiling(attempt)));
  }

  /** The largest delay of retry {@code attempt}: {@code min(max, initial * 2^attempt)}. */
  public long ceiling(long attempt) {
    long shift = Math.min(Math.max(attempt, 0), 40);
    long exp = initialMillis << shift;
    return exp <= 0 || exp > maxMillis ? maxMillis : exp;
  }
}
