package org.iotbackbone.streamsapp.internal.streams;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The app's uncaught-exception handler: a stream thread that died (a registry or broker away for
 * now, see {@link DeadLetterHandler}) is replaced after a bounded exponential backoff, and after
 * {@code maxAttempts} failures in a row the client is shut down (Kafka Streams goes to ERROR, which
 * {@code /health} reports as not alive, so the orchestrator restarts the process).
 *
 * <p>Why wait: a replaced thread leaves and rejoins the consumer group, a rebalance of every
 * instance. Replaced at once, a thread that fails on its first record (a registry answering 503)
 * keeps the whole group rebalancing. The wait happens on the dying thread, before it leaves the
 * group: its consumer's heartbeat thread keeps it a member meanwhile, so {@code maxBackoff} must
 * stay below {@code max.poll.interval.ms} (the config caps it at 4 minutes of the default 5).
 *
 * <p>Failures count as "in a row" while each comes within {@link #QUIET} (or {@code 2 ×
 * maxBackoff}, if longer) of the one before; a thread that then ran longer than that without
 * failing starts again at the first backoff. The floor matters: a replaced thread takes seconds to
 * rejoin the group and resume its tasks, longer than a short backoff, and that must not count as
 * running well.
 */
public final class ThreadReplacement implements StreamsUncaughtExceptionHandler, AutoCloseable {

  /** Sleeps for a duration; a test passes one that records instead. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  /** The least time without a failure after which failures no longer count as in a row. */
  public static final Duration QUIET = Duration.ofMinutes(5);

  private static final Logger LOG = LoggerFactory.getLogger(ThreadReplacement.class);

  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final int maxAttempts;
  private final LongSupplier nanoClock;
  private final Sleeper sleeper;
  private final AtomicLong replaced = new AtomicLong();
  private final CountDownLatch closing = new CountDownLatch(1);
  private int failuresInARow;
  private long lastFailureNanos;

  public ThreadReplacement(Duration initialBackoff, Duration maxBackoff, int maxAttempts) {
    this(
        initialBackoff, maxBackoff, maxAttempts, System::nanoTime, d -> Thread.sleep(d.toMillis()));
  }

  public ThreadReplacement(
      Duration initialBackoff,
      Duration maxBackoff,
      int maxAttempts,
      LongSupplier nanoClock,
      Sleeper sleeper) {
    this.initialBackoff = Objects.requireNonNull(initialBackoff, "initialBackoff");
    this.maxBackoff = Objects.requireNonNull(maxBackoff, "maxBackoff");
    if (initialBackoff.isNegative()
        || maxBackoff.compareTo(initialBackoff) < 0
        || maxAttempts < 1) {
      throw new IllegalArgumentException(
          "need 0 <= initialBackoff <= maxBackoff and maxAttempts >= 1");
    }
    this.maxAttempts = maxAttempts;
    this.nanoClock = nanoClock;
    // The wait ends early when the app closes: close() must not wait out a minute of backoff.
    this.sleeper =
        sleeper != null ? sleeper : d -> closing.await(d.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public StreamThreadExceptionResponse handle(Throwable error) {
    Duration backoff;
    int attempt;
    synchronized (this) {
      long now = nanoClock.getAsLong();
      long quiet = Math.max(QUIET.toNanos(), 2 * maxBackoff.toNanos());
      if (failuresInARow > 0 && now - lastFailureNanos > quiet) {
        failuresInARow = 0; // it ran long enough since the last failure: start again
      }
      failuresInARow++;
      lastFailureNanos = now;
      attempt = failuresInARow;
      if (attempt > maxAttempts) {
        LOG.error(
            "stream thread failed {} times in a row; shutting down (not alive)", attempt, error);
        return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
      }
      backoff = backoff(attempt);
    }
    LOG.error(
        "stream thread failed ({} of {} in a row); replacing it in {} ms",
        attempt,
        maxAttempts,
        backoff.toMillis(),
        error);
    try {
      sleeper.sleep(backoff);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the app is closing: replace now, close stops it
    }
    synchronized (this) {
      lastFailureNanos = nanoClock.getAsLong(); // the quiet time counts from the replacement
    }
    replaced.incrementAndGet();
    return StreamThreadExceptionResponse.REPLACE_THREAD;
  }

  /** The wait before the {@code attempt}-th replacement in a row: doubling, capped. */
  Duration backoff(int attempt) {
    long millis = initialBackoff.toMillis();
    for (int i = 1; i < attempt && millis < maxBackoff.toMillis(); i++) {
      millis *= 2;
    }
    return Duration.ofMillis(Math.min(millis, maxBackoff.toMillis()));
  }

  /** Ends any wait at once (the app is closing; Streams stops the replacement). */
  @Override
  public void close() {
    closing.countDown();
  }

  /** How many threads were replaced since start. */
  public long replacedThreads() {
    return replaced.get();
  }
}
