package org.iotbackbone.ingestbridge.internal.downlink;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.iotbackbone.ingestbridge.internal.Backoff;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Works through a polled batch without blocking its caller: one lane per device, whose items run
 * one at a time in batch order, each retried with backoff until it succeeds before the device's
 * next one starts; lanes of different devices run side by side. A device's commands therefore reach
 * it in the order of the partition, whatever fails and is retried (sending them all at once and
 * retrying the failed ones afterwards let a later command overtake an earlier one).
 *
 * <p>The caller drives it ({@link #step()}, {@link #awaitProgress}) and stays free to poll Kafka in
 * between, so that a long retry does not cost it its place in the consumer group.
 */
final class DeviceOrderedBatch<T> {

  private static final Logger LOG = LoggerFactory.getLogger(DeviceOrderedBatch.class);

  private static final class Lane<T> {
    final ArrayDeque<T> items = new ArrayDeque<>();
    CompletableFuture<Void> running;
    int failures;
    boolean backingOff;
    long retryAtNanos;
  }

  private final Map<String, Lane<T>> lanes = new LinkedHashMap<>();
  private final Function<T, CompletableFuture<Void>> attempt;
  private final Backoff backoff;
  private final LongSupplier nanoClock;
  private long retries;

  DeviceOrderedBatch(
      List<T> items,
      Function<T, String> device,
      Function<T, CompletableFuture<Void>> attempt,
      Backoff backoff,
      LongSupplier nanoClock) {
    this.attempt = attempt;
    this.backoff = backoff;
    this.nanoClock = nanoClock;
    for (T item : items) {
      String key = device.apply(item);
      lanes.computeIfAbsent(key == null ? "" : key, k -> new Lane<>()).items.add(item);
    }
  }

  /**
   * Starts what can start (a device's next item, a retry whose backoff has passed) and takes note
   * of what finished. True once every item succeeded.
   */
  boolean step() {
    boolean done = true;
    for (Lane<T> lane : lanes.values()) {
      while (true) {
        if (lane.running != null) {
          if (!lane.running.isDone()) {
            break;
          }
          Throwable failure = failure(lane.running);
          lane.running = null;
          if (failure == null) {
            lane.items.poll();
            lane.failures = 0;
            continue;
          }
          long delay = backoff.delay(lane.failures++).toNanos();
          retries++;
          LOG.warn(
              "downlink attempt failed, retry in {} ms: {}", delay / 1_000_000, failure.toString());
          lane.retryAtNanos = nanoClock.getAsLong() + delay;
          lane.backingOff = true;
        }
        if (lane.items.isEmpty()
            || (lane.backingOff && nanoClock.getAsLong() - lane.retryAtNanos < 0)) {
          break;
        }
        lane.backingOff = false;
        lane.running = start(lane.items.peek());
      }
      done &= lane.items.isEmpty();
    }
    return done;
  }

  /** Waits at most {@code timeout} for an item in progress to finish. */
  void awaitProgress(Duration timeout) {
    List<CompletableFuture<Void>> running = new ArrayList<>();
    for (Lane<T> lane : lanes.values()) {
      if (lane.running != null) {
        running.add(lane.running);
      }
    }
    try {
      if (running.isEmpty()) {
        Thread.sleep(Math.min(timeout.toMillis(), 50));
      } else {
        CompletableFuture.anyOf(running.toArray(CompletableFuture[]::new))
            .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (TimeoutException | ExecutionException e) {
      // a failure is noted by the next step
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Retries so far (for tests and logs). */
  long retries() {
    return retries;
  }

  private CompletableFuture<Void> start(T item) {
    try {
      return attempt.apply(item);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private static Throwable failure(CompletableFuture<Void> future) {
    try {
      future.join();
      return null;
    } catch (RuntimeException e) {
      return e.getCause() != null ? e.getCause() : e;
    }
  }
}
