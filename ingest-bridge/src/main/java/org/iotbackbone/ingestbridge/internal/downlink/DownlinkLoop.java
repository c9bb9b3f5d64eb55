package org.iotbackbone.ingestbridge.internal.downlink;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
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
import org.iotbackbone.schemas.JobResponse;
import org.iotbackbone.schemas.ShadowResponse;
import org.iotbackbone.schemas.config.KafkaClientSettings;
import org.iotbackbone.schemas.errors.TransientErrors;
import org.iotbackbone.schemas.serde.RegistryConfig;
import org.iotbackbone.schemas.serde.RegistrySerdes;
import org.iotbackbone.schemas.topics.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries {@code iot.commands}, {@code iot.shadow.responses} and {@code iot.job.responses} to
 * devices, as a member of a consumer group. Each polled batch is published (QoS 1), each command's
 * DELIVERED or EXPIRED event produced, and only then are the batch's offsets committed: a bridge
 * that dies in between hands the batch to the next member, which publishes it again
 * (at-least-once).
 *
 * <p>A failed publish (broker away) or a registry that does not answer is retried with backoff
 * until it succeeds or the bridge stops, one device's records one at a time in partition order; a
 * command is checked for expiry again before every attempt. While it retries, the consumer keeps
 * polling with its partitions paused, so that it stays in its group. A record that cannot be read
 * or published for good becomes a dead letter. A command the brokers accepted without a subscriber
 * (MQTT 5 reason code 0x10) is recorded UNDELIVERED, not DELIVERED. The loop restarts itself, on a
 * new consumer, after any failure.
 */
public final class DownlinkLoop implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DownlinkLoop.class);

  private final Map<String, Object> consumerConfig;
  private volatile KafkaConsumer<String, byte[]> consumer;
  // Offsets of finished batches not yet committed (a commit failed): retried with the next commit.
  // Touched only by the loop's thread (the rebalance listener runs inside its poll).
  private final Map<TopicPartition, OffsetAndMetadata> uncommitted = new HashMap<>();
  private volatile long lastPollNanos = System.nanoTime();
  private volatile boolean running;
  private volatile String lastFailure;
  private final Deserializer<Command> commands;
  private final Deserializer<ShadowResponse> responses;
  private final Deserializer<JobResponse> jobResponses;
  private final Function<String, List<BrokerConnection>> router;
  private final KafkaSender sender;
  private final BridgeMetrics metrics;
  private final Backoff backoff;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Thread thread;

  /**
   * A loop in group {@code groupId} on the brokers of {@code kafka} (its {@code kafka.*} settings
   * over the consumer's defaults), a static member of it as {@code instanceId}; {@code router}
   * names the connections a device's messages go to.
   */
  public DownlinkLoop(
      KafkaClientSettings kafka,
      String groupId,
      String instanceId,
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
    // A static member (the bridge's own id): a bridge that was killed and comes back gets its
    // partitions at once, instead of waiting out the dead member's session (45 s) while commands
    // expire; the chaos suite saw half the commands of a 5-second bridge outage expire without it.
    config.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instanceId);
    this.consumerConfig = kafka.config(config);
    this.commands = RegistrySerdes.valueSerde(Topics.COMMANDS, registry).deserializer();
    this.responses = RegistrySerdes.valueSerde(Topics.SHADOW_RESPONSES, registry).deserializer();
    this.jobResponses = RegistrySerdes.valueSerde(Topics.JOB_RESPONSES, registry).deserializer();
    this.router = router;
    this.sender = sender;
    this.metrics = metrics;
    this.backoff = backoff;
    this.thread = new Thread(this::run, "downlink");
    thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  /** Whether the loop has partitions assigned (for readiness and tests). */
  public boolean hasAssignment() {
    return assigned;
  }

  private volatile boolean assigned;

  /**
   * Why the downlink does not carry messages now, or null when it runs: its thread ended, it is
   * restarting after a failure, or it has not polled Kafka for longer than {@code stall}.
   */
  public String notRunningReason(Duration stall) {
    if (closed.get()) {
      return null;
    }
    if (!thread.isAlive()) {
      return "downlink stopped" + (lastFailure == null ? "" : ": " + lastFailure);
    }
    if (!running) {
      return lastFailure == null
          ? "downlink starting"
          : "downlink restarting after: " + lastFailure;
    }
    long silentMillis = (System.nanoTime() - lastPollNanos) / 1_000_000;
    if (silentMillis > stall.toMillis()) {
      return "downlink has not polled Kafka for " + silentMillis / 1000 + " s";
    }
    return null;
  }

  /**
   * Runs the loop on a fresh consumer, and again on a new one, after a backoff, whenever it fails:
   * nothing but {@link #close()} ends the downlink. A failed consumer's uncommitted batch is read
   * again by its successor (or another member) from the last committed offset: at-least-once.
   */
  private void run() {
    for (int restarts = 0; !closed.get(); restarts++) {
      try {
        consume();
      } catch (WakeupException e) {
        if (closed.get()) {
          return;
        }
        lastFailure = e.toString();
        LOG.error("downlink loop woken up unexpectedly; restarting", e);
      } catch (RuntimeException e) {
        lastFailure = e.toString();
        LOG.error("downlink loop failed; restarting it", e);
      } finally {
        running = false;
        assigned = false;
      }
      if (!closed.get()) {
        metrics.downlinkRestart();
        pause(backoff.delay(restarts));
      }
    }
  }

  private void consume() {
    KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(consumerConfig);
    consumer = c;
    uncommitted.clear();
    // Its lag (kafka_consumer_fetch_manager_records_lag_max) is how far commands are behind.
    AutoCloseable consumerMetrics = metrics.kafkaClient(c);
    try {
      if (closed.get()) {
        return;
      }
      c.subscribe(
          List.of(
              Topics.COMMANDS.name(), Topics.SHADOW_RESPONSES.name(), Topics.JOB_RESPONSES.name()),
          new Rebalances(c));
      running = true;
      while (!closed.get()) {
        ConsumerRecords<String, byte[]> records = poll(c, Duration.ofMillis(200));
        commit(c); // what an earlier commit could not
        if (records.isEmpty()) {
          continue;
        }
        if (!complete(c, records)) {
          return; // stopping: the batch is not committed and goes to the next member
        }
        for (TopicPartition partition : records.partitions()) {
          List<ConsumerRecord<String, byte[]>> in = records.records(partition);
          uncommitted.put(partition, new OffsetAndMetadata(in.get(in.size() - 1).offset() + 1));
        }
        commit(c);
        lastFailure = null;
      }
    } finally {
      consumer = null;
      try {
        c.close(CloseOptions.timeout(Duration.ofSeconds(5)));
      } catch (RuntimeException e) {
        LOG.debug("closing the downlink consumer: {}", e.toString());
      }
      try {
        consumerMetrics.close();
      } catch (Exception e) {
        LOG.debug("closing the downlink consumer's metrics: {}", e.toString());
      }
    }
  }

  private ConsumerRecords<String, byte[]> poll(KafkaConsumer<String, byte[]> c, Duration timeout) {
    ConsumerRecords<String, byte[]> records = c.poll(timeout);
    lastPollNanos = System.nanoTime();
    assigned = !c.assignment().isEmpty();
    return records;
  }

  /**
   * Works through a batch, device by device in order, retrying failures with backoff; meanwhile the
   * consumer keeps polling with its partitions paused, so that a stall longer than {@code
   * max.poll.interval.ms} (a broker that does not answer, a long backoff) does not cost it its
   * group membership. False when stopping.
   */
  private boolean complete(
      KafkaConsumer<String, byte[]> c, ConsumerRecords<String, byte[]> records) {
    List<ConsumerRecord<String, byte[]>> list = new ArrayList<>();
    records.forEach(list::add);
    DeviceOrderedBatch<ConsumerRecord<String, byte[]>> batch =
        new DeviceOrderedBatch<>(
            list, ConsumerRecord::key, this::handle, backoff, System::nanoTime);
    try {
      while (!batch.step()) {
        if (closed.get()) {
          return false;
        }
        batch.awaitProgress(Duration.ofMillis(100));
        // Partitions assigned by a rebalance in this poll are not paused yet: what it returns of
        // them is read again later (seek back), never skipped.
        c.pause(c.assignment());
        ConsumerRecords<String, byte[]> early = poll(c, Duration.ZERO);
        for (TopicPartition partition : early.partitions()) {
          c.seek(partition, early.records(partition).get(0).offset());
        }
      }
      return true;
    } finally {
      c.resume(c.assignment());
    }
  }

  /**
   * Commits the finished batches' offsets of the partitions this member still has. A failed commit
   * (the group rebalanced, the coordinator moved) is kept and tried again after the next poll; a
   * partition that went to another member is left to it, which reads on from the last committed
   * offset (at worst a repeat, never a gap).
   */
  private void commit(KafkaConsumer<String, byte[]> c) {
    if (uncommitted.isEmpty()) {
      return;
    }
    uncommitted.keySet().retainAll(c.assignment());
    if (uncommitted.isEmpty()) {
      return;
    }
    try {
      c.commitSync(new HashMap<>(uncommitted));
      uncommitted.clear();
    } catch (CommitFailedException
        | RebalanceInProgressException
        | org.apache.kafka.common.errors.RetriableException e) {
      LOG.warn("downlink commit failed, tried again after the next poll: {}", e.toString());
    }
  }

  /** Commits what it can of partitions on their way out, and forgets the rest. */
  private final class Rebalances implements ConsumerRebalanceListener {
    private final KafkaConsumer<String, byte[]> c;

    Rebalances(KafkaConsumer<String, byte[]> c) {
      this.c = c;
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      Map<TopicPartition, OffsetAndMetadata> leaving = new HashMap<>();
      for (TopicPartition partition : partitions) {
        OffsetAndMetadata offset = uncommitted.remove(partition);
        if (offset != null) {
          leaving.put(partition, offset);
        }
      }
      if (!leaving.isEmpty()) {
        try {
          c.commitSync(leaving);
        } catch (RuntimeException e) {
          LOG.warn("commit of revoked partitions failed (they are read again): {}", e.toString());
        }
      }
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {}

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      partitions.forEach(uncommitted::remove);
    }
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
      Outbound out =
          Topics.JOB_RESPONSES.name().equals(record.topic())
              ? DownlinkMapper.jobResponse(jobResponses.deserialize(record.topic(), record.value()))
              : DownlinkMapper.shadowResponse(
                  responses.deserialize(record.topic(), record.value()));
      return publish(out).thenRun(() -> metrics.downlink(record.topic()));
    } catch (RuntimeException e) {
      if (TransientErrors.isTransient(e)) {
        // The registry (or Kafka) away for a moment: not the record's fault. Retried with backoff
        // by the batch, in the device's order.
        return CompletableFuture.failedFuture(e);
      }
      if (e instanceof IllegalArgumentException) {
        return deadLetter(record, DeadLetterReason.INVALID_REQUEST, e.getMessage());
      }
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
            published -> {
              CommandStatus status =
                  published.delivered() ? CommandStatus.DELIVERED : CommandStatus.UNDELIVERED;
              String message = null;
              if (!published.delivered()) {
                message =
                    "no matching subscribers on broker "
                        + published.brokers()
                        + " (MQTT 5 PUBACK reason 0x10): no session is subscribed to the"
                        + " device's commands, nobody got it";
                LOG.info(
                    "command {} for device {} undelivered: {}",
                    command.getCommandId(),
                    command.getDeviceId(),
                    message);
              }
              return sender
                  .send(
                      Topics.COMMAND_EVENTS,
                      command.getDeviceId(),
                      DownlinkMapper.event(
                          command, status, message, published.brokers(), Instant.now()))
                  .thenRun(
                      () -> {
                        metrics.command(status.name());
                        metrics.downlink(record.topic());
                      });
            });
  }

  /**
   * What the brokers answered a publish: {@code brokers} are the ids of those that had a subscriber
   * for it when any had one ({@code delivered}), else of all (each answered "no matching
   * subscribers", MQTT 5 reason code 0x10: the message was dropped there).
   */
  record Published(boolean delivered, String brokers) {

    static Published of(List<String> subscribed, List<String> noSubscriber) {
      return subscribed.isEmpty()
          ? new Published(false, String.join(",", noSubscriber))
          : new Published(true, String.join(",", subscribed));
    }
  }

  /** Publishes to every broker the router names; completes with what they answered. */
  private CompletableFuture<Published> publish(Outbound out) {
    List<BrokerConnection> targets = router.apply(out.deviceId());
    List<CompletableFuture<Boolean>> sends = new ArrayList<>();
    for (BrokerConnection target : targets) {
      sends.add(
          target
              .publish(message(out))
              .thenApply(
                  result -> {
                    metrics.published(target.broker().id());
                    return !BrokerConnection.noMatchingSubscribers(result);
                  }));
    }
    return CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new))
        .thenApply(
            ignored -> {
              List<String> subscribed = new ArrayList<>();
              List<String> none = new ArrayList<>();
              for (int i = 0; i < targets.size(); i++) {
                (sends.get(i).join() ? subscribed : none).add(targets.get(i).broker().id());
              }
              return Published.of(subscribed, none);
            });
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
      KafkaConsumer<String, byte[]> c = consumer;
      if (c != null) {
        c.wakeup();
      }
      try {
        thread.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
