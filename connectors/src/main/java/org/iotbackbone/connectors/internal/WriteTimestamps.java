package org.iotbackbone.connectors.internal;

/**
 * The write timestamps ({@code USING TIMESTAMP}) of shadow writes: how an older shadow never
 * overwrites a newer one, whatever the replay.
 *
 * <p>ScyllaDB keeps, for every cell, the value written with the highest timestamp, whatever the
 * order the writes arrive in. The sink makes that timestamp a value that grows with every change of
 * a device: the Kafka offset of the record in {@code iot.shadow.state}. Every record of a device is
 * in one partition (key = device id), where streams-app writes them in order (exactly once), so the
 * offset orders a device's states exactly, tombstones included, and unlike the record's {@code
 * revision} (which starts again at 1 after a device's shadows are deleted) or its {@code updatedAt}
 * (a wall clock) it never goes back. A replay from offset 0, a redelivery after a rebalance or a
 * retried batch therefore writes timestamps no higher than those already there, and changes
 * nothing.
 *
 * <p>A record's write is a partition delete at {@code 2n} followed by inserts at {@code 2n + 1}
 * ({@code n = base + offset}): the delete removes the shadows an earlier record had and this one
 * has not (a deleted named shadow), the inserts win over the delete. A tombstone is a partition
 * delete at {@code 2n + 1}. The offsets start again at 0 when the topic is recreated, and a device
 * may move to a partition with lower offsets when the partition count changes: then {@code
 * shadows.timestamp.base} must be raised above every offset written before.
 */
public final class WriteTimestamps {

  private WriteTimestamps() {}

  /** The timestamp of the rows a record writes, and of a tombstone's delete. */
  public static long insert(long base, long offset) {
    if (offset < 0) {
      throw new IllegalArgumentException("offset " + offset + " < 0");
    }
    return Math.addExact(Math.multiplyExact(Math.addExact(base, offset), 2L), 1L);
  }

  /** The timestamp of the delete that removes what earlier records of the device wrote. */
  public static long supersede(long base, long offset) {
    return insert(base, offset) - 1;
  }
}
