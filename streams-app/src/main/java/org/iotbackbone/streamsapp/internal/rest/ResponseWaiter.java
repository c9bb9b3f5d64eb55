package org.iotbackbone.streamsapp.internal.rest;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.iotbackbone.schemas.RequestSource;
import org.iotbackbone.schemas.ShadowResponse;
import org.iotbackbone.schemas.config.KafkaClientSettings;
import org.iotbackbone.schemas.topics.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code iot.shadow.responses} from its end (committed records only) and completes the cloud
 * updates this instance is waiting for, by request id. Every instance reads every response, which
 * needs no routing of answers back to the asking instance; but it decodes only those whose key (the
 * device id) has a request waiting here: most responses answer devices, and decoding all of them
 * took a third as much CPU as the topology itself in the benchmark.
 */
public final class ResponseWaiter implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ResponseWaiter.class);

  private final KafkaConsumer<String, byte[]> consumer;
  private final Deserializer<ShadowResponse> deserializer;
  private final Map<String, CompletableFuture<ShadowResponse>> pending = new ConcurrentHashMap<>();

  /** Requests waiting, per device: the filter that spares decoding. */
  private final Map<String, Integer> waitingDevices = new ConcurrentHashMap<>();

  private final Thread thread;
  private volatile boolean running = true;

  /** A waiter reading from the brokers of {@code kafka}, with its {@code kafka.*} settings. */
  public ResponseWaiter(KafkaClientSettings kafka, Serde<ShadowResponse> serde) {
    Map<String, Object> props =
        kafka.config(
            Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.CLIENT_ID_CONFIG,
                "streams-app-response-waiter"));
    consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    deserializer = serde.deserializer();
    String topic = Topics.SHADOW_RESPONSES.name();
    List<TopicPartition> partitions =
        consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
            .map(info -> new TopicPartition(topic, info.partition()))
            .toList();
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    // Fix the positions now, so that no answer to a request made after start can be missed.
    partitions.forEach(consumer::position);
    thread = new Thread(this::run, "shadow-response-waiter");
    thread.setDaemon(true);
    thread.start();
  }

  /** Registers interest in the answer to a device's request; call before the request is sent. */
  public CompletableFuture<ShadowResponse> expect(String deviceId, String requestId) {
    CompletableFuture<ShadowResponse> future = new CompletableFuture<>();
    waitingDevices.merge(deviceId, 1, Integer::sum);
    pending.put(requestId, future);
    future.whenComplete(
        (response, error) -> {
          pending.remove(requestId);
          waitingDevices.computeIfPresent(deviceId, (id, n) -> n == 1 ? null : n - 1);
        });
    return future;
  }

  private void run() {
    try {
      while (running) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          if (record.key() == null || !waitingDevices.containsKey(record.key())) {
            continue;
          }
          ShadowResponse response;
          try {
            response = deserializer.deserialize(record.topic(), record.value());
          } catch (SerializationException e) {
            // Not ours to dead-letter (the topology wrote it); the caller's wait times out (504).
            LOG.warn(
                "undecodable response at {}-{}@{}",
                record.topic(),
                record.partition(),
                record.offset(),
                e);
            continue;
          }
          if (response == null
              || response.getRequestId() == null
              || response.getSource() != RequestSource.CLOUD) {
            continue;
          }
          CompletableFuture<ShadowResponse> future = pending.get(response.getRequestId());
          if (future != null) {
            future.complete(response);
          }
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      LOG.error("response waiter stopped", e);
      pending.values().forEach(f -> f.completeExceptionally(e));
    } finally {
      consumer.close();
      deserializer.close();
    }
  }

  @Override
  public void close() {
    if (!running) {
      return;
    }
    running = false;
    consumer.wakeup();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
