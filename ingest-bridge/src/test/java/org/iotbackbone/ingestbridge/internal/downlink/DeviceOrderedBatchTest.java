package org.iotbackbone.ingestbridge.internal.downlink;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.iotbackbone.ingestbridge.internal.Backoff;
import org.junit.jupiter.api.Test;

class DeviceOrderedBatchTest {

  private record Item(String device, int n) {}

  private final AtomicLong now = new AtomicLong(-5_000_000_000L); // nanoTime may be negative
  // Always the largest delay: full jitter may draw 0 ms, and then a failed item is retried at once
  // (the test that a device's next item waits for the retry failed 1 run in 101 on it).
  private final Backoff backoff =
      new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), bound -> bound);
  private final Map<Item, CompletableFuture<Void>> running = new HashMap<>();
  private final List<Item> started = new ArrayList<>();

  private DeviceOrderedBatch<Item> batch(List<Item> items) {
    return new DeviceOrderedBatch<>(
        items,
        Item::device,
        item -> {
          started.add(item);
          CompletableFuture<Void> future = new CompletableFuture<>();
          running.put(item, future);
          return future;
        },
        backoff,
        now::get);
  }

  @Test
  void aDevicesItemsRunOneAtATimeAndAFailedOneIsRetriedBeforeTheNext() {
    Item a1 = new Item("a", 1);
    Item a2 = new Item("a", 2);
    Item b1 = new Item("b", 1);
    DeviceOrderedBatch<Item> batch = batch(List.of(a1, a2, b1));

    assertThat(batch.step()).isFalse();
    // One per device at a time; devices side by side.
    assertThat(started).containsExactly(a1, b1);

    running.get(a1).completeExceptionally(new RuntimeException("broker away"));
    running.get(b1).complete(null);
    assertThat(batch.step()).isFalse();
    // a2 does not overtake a1 while a1 waits for its retry.
    assertThat(started).containsExactly(a1, b1);

    now.addAndGet(Duration.ofSeconds(2).toNanos()); // past any backoff
    assertThat(batch.step()).isFalse();
    assertThat(started).containsExactly(a1, b1, a1);

    running.get(a1).complete(null);
    assertThat(batch.step()).isFalse();
    assertThat(started).containsExactly(a1, b1, a1, a2);

    running.get(a2).complete(null);
    assertThat(batch.step()).isTrue();
    assertThat(batch.retries()).isEqualTo(1);
  }

  @Test
  void anAttemptThatThrowsIsAFailureRetriedNotAnEscape() {
    Item a1 = new Item("a", 1);
    int[] calls = {0};
    DeviceOrderedBatch<Item> batch =
        new DeviceOrderedBatch<>(
            List.of(a1),
            Item::device,
            item -> {
              if (calls[0]++ == 0) {
                throw new IllegalStateException("registry hiccup");
              }
              return CompletableFuture.completedFuture(null);
            },
            backoff,
            now::get);

    assertThat(batch.step()).isFalse();
    now.addAndGet(Duration.ofSeconds(2).toNanos());
    assertThat(batch.step()).isTrue();
    assertThat(calls[0]).isEqualTo(2);
  }

  @Test
  void recordsWithoutAKeyShareOneLane() {
    Item x1 = new Item(null, 1);
    Item x2 = new Item(null, 2);
    DeviceOrderedBatch<Item> batch = batch(List.of(x1, x2));

    batch.step();
    assertThat(started).containsExactly(x1);
    running.get(x1).complete(null);
    batch.step();
    assertThat(started).containsExactly(x1, x2);
  }
}
