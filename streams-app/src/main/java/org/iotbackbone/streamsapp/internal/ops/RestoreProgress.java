package org.iotbackbone.streamsapp.internal.ops;

import io.micrometer.core.instrument.Counter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateRestoreListener;

/**
 * What is left to restore, per store and changelog partition, from Kafka Streams' restore callbacks
 * (called on the stream threads; read by the scrape on another thread).
 */
final class RestoreProgress implements StateRestoreListener {

  /** Offsets left to restore by store and partition, while each restores. */
  private final Map<String, Long> remaining = new ConcurrentHashMap<>();

  /** The offset each restore ends at (exclusive), by store and partition. */
  private final Map<String, Long> ends = new ConcurrentHashMap<>();

  private final Counter restored;

  RestoreProgress(Counter restored) {
    this.restored = restored;
  }

  /** Records still to restore, over every store and partition restoring now. */
  double remaining() {
    return remaining.values().stream().mapToLong(Long::longValue).sum();
  }

  @Override
  public void onRestoreStart(
      TopicPartition partition, String storeName, long startingOffset, long endingOffset) {
    // Offsets, not records: transaction markers and compacted-away offsets make it an upper bound.
    String key = key(partition, storeName);
    ends.put(key, endingOffset);
    remaining.put(key, Math.max(0, endingOffset - startingOffset));
  }

  @Override
  public void onBatchRestored(
      TopicPartition partition, String storeName, long batchEndOffset, long numRestored) {
    restored.increment(numRestored);
    String key = key(partition, storeName);
    Long end = ends.get(key);
    if (end != null) {
      remaining.put(key, Math.max(0, end - batchEndOffset - 1));
    }
  }

  @Override
  public void onRestoreEnd(TopicPartition partition, String storeName, long totalRestored) {
    forget(key(partition, storeName));
  }

  @Override
  public void onRestoreSuspended(TopicPartition partition, String storeName, long totalRestored) {
    // The task moved to another instance: what it had left is no longer this instance's.
    forget(key(partition, storeName));
  }

  private void forget(String key) {
    ends.remove(key);
    remaining.remove(key);
  }

  private static String key(TopicPartition partition, String storeName) {
    return storeName + "@" + partition;
  }
}
