package org.iotbackbone.streamsapp.internal.streams;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.api.Record;
import org.iotbackbone.schemas.DeadLetter;
import org.iotbackbone.schemas.DeadLetterReason;
import org.iotbackbone.schemas.DeadLetters;
import org.iotbackbone.schemas.DeadLetters.Origin;
import org.iotbackbone.schemas.errors.TransientErrors;
import org.iotbackbone.schemas.serde.RegistryConfig;
import org.iotbackbone.schemas.serde.RegistrySerdes;
import org.iotbackbone.schemas.topics.Topics;
import org.iotbackbone.streamsapp.internal.InvalidRecordException;
import org.iotbackbone.streamsapp.internal.ops.StreamsAppMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The app's Kafka Streams exception handler, for all three kinds of error (Streams makes one
 * instance per kind). Each failure is sorted first ({@link TransientErrors}, the platform's one
 * rule):
 *
 * <ul>
 *   <li>the record's fault (it cannot be read, a processor refused it, its output can never be
 *       written): a {@code DeadLetter} with the input's raw bytes goes to {@code iot.deadletter} in
 *       the same transaction as the task's other output, and processing goes on;
 *   <li>a registry or broker that is away for now (a 503, a refused connection, a Kafka timeout),
 *       or a failure of Streams itself: the handler answers FAIL. The stream thread dies, the app's
 *       uncaught-exception handler replaces it, the transaction is aborted and the record is read
 *       again from the last commit: retried, neither dead-lettered nor lost. A send the producer
 *       can retry is answered RETRY.
 * </ul>
 */
public final class DeadLetterHandler
    implements DeserializationExceptionHandler,
        ProcessingExceptionHandler,
        ProductionExceptionHandler {

  /**
   * Streams config: the class of a {@code Serializer<DeadLetter>} to use instead of the registry
   * serde (tests without a registry).
   */
  public static final String SERIALIZER_CONFIG = "iot.dead.letter.serializer";

  /**
   * Streams config: the {@code RegistryConfig} of the app (an object, not a string: it carries the
   * registry's credentials, which must not be flattened into printable properties), for the
   * dead-letter serde.
   */
  public static final String REGISTRY_CONFIG = "iot.schema.registry";

  /**
   * Streams config: the app's {@code StreamsAppMetrics} (an object), where every letter is counted
   * ({@code streams_deadletters_total}). Required.
   */
  public static final String METRICS_CONFIG = "iot.metrics";

  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterHandler.class);

  private Serializer<DeadLetter> serializer;
  private StreamsAppMetrics metrics;

  @Override
  public void configure(Map<String, ?> configs) {
    serializer = serializer(configs);
    if (!(configs.get(METRICS_CONFIG) instanceof StreamsAppMetrics appMetrics)) {
      throw new IllegalArgumentException("the dead-letter handler needs " + METRICS_CONFIG);
    }
    metrics = appMetrics;
  }

  /** A record that cannot be read. */
  @Override
  public DeserializationExceptionHandler.Response handleError(
      ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
    if (TransientErrors.isTransient(exception)) {
      log(context, "cannot deserialize now, failing to retry", exception);
      return DeserializationExceptionHandler.Response.fail();
    }
    log(context, "dead-lettered, cannot be deserialized", exception);
    return DeserializationExceptionHandler.Response.resume(
        letter(
            context,
            record.key(),
            record.value(),
            DeadLetterReason.DESERIALIZATION_FAILED,
            exception,
            null));
  }

  /** A record a processor refused ({@link InvalidRecordException}) or failed on. */
  @Override
  public ProcessingExceptionHandler.Response handleError(
      ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
    if (exception instanceof StreamsException || TransientErrors.isTransient(exception)) {
      log(context, "cannot be processed now, failing to retry", exception);
      return ProcessingExceptionHandler.Response.fail();
    }
    DeadLetterReason reason =
        exception instanceof InvalidRecordException invalid
            ? invalid.reason()
            : DeadLetterReason.PROCESSING_FAILED;
    if (reason == DeadLetterReason.PROCESSING_FAILED) {
      // Not a refusal the code foresaw: the stack trace is what finds the bug.
      LOG.warn("{}: dead-lettered as {}", where(context), reason, exception);
    } else {
      log(context, "dead-lettered as " + reason, exception);
    }
    return ProcessingExceptionHandler.Response.resume(
        letter(context, context.sourceRawKey(), context.sourceRawValue(), reason, exception, null));
  }

  /**
   * Output the broker will never take (too large) is dead-lettered with the input it came from; a
   * retriable send is retried; anything else fails.
   */
  @Override
  public ProductionExceptionHandler.Response handleError(
      ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception) {
    if (exception instanceof RecordTooLargeException) {
      return writeFailed(context, record.topic(), exception);
    }
    if (TransientErrors.isTransient(exception)) {
      return ProductionExceptionHandler.Response.retry();
    }
    return ProductionExceptionHandler.Response.fail();
  }

  /** Output that cannot be serialized: dead-lettered, unless the registry is away for now. */
  @Override
  @SuppressWarnings("rawtypes") // as the interface declares it
  public ProductionExceptionHandler.Response handleSerializationError(
      ErrorHandlerContext context,
      ProducerRecord record,
      Exception exception,
      SerializationExceptionOrigin origin) {
    if (TransientErrors.isTransient(exception)) {
      log(context, "output cannot be serialized now, failing to retry", exception);
      return ProductionExceptionHandler.Response.fail();
    }
    return writeFailed(context, record.topic(), exception);
  }

  private ProductionExceptionHandler.Response writeFailed(
      ErrorHandlerContext context, String topic, Exception exception) {
    log(context, "output to " + topic + " dead-lettered", exception);
    return ProductionExceptionHandler.Response.resume(
        letter(
            context,
            context.sourceRawKey(),
            context.sourceRawValue(),
            DeadLetterReason.WRITE_FAILED,
            exception,
            topic));
  }

  /** The dead-letter record for the input, ready for the handler's response. */
  private List<ProducerRecord<byte[], byte[]>> letter(
      ErrorHandlerContext context,
      byte[] key,
      byte[] payload,
      DeadLetterReason reason,
      Exception exception,
      String outputTopic) {
    DeadLetter letter =
        DeadLetters.builder(Origin.STREAMS_APP, reason)
            .attribute("outputTopic", outputTopic)
            .failure(exception)
            .attribute("processorNodeId", context.processorNodeId())
            .attribute("taskId", context.taskId() == null ? null : context.taskId().toString())
            .deviceKey(key)
            .kafkaSource(context.topic(), context.partition(), context.offset())
            .payload(payload)
            .build();
    String topic = Topics.DEAD_LETTER.name();
    byte[] value = serializer.serialize(topic, letter);
    // Counted when the letter is handed to Streams, which writes it in the task's transaction: a
    // processing attempt, counted again if that transaction is aborted and the input read again.
    metrics.deadLetter(reason, context.topic());
    return List.of(new ProducerRecord<>(topic, key, value));
  }

  private static void log(ErrorHandlerContext context, String what, Exception exception) {
    LOG.warn("{}: {}: {}", where(context), what, exception.toString());
  }

  /** The input's place and device, as every log line of the app names them. */
  private static String where(ErrorHandlerContext context) {
    byte[] key = context.sourceRawKey();
    return "device "
        + (key == null ? null : new String(key, StandardCharsets.UTF_8))
        + " ("
        + context.topic()
        + "-"
        + context.partition()
        + "@"
        + context.offset()
        + ")";
  }

  /**
   * The letters' serializer, from the Streams config the handler is configured with (also what the
   * command status fold writes the answers it held and then refused with).
   */
  @SuppressWarnings("unchecked")
  static Serializer<DeadLetter> serializer(Map<String, ?> configs) {
    Object serializerClass = configs.get(SERIALIZER_CONFIG);
    if (serializerClass != null) {
      try {
        Class<?> type =
            serializerClass instanceof Class<?> c ? c : Class.forName(serializerClass.toString());
        return (Serializer<DeadLetter>) Utils.newInstance(type);
      } catch (ClassNotFoundException e) {
        throw new IllegalArgumentException(SERIALIZER_CONFIG + ": no class " + serializerClass, e);
      }
    }
    if (!(configs.get(REGISTRY_CONFIG) instanceof RegistryConfig registry)) {
      throw new IllegalArgumentException(
          "the dead-letter handler needs " + REGISTRY_CONFIG + " or " + SERIALIZER_CONFIG);
    }
    return RegistrySerdes.valueSerde(Topics.DEAD_LETTER, registry).serializer();
  }
}
