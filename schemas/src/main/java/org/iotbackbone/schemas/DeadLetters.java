package org.iotbackbone.schemas;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The one way the platform builds a {@link DeadLetter}, so that a letter means the same whichever
 * module gave up on the input (the {@code iot.deadletter} contract, docs/design.md): the device's
 * id and the raw key agree, a Kafka position is either known or absent (never {@code -1}), the
 * exception's class is the {@code exception} attribute.
 *
 * <pre>{@code
 * DeadLetter letter =
 *     DeadLetters.builder(Origin.STREAMS_APP, DeadLetterReason.DESERIALIZATION_FAILED)
 *         .failure(exception)
 *         .deviceKey(rawKey)
 *         .kafkaSource(topic, partition, offset)
 *         .payload(rawValue)
 *         .build();
 * }</pre>
 */
public final class DeadLetters {

  private DeadLetters() {}

  /** The component that gave up on the input: the letter's {@code origin}. */
  public enum Origin {
    INGEST_BRIDGE("ingest-bridge"),
    STREAMS_APP("streams-app"),
    SCYLLA_SINK("scylla-sink");

    private final String id;

    Origin(String id) {
      this.id = id;
    }

    /** The name written in the letter. */
    public String id() {
      return id;
    }
  }

  /** A letter from {@code origin} for {@code reason}; the rest is optional. */
  public static Builder builder(Origin origin, DeadLetterReason reason) {
    return new Builder(origin, reason);
  }

  /** Collects a letter's fields; {@link #build()} may be called once the message is set. */
  public static final class Builder {

    private final Origin origin;
    private final DeadLetterReason reason;
    private String message;
    private String deviceId;
    private byte[] key;
    private String sourceTopic;
    private Integer sourcePartition;
    private Long sourceOffset;
    private byte[] payload;
    // Insertion order is the order the letter's map is written in.
    private final Map<String, String> attributes = new LinkedHashMap<>();
    private Instant occurredAt;

    private Builder(Origin origin, DeadLetterReason reason) {
      this.origin = Objects.requireNonNull(origin, "origin");
      this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** The human-readable explanation ({@code null} is written as "null"). */
    public Builder message(String message) {
      this.message = String.valueOf(message);
      return this;
    }

    /** The exception's class as the {@code exception} attribute. */
    public Builder exception(Throwable exception) {
      return attribute("exception", exception.getClass().getName());
    }

    /** The exception as the message (its own, or its description) and the attribute. */
    public Builder failure(Throwable exception) {
      String text = exception.getMessage();
      return message(text == null ? exception.toString() : text).exception(exception);
    }

    /** The device, by id: also the letter's raw key (its UTF-8 bytes). */
    public Builder device(String deviceId) {
      this.deviceId = deviceId;
      this.key = deviceId == null ? null : deviceId.getBytes(StandardCharsets.UTF_8);
      return this;
    }

    /** The input's raw key, kept byte for byte; the device id is the key read as UTF-8. */
    public Builder deviceKey(byte[] key) {
      this.key = key;
      this.deviceId = key == null ? null : new String(key, StandardCharsets.UTF_8);
      return this;
    }

    /** Where the input came from, when it has no Kafka position (an MQTT topic). */
    public Builder source(String topic) {
      return kafkaSource(topic, null, null);
    }

    /**
     * Where the input came from in Kafka; a {@code null} or negative partition or offset (Kafka's
     * "unknown") is left out.
     */
    public Builder kafkaSource(String topic, Integer partition, Long offset) {
      this.sourceTopic = topic;
      this.sourcePartition = partition == null || partition < 0 ? null : partition;
      this.sourceOffset = offset == null || offset < 0 ? null : offset;
      return this;
    }

    /** The raw input, byte for byte. */
    public Builder payload(byte[] payload) {
      this.payload = payload;
      return this;
    }

    /** One more piece of context; a {@code null} value is left out. */
    public Builder attribute(String name, String value) {
      if (value != null) {
        attributes.put(name, value);
      }
      return this;
    }

    /** More context, in the map's iteration order. */
    public Builder attributes(Map<String, String> more) {
      more.forEach(this::attribute);
      return this;
    }

    /** When the input was refused; now unless set. */
    public Builder occurredAt(Instant occurredAt) {
      this.occurredAt = occurredAt;
      return this;
    }

    /** The letter. */
    public DeadLetter build() {
      if (message == null) {
        throw new IllegalStateException("a dead letter needs a message");
      }
      return DeadLetter.newBuilder()
          .setOrigin(origin.id())
          .setReasonCode(reason)
          .setMessage(message)
          .setDeviceId(deviceId)
          .setSourceTopic(sourceTopic)
          .setSourcePartition(sourcePartition)
          .setSourceOffset(sourceOffset)
          .setKey(key == null ? null : ByteBuffer.wrap(key))
          .setPayload(payload == null ? null : ByteBuffer.wrap(payload))
          .setAttributes(new LinkedHashMap<>(attributes))
          .setOccurredAt(occurredAt == null ? Instant.now() : occurredAt)
          .build();
    }
  }
}
