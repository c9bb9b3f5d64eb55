package org.iotbackbone.streamsapp.internal.streams;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.iotbackbone.schemas.DeadLetter;
import org.iotbackbone.schemas.DeadLetterReason;
import org.iotbackbone.schemas.serde.RegistryConfig;
import org.iotbackbone.schemas.serde.RegistrySerdes;
import org.iotbackbone.schemas.topics.Topics;

/**
 * Builds the dead-letter records the exception handlers hand back to Kafka Streams, which writes
 * them to {@code iot.deadletter} in the same transaction as the rest of the task's output.
 */
public final class DeadLetters {

  /**
   * Streams config: the class of a {@code Serializer<DeadLetter>} to use instead of the registry
   * serde (tests without a registry).
   */
  public static final String SERIALIZER_CONFIG = "iot.dead.letter.serializer";

  /** Streams config: the registry's Apicurio API URL, for the dead-letter serde. */
  public static final String REGISTRY_URL_CONFIG = "iot.schema.registry.url";

  static final String ORIGIN = "streams-app";

  private final Serializer<DeadLetter> serializer;

  private DeadLetters(Serializer<DeadLetter> serializer) {
    this.serializer = serializer;
  }

  /** From the Streams config the handlers are configured with. */
  @SuppressWarnings("unchecked")
  static DeadLetters fromConfig(Map<String, ?> configs) {
    Object serializerClass = configs.get(SERIALIZER_CONFIG);
    if (serializerClass != null) {
      try {
        Class<?> type =
            serializerClass instanceof Class<?> c ? c : Class.forName(serializerClass.toString());
        return new DeadLetters((Serializer<DeadLetter>) Utils.newInstance(type));
      } catch (ClassNotFoundException e) {
        throw new IllegalArgumentException(SERIALIZER_CONFIG + ": no class " + serializerClass, e);
      }
    }
    Object url = configs.get(REGISTRY_URL_CONFIG);
    if (url == null) {
      throw new IllegalArgumentException(
          "the dead-letter handlers need " + REGISTRY_URL_CONFIG + " or " + SERIALIZER_CONFIG);
    }
    return new DeadLetters(
        RegistrySerdes.valueSerde(Topics.DEAD_LETTER, RegistryConfig.of(url.toString()))
            .serializer());
  }

  /** One dead-letter record for the input a handler was given. */
  List<ProducerRecord<byte[], byte[]>> record(
      ErrorHandlerContext context,
      byte[] key,
      byte[] payload,
      DeadLetterReason reason,
      Exception exception,
      Map<String, String> extra) {
    Map<String, String> attributes = new LinkedHashMap<>(extra);
    attributes.put("exception", exception.getClass().getName());
    if (context.processorNodeId() != null) {
      attributes.put("processorNodeId", context.processorNodeId());
    }
    if (context.taskId() != null) {
      attributes.put("taskId", context.taskId().toString());
    }
    String message = exception.getMessage() == null ? exception.toString() : exception.getMessage();
    DeadLetter letter =
        DeadLetter.newBuilder()
            .setOrigin(ORIGIN)
            .setReasonCode(reason)
            .setMessage(message)
            .setDeviceId(key == null ? null : new String(key, StandardCharsets.UTF_8))
            .setSourceTopic(context.topic())
            .setSourcePartition(context.partition() < 0 ? null : context.partition())
            .setSourceOffset(context.offset() < 0 ? null : context.offset())
            .setKey(key == null ? null : java.nio.ByteBuffer.wrap(key))
            .setPayload(payload == null ? null : java.nio.ByteBuffer.wrap(payload))
            .setAttributes(attributes)
            .setOccurredAt(Instant.now())
            .build();
    String topic = Topics.DEAD_LETTER.name();
    return List.of(new ProducerRecord<>(topic, key, serializer.serialize(topic, letter)));
  }

  /** Whether the failure is a connection problem that will pass: fail (and retry) then. */
  static boolean isTransient(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof java.net.ConnectException
          || t instanceof java.net.SocketException
          || t instanceof java.net.SocketTimeoutException
          || t instanceof java.net.UnknownHostException
          || t instanceof java.net.http.HttpTimeoutException
          || t instanceof org.apache.kafka.common.errors.RetriableException) {
        return true;
      }
    }
    return false;
  }
}
