package org.iotbackbone.ingestbridge.internal.downlink;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.iotbackbone.ingestbridge.internal.Backoff;
import org.iotbackbone.ingestbridge.internal.kafka.KafkaSender;
import org.iotbackbone.ingestbridge.internal.mqtt.BrokerConnection;
import org.iotbackbone.ingestbridge.internal.ops.BridgeMetrics;
import org.iotbackbone.schemas.Command;
import org.iotbackbone.schemas.CommandStatus;
import org.iotbackbone.schemas.DeadLetter;
import org.iotbackbone.schemas.DeadLetterReason;
import org.iotbackbone.schemas.DeadLetters;
import org.iotbackbone.schemas.DeadLetters.Origin;
import org.iotbackbone.schemas.ShadowResponse;
import org.iotbackbone.schemas.config.KafkaClientSettings;
import org.iotbackbone.schemas.serde.RegistryConfig;
import org.iotbackbone.schemas.serde.RegistrySerdes;
import org.iotbackbone.schemas.topics.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries {@code iot.commands} and {@code iot.shadow.responses} to devices, as a member of a
 * consumer group. Each polled batch is published (QoS 1), each command's DELIVERED or EXPIRED event
 * produced, and only then are the batch's offsets committed: a bridge that dies in between hands
 * the batch to the next member, which publishes it again (at-least-once).
 *
 * <p>A failed publish (broker away) is retried with backoff until it succeeds or the bridge stops;
 * a command is checked for expiry again before every attempt. A record that cannot be read or
 * published for good becomes a dead letter.
 */
public final class DownlinkLoop implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DownlinkLoop.class);

  private final KafkaConsumer<String, byte[]> consumer;
  private final Deserializer<Command> commands;
  private final Deserializer<ShadowResponse> responses;
  private final Function<String, List<BrokerConnection>> router;
  private final KafkaSender sender;
  private final BridgeMetrics metrics;
  private final Backoff backoff;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Thread thread;

  /**
   * A loop in group {@code groupId} on the brokers of {@code kafka} (its {@code kafka.*} settings
   * over the consumer's defaults); {@code router} names the connections a device's messages go to.
   */
  public DownlinkLoop(
      KafkaClientSettings kafka,
      String groupId,
      RegistryConfig registry,
      Function<String, List<BrokerConnection>> router,
      KafkaSender sender,
      BridgeMetrics metrics,
      Backoff backoff) {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    // A new group starts at the beginning: a command issued before the first bridge ran is still
    // delivered if it has not expired, and recorded EXPIRED (never published) if it has.
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, "ingest-bridge-downlink");
    this.consumer = new KafkaConsumer<>(kafka.config(config));
    this.commands = RegistrySerdes.valueSerde(Topics.COMMANDS, registry).deserializer();
    this.responses = RegistrySerdes.valueSerde(Topics.SHADOW_RESPONSES, registry).deserializer();
    this.router = router;
    this.sender = sender;
    this.metrics = metrics;
    this.backoff = backoff;
    this.thread = new Thread(this::run, "downlink");
    thread.setDaemon(true);
  }

  public void start() {
    consumer.subscribe(List.of(Topics.COMMANDS.name(), Topics.SHADOW_RESPONSES.name()));
    thread.start();
  }

  /** Whether the loop has partitions assigned (for readiness and tests). */
  public boolean hasAssignment() {
    return assigned;
  }

  private volatile boolean assigned;

  private void run() {
    try {
      while (!closed.get()) {
        ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(200));
        assigned = !consumer.assignment().isEmpty();
        if (records.isEmpty()) {
          continue;
        }
        List<Supplier<CompletableFuture<Void>>> work = new ArrayList<>();
        records.forEach(record -> work.add(() -> handle(record)));
        if (!completeAll(work)) {
          return; // stopping: the batch is not committed and goes to the next member
        }
        consumer.commitSync();
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      LOG.error("downlink loop stopped", e);
    } finally {
      consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));
    }
  }

  /** Runs every attempt, then retries the failed ones with backoff; false when stopping. */
  private boolean completeAll(List<Supplier<CompletableFuture<Void>>> work) {
    List<CompletableFuture<Void>> running = new ArrayList<>();
    work.forEach(attempt -> running.add(attempt.get()));
    for (int i = 0; i < work.size(); i++) {
      for (int attempt = 0; !succeeded(running.get(i)); attempt++) {
        if (closed.get()) {
          return false;
        }
        pause(backoff.delay(attempt));
        running.set(i, work.get(i).get());
      }
    }
    return true;
  }

  private boolean succeeded(CompletableFuture<?> future) {
    while (!closed.get()) {
      try {
        future.get(500, TimeUnit.MILLISECONDS);
        return true;
      } catch (TimeoutException e) {
        // keep waiting: a publish waits for the connection to come back
      } catch (ExecutionException e) {
        LOG.warn("downlink attempt failed: {}", e.getCause().toString());
        return false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return false;
  }

  private CompletableFuture<Void> handle(ConsumerRecord<String, byte[]> record) {
    return handleOnce(record)
        .exceptionallyCompose(
            error -> {
              Throwable cause =
                  error instanceof java.util.concurrent.CompletionException
                      ? error.getCause()
                      : error;
              // A broker's refusal (not authorized, quota) will not change on retry.
              return cause instanceof BrokerConnection.PublishRefusedException
                  ? deadLetter(record, DeadLetterReason.WRITE_FAILED, cause.getMessage())
                  : CompletableFuture.<Void>failedFuture(cause);
            });
  }

  private CompletableFuture<Void> handleOnce(ConsumerRecord<String, byte[]> record) {
    try {
      if (Topics.COMMANDS.name().equals(record.topic())) {
        Command command = commands.deserialize(record.topic(), record.value());
        return command(command, record);
      }
      ShadowResponse response = responses.deserialize(record.topic(), record.value());
      Outbound out = DownlinkMapper.shadowResponse(response);
      return publish(out).thenRun(() -> metrics.downlink(record.topic()));
    } catch (IllegalArgumentException e) {
      return deadLetter(record, DeadLetterReason.INVALID_REQUEST, e.getMessage());
    } catch (RuntimeException e) {
      return deadLetter(record, DeadLetterReason.DESERIALIZATION_FAILED, e.toString());
    }
  }

  private CompletableFuture<Void> command(Command command, ConsumerRecord<String, byte[]> record) {
    Instant now = Instant.now();
    Outbound out = DownlinkMapper.command(command, now);
    if (out == null) {
      metrics.command("EXPIRED");
      LOG.info("command {} for device {} expired", command.getCommandId(), command.getDeviceId());
      return sender
          .send(
              Topics.COMMAND_EVENTS,
              command.getDeviceId(),
              DownlinkMapper.event(
                  command, CommandStatus.EXPIRED, "expired before delivery", null, now))
          .thenRun(() -> metrics.downlink(record.topic()));
    }
    return publish(out)
        .thenCompose(
            broker ->
                sender.send(
                    Topics.COMMAND_EVENTS,
                    command.getDeviceId(),
                    DownlinkMapper.event(
                        command, CommandStatus.DELIVERED, null, broker, Instant.now())))
        .thenRun(
            () -> {
              metrics.command("DELIVERED");
              metrics.downlink(record.topic());
            });
  }

  /** Publishes to every broker the router names; completes with their ids, comma-separated. */
  private CompletableFuture<String> publish(Outbound out) {
    List<BrokerConnection> targets = router.apply(out.deviceId());
    List<CompletableFuture<String>> sends = new ArrayList<>();
    for (BrokerConnection target : targets) {
      sends.add(
          target
              .publish(message(out))
              .thenApply(
                  result -> {
                    metrics.published(target.broker().id());
                    return target.broker().id();
                  }));
    }
    return CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new))
        .thenApply(
            ignored -> String.join(",", sends.stream().map(CompletableFuture::join).toList()));
  }

  private static Mqtt5Publish message(Outbound out) {
    Mqtt5PublishBuilder.Complete builder =
        Mqtt5Publish.builder().topic(out.topic()).qos(MqttQos.AT_LEAST_ONCE).payload(out.payload());
    if (out.expirySeconds() > 0) {
      builder = builder.messageExpiryInterval(out.expirySeconds());
    }
    if (out.correlationData() != null) {
      builder = builder.correlationData(out.correlationData());
    }
    if (out.responseTopic() != null) {
      builder = builder.responseTopic(out.responseTopic());
    }
    return builder.contentType("application/json").build();
  }

  private CompletableFuture<Void> deadLetter(
      ConsumerRecord<String, byte[]> record, DeadLetterReason reason, String message) {
    LOG.warn(
        "dead letter {} for {}-{}@{}: {}",
        reason,
        record.topic(),
        record.partition(),
        record.offset(),
        message);
    DeadLetter deadLetter =
        DeadLetters.builder(Origin.INGEST_BRIDGE, reason)
            .message(message)
            .device(record.key())
            .kafkaSource(record.topic(), record.partition(), record.offset())
            .payload(record.value())
            .build();
    return sender
        .send(Topics.DEAD_LETTER, record.key(), deadLetter)
        .thenRun(() -> metrics.deadLetter(reason));
  }

  private static void pause(Duration delay) {
    try {
      Thread.sleep(delay.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      consumer.wakeup();
      try {
        thread.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
