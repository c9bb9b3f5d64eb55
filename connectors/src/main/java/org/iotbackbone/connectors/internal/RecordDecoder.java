package org.iotbackbone.connectors.internal;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.iotbackbone.schemas.DeadLetterReason;
import org.iotbackbone.schemas.DeviceEvent;
import org.iotbackbone.schemas.DeviceShadow;
import org.iotbackbone.schemas.errors.TransientErrors;
import org.iotbackbone.schemas.serde.RegistryConfig;
import org.iotbackbone.schemas.serde.RegistrySerdes;
import org.iotbackbone.schemas.topics.Topics;

/**
 * Turns Connect records into shadow changes and event rows.
 *
 * <p>The values arrive as the bytes on the topic ({@code value.converter=ByteArrayConverter}) and
 * are read here with the platform's own serdes: this is where the sink tells a record that can
 * never be read (not the Confluent frame, an id the registry does not know, bytes that are not the
 * schema's Avro: {@link PoisonRecordException}, dead-lettered) from a registry that cannot be
 * reached now ({@link RetriableException}, retried), by the platform's one rule ({@link
 * TransientErrors}, which the streams-app follows too). A converter in front of the task could not:
 * Connect's error handling would send both to the dead-letter topic.
 */
public final class RecordDecoder implements AutoCloseable {

  private final String shadowsTopic;
  private final String eventsTopic;
  private final Serde<DeviceShadow> shadows;
  private final Serde<DeviceEvent> events;
  private final Deserializer<DeviceShadow> shadowReader;
  private final Deserializer<DeviceEvent> eventReader;

  public RecordDecoder(RegistryConfig registry, String shadowsTopic, String eventsTopic) {
    this(
        RegistrySerdes.valueSerde(Topics.SHADOW_STATE, registry),
        RegistrySerdes.valueSerde(Topics.DEVICE_EVENTS, registry),
        shadowsTopic,
        eventsTopic);
  }

  /** A decoder reading with these serdes (tests give serdes that fail as a registry does). */
  RecordDecoder(
      Serde<DeviceShadow> shadows,
      Serde<DeviceEvent> events,
      String shadowsTopic,
      String eventsTopic) {
    this.shadowsTopic = shadowsTopic;
    this.eventsTopic = eventsTopic;
    this.shadows = shadows;
    this.events = events;
    this.shadowReader = shadows.deserializer();
    this.eventReader = events.deserializer();
  }

  /** Whether the record is of the shadows topic (else of the events topic). */
  public boolean isShadow(SinkRecord record) {
    return record.topic().equals(shadowsTopic);
  }

  /** The shadow change of a record of the shadows topic. */
  public ShadowChange shadow(SinkRecord record) {
    String key = key(record);
    if (key == null) {
      throw new PoisonRecordException(
          DeadLetterReason.INVALID_DEVICE_ID, "a shadow record without a key", null);
    }
    byte[] value = bytes(record);
    if (value == null) {
      return new ShadowChange(key, record.kafkaOffset(), null, record);
    }
    DeviceShadow shadow = decode(shadowReader, record, value);
    if (!key.equals(shadow.getDeviceId())) {
      throw new PoisonRecordException(
          DeadLetterReason.INVALID_DEVICE_ID,
          "key " + key + " is not the record's device id " + shadow.getDeviceId(),
          null);
    }
    return new ShadowChange(key, record.kafkaOffset(), shadow, record);
  }

  /** The event row of a record of the events topic. */
  public EventRow event(SinkRecord record) {
    byte[] value = bytes(record);
    if (value == null) {
      throw new PoisonRecordException(
          DeadLetterReason.INVALID_REQUEST, "an event record without a value", null);
    }
    DeviceEvent event = decode(eventReader, record, value);
    if (event.getDeviceId().isEmpty()) {
      throw new PoisonRecordException(
          DeadLetterReason.INVALID_DEVICE_ID, "an event without a device id", null);
    }
    return new EventRow(event, record);
  }

  private static <T> T decode(Deserializer<T> reader, SinkRecord record, byte[] value) {
    if (value.length < 5 || value[0] != 0) {
      throw new PoisonRecordException(
          DeadLetterReason.DESERIALIZATION_FAILED,
          "not Avro in the Confluent wire format (magic byte 0, 4-byte schema id)",
          null);
    }
    try {
      T decoded = reader.deserialize(record.topic(), value);
      if (decoded == null) {
        throw new PoisonRecordException(
            DeadLetterReason.DESERIALIZATION_FAILED, "the value decoded to nothing", null);
      }
      return decoded;
    } catch (PoisonRecordException e) {
      throw e;
    } catch (RuntimeException e) {
      if (TransientErrors.isTransient(e)) {
        throw new RetriableException("the schema registry cannot be reached: " + e, e);
      }
      throw new PoisonRecordException(
          DeadLetterReason.DESERIALIZATION_FAILED, "cannot be read: " + e, e);
    }
  }

  private static String key(SinkRecord record) {
    Object key = record.key();
    if (key == null || key instanceof String) {
      return (String) key;
    }
    if (key instanceof byte[] bytes) {
      return new String(bytes, StandardCharsets.UTF_8);
    }
    throw new ConnectException(
        "record keys must be strings: set key.converter=org.apache.kafka.connect.storage.StringConverter"
            + " (got "
            + key.getClass().getName()
            + ")");
  }

  private static byte[] bytes(SinkRecord record) {
    Object value = record.value();
    if (value == null || value instanceof byte[]) {
      return (byte[]) value;
    }
    throw new ConnectException(
        "record values must be bytes: set"
            + " value.converter=org.apache.kafka.connect.converters.ByteArrayConverter (got "
            + value.getClass().getName()
            + ")");
  }

  @Override
  public void close() {
    shadows.close();
    events.close();
  }
}
