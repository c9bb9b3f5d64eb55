package org.iotbackbone.streamsapp.internal.streams;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A serde that encodes a record once for two topics: the shadow processors put a device's record in
 * the store (its changelog) and then forward the same object to {@code iot.shadow.state}, which
 * encoded it a second time (with the registry lookup: 4% of the stream thread, JFR, 2026-12-06).
 *
 * <p>The bytes of the first topic are handed to the second only once this thread has seen that the
 * two topics give the same bytes for the same record (our serdes write one schema id for both: the
 * Confluent API's serde uses the topic definition's subject, Apicurio's the schema's content id),
 * and are checked again every {@value #CHECK_EVERY} reuses, so that a schema id that changes is
 * noticed. Topics that give other bytes are always encoded. Per thread: the last record and its
 * bytes.
 */
public final class EncodeOnce<T> implements Serde<T> {

  /** How often a reuse is encoded anyway and compared. */
  static final int CHECK_EVERY = 1000;

  private final Serde<T> delegate;
  private final Serializer<T> encoder;
  private final ThreadLocal<Last> last = ThreadLocal.withInitial(Last::new);

  public EncodeOnce(Serde<T> delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.encoder = delegate.serializer();
  }

  @Override
  public Serializer<T> serializer() {
    return this::serialize;
  }

  @Override
  public Deserializer<T> deserializer() {
    return delegate.deserializer();
  }

  @Override
  public void close() {
    delegate.close();
  }

  private byte[] serialize(String topic, T value) {
    if (value == null) {
      return encoder.serialize(topic, null);
    }
    Last memo = last.get();
    if (memo.value == value && !topic.equals(memo.topic)) {
      String pair = memo.topic + '\n' + topic;
      Boolean same = memo.sameBytes.get(pair);
      if (Boolean.TRUE.equals(same) && ++memo.reuses % CHECK_EVERY != 0) {
        return memo.bytes;
      }
      if (same == null || same) {
        // Learn (or check again) whether the two topics give the same bytes.
        byte[] bytes = encoder.serialize(topic, value);
        memo.sameBytes.put(pair, Arrays.equals(bytes, memo.bytes));
        return bytes;
      }
    }
    byte[] bytes = encoder.serialize(topic, value);
    memo.value = value;
    memo.topic = topic;
    memo.bytes = bytes;
    return bytes;
  }

  private static final class Last {
    private Object value;
    private String topic;
    private byte[] bytes;
    private long reuses;
    private final Map<String, Boolean> sameBytes = new HashMap<>();
  }
}
