package org.iotbackbone.ingestbridge.internal.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.iotbackbone.ingestbridge.BridgeConfig;
import org.iotbackbone.ingestbridge.internal.Backoff;
import org.iotbackbone.ingestbridge.internal.ops.BridgeMetrics;
import org.iotbackbone.schemas.config.KafkaClientSettings;
import org.iotbackbone.schemas.errors.TransientErrors;
import org.iotbackbone.schemas.serde.RegistryConfig;
import org.iotbackbone.schemas.serde.RegistrySerdes;
import org.iotbackbone.schemas.topics.TopicDefinition;
import org.iotbackbone.schemas.topics.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Produces the bridge's records: Avro values through the registry, keys = device ids, {@code
 * acks=all} and the idempotent producer, so that a record Kafka acknowledged is on every in-sync
 * replica exactly once per send.
 *
 * <p>Errors are sorted. Kafka's retriable errors (a broker down, a leader moving) are retried
 * inside the producer for as long as it takes ({@code delivery.timeout.ms} is unbounded): the
 * record stays in flight, its MQTT message unacknowledged, and the bounded in-flight window stops
 * the intake. What fails before a record reaches the producer (the registry unreachable, the
 * producer's buffer full, no metadata yet) is retried here, in the caller's thread, with
 * exponential backoff and full jitter, so that the caller's order is kept.
 */
public final class KafkaSender implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaSender.class);

  private final Producer<String, byte[]> producer;
  private final AutoCloseable producerMetrics;
  private final Map<String, Serializer<SpecificRecord>> serializers = new HashMap<>();
  private final Backoff backoff;
  private final BridgeMetrics metrics;
  private final BooleanSupplier giveUp;
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * A sender to the brokers of {@code kafka}, with its {@code kafka.*} settings over the producer's
   * defaults; {@code giveUp} tells a retry loop to stop (the bridge is being killed, not drained).
   */
  public KafkaSender(
      KafkaClientSettings kafka,
      RegistryConfig registry,
      Backoff backoff,
      BridgeMetrics metrics,
      BooleanSupplier giveUp) {
    this.backoff = backoff;
    this.metrics = metrics;
    this.giveUp = giveUp;
    this.producer = new KafkaProducer<>(producerConfig(kafka));
    this.producerMetrics = metrics.kafkaClient(producer);
    for (TopicDefinition<?> topic : Topics.all()) {
      serializers.put(topic.name(), serializer(topic, registry));
    }
  }

  static Map<String, Object> producerConfig(KafkaClientSettings kafka) {
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    // At most 5 in flight keeps the idempotent producer's per-partition order across retries.
    config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
    // Never give up on a record: while Kafka is away it stays in flight and holds its PUBACK.
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.MAX_VALUE);
    config.put(ProducerConfig.LINGER_MS_CONFIG, BridgeConfig.DEFAULT_LINGER_MS);
    config.put(ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024);
    // How long send() waits for metadata or buffer space before this class retries it.
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
    config.put(ProducerConfig.RECONNECT_BACKOFF_MS_CONFIG, 100);
    config.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 5_000);
    config.put(ProducerConfig.CLIENT_ID_CONFIG, "ingest-bridge");
    return kafka.config(config);
  }

  @SuppressWarnings("unchecked")
  private static Serializer<SpecificRecord> serializer(
      TopicDefinition<?> topic, RegistryConfig registry) {
    return (Serializer<SpecificRecord>) RegistrySerdes.valueSerde(topic, registry).serializer();
  }

  /**
   * Sends a record; the future completes when Kafka acknowledged it. Blocks (retrying with backoff)
   * while the record cannot be handed to the producer; the returned future fails only when the
   * bridge gives up (it is being stopped) or Kafka refuses the record for good.
   */
  public CompletableFuture<RecordMetadata> send(
      TopicDefinition<?> topic, String key, SpecificRecord value) {
    CompletableFuture<RecordMetadata> done = new CompletableFuture<>();
    for (long attempt = 0; ; attempt++) {
      if (closed.get() || giveUp.getAsBoolean()) {
        done.completeExceptionally(new SenderClosedException());
        return done;
      }
      try {
        byte[] bytes = serializers.get(topic.name()).serialize(topic.name(), value);
        long start = System.nanoTime();
        Thread caller = Thread.currentThread();
        AtomicBoolean handedOver = new AtomicBoolean();
        AtomicReference<Exception> refusedNow = new AtomicReference<>();
        producer.send(
            new ProducerRecord<>(topic.name(), key, bytes),
            (metadata, error) -> {
              if (error instanceof RetriableException
                  && !handedOver.get()
                  && Thread.currentThread() == caller) {
                // KafkaProducer reports what fails before the record is appended (no metadata
                // within max.block.ms, buffer full) through this callback, inside send(), instead
                // of throwing: retried below like a thrown error, so the caller's order is kept.
                refusedNow.set(error);
              } else if (error == null) {
                metrics.kafkaSendNanos(System.nanoTime() - start);
                done.complete(metadata);
              } else {
                LOG.error("Kafka refused a record for device {} on {}", key, topic.name(), error);
                done.completeExceptionally(error);
              }
            });
        handedOver.set(true);
        if (refusedNow.get() != null) {
          throw new KafkaNotReachedException(refusedNow.get());
        }
        return done;
      } catch (RuntimeException e) {
        if (!(e instanceof KafkaNotReachedException) && !TransientErrors.isTransient(e)) {
          // The record's own fault (a schema the registry refuses, a record the producer cannot
          // take): retrying would block the caller for ever. The caller dead-letters it.
          LOG.error("record for device {} on {} refused for good", key, topic.name(), e);
          done.completeExceptionally(e);
          return done;
        }
        Duration delay = backoff.delay(attempt);
        metrics.reconnect("kafka");
        LOG.warn(
            "send to {} for device {} failed ({}); retry {} in {} ms",
            topic.name(),
            key,
            e.toString(),
            attempt + 1,
            delay.toMillis());
        if (!pause(delay)) {
          done.completeExceptionally(new SenderClosedException());
          return done;
        }
      }
    }
  }

  /** Sends what is buffered now and waits until Kafka acknowledged it or failed it. */
  public void flush() {
    producer.flush();
  }

  /** Closes the producer, waiting at most {@code timeout} for buffered records. */
  public void close(Duration timeout) {
    if (closed.compareAndSet(false, true)) {
      producer.close(timeout);
      closeQuietly(producerMetrics);
    }
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(5));
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      LOG.debug("closing the producer's metrics: {}", e.toString());
    }
  }

  /** What {@link #send} fails with once the sender is closed or the bridge gives up. */
  public static final class SenderClosedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    SenderClosedException() {
      super("sender closed");
    }
  }

  /** A record the producer did not take: retried by {@link #send}. */
  private static final class KafkaNotReachedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    KafkaNotReachedException(Exception cause) {
      super(cause.toString(), cause);
    }
  }

  private static boolean pause(Duration delay) {
    try {
      Thread.sleep(delay.toMillis());
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
