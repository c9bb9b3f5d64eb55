package org.iotbackbone.connectors.internal;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.sink.SinkRecord;
import org.iotbackbone.schemas.DeadLetter;
import org.iotbackbone.schemas.DeadLetters;
import org.iotbackbone.schemas.DeadLetters.Origin;
import org.iotbackbone.schemas.serde.RegistryConfig;
import org.iotbackbone.schemas.serde.RegistrySerdes;
import org.iotbackbone.schemas.topics.Topics;

/**
 * Turns a record the sink gives up on into the platform's {@link DeadLetter}, as a record for
 * Connect's errant record reporter.
 *
 * <p>Why not hand the reporter the record itself: it would write the record's own bytes (a shadow
 * or an event) to the dead-letter topic, where every other module writes {@code DeadLetter} Avro
 * (docs/design.md), and a reader of {@code iot.deadletter} could not read it. The reporter writes a
 * record that is not the one {@code put} was given through the connector's converters, so a record
 * whose value is the serialized letter ({@code ByteArrayConverter}, as the sink requires) lands as
 * that letter, with Connect's {@code __connect.errors.*} headers when they are enabled.
 */
public final class DeadLetterRecords implements AutoCloseable {

  private final Serializer<DeadLetter> serializer;
  private final String connectorName;

  /** Letters serialized through that registry, for the named connector. */
  public DeadLetterRecords(RegistryConfig registry, String connectorName) {
    this(RegistrySerdes.valueSerde(Topics.DEAD_LETTER, registry).serializer(), connectorName);
  }

  DeadLetterRecords(Serializer<DeadLetter> serializer, String connectorName) {
    this.serializer = serializer;
    this.connectorName = connectorName;
  }

  /**
   * The record to report for {@code record}: same topic, partition, offset, key and headers, its
   * value the serialized letter.
   */
  public SinkRecord letterFor(SinkRecord record, PoisonRecordException failure) {
    DeadLetter letter = letter(record, failure);
    byte[] value = serializer.serialize(Topics.DEAD_LETTER.name(), letter);
    return new SinkRecord(
        record.topic(),
        record.kafkaPartition(),
        record.keySchema(),
        record.key(),
        Schema.OPTIONAL_BYTES_SCHEMA,
        value,
        record.kafkaOffset(),
        record.timestamp(),
        record.timestampType(),
        record.headers());
  }

  DeadLetter letter(SinkRecord record, PoisonRecordException failure) {
    Throwable cause = failure.getCause() == null ? failure : failure.getCause();
    return DeadLetters.builder(Origin.SCYLLA_SINK, failure.reason())
        .message(failure.getMessage())
        .deviceKey(bytes(record.key()))
        .kafkaSource(record.topic(), record.kafkaPartition(), record.kafkaOffset())
        .payload(record.value() instanceof byte[] value ? value : null)
        .attribute("connector", connectorName)
        .exception(cause)
        .build();
  }

  private static byte[] bytes(Object key) {
    if (key == null) {
      return null;
    }
    if (key instanceof byte[] raw) {
      return raw;
    }
    return key.toString().getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    serializer.close();
  }
}
