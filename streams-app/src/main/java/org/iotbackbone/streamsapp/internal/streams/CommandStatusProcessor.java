package org.iotbackbone.streamsapp.internal.streams;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.iotbackbone.schemas.DeadLetter;
import org.iotbackbone.schemas.DeadLetterReason;
import org.iotbackbone.schemas.DeadLetters;
import org.iotbackbone.schemas.topics.Topics;
import org.iotbackbone.streamsapp.CommandLimits;
import org.iotbackbone.streamsapp.internal.InvalidRecordException;
import org.iotbackbone.streamsapp.internal.json.Json;
import org.iotbackbone.streamsapp.internal.ops.StreamsAppMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Folds a command and its events ({@link CommandRecord}s read under their device's key, in the
 * device's task) into its status, stored by command id in that task's store, and keeps the store
 * bounded: only the device a command is addressed to may answer it (an event of another device, or
 * for a command this task never saw, is dead-lettered with a reason; a device in another partition
 * answering finds no such command), its history is capped, a command that never gets a final status
 * is timed out, and final statuses are forgotten after the retention.
 *
 * <p>Kafka Streams does not order a task's two input partitions, so a device's answer may be read
 * before its command (after a stall, when the commands partition was fetched later). Such an early
 * answer is held ({@link EarlyAnswers}, a store of its own) for {@link
 * CommandLimits#answerGrace()}: applied with every check when the command comes, dead-lettered when
 * it does not. Those dead letters are decided out of the answer's own processing (when the command
 * comes, in the sweep), so they are not thrown to the exception handler but forwarded: the
 * processor's output is {@code iot.deadletter} records (device id, a serialized {@code
 * DeadLetter}), built as the handler builds them and counted the same way.
 */
public final class CommandStatusProcessor
    implements Processor<String, CommandRecord, String, byte[]> {

  /** The processor's node name: the {@code processorNodeId} of the letters it writes. */
  public static final String NAME = "command-status-fold";

  /** How often the store is swept for timeouts and expired statuses (wall-clock time). */
  public static final Duration SWEEP_INTERVAL = Duration.ofSeconds(30);

  private static final Logger LOG = LoggerFactory.getLogger(CommandStatusProcessor.class);

  private final String storeName;
  private final String earlyAnswerStoreName;
  private final CommandLimits limits;
  private final StreamsAppMetrics metrics;
  private ProcessorContext<String, byte[]> context;
  private KeyValueStore<String, String> store;
  private EarlyAnswers early;
  private Serializer<DeadLetter> letters;

  /**
   * @param storeName the statuses by command id
   * @param earlyAnswerStoreName the answers read before their command
   * @param metrics where each status a command reaches, and each letter, is counted
   */
  public CommandStatusProcessor(
      String storeName,
      String earlyAnswerStoreName,
      CommandLimits limits,
      StreamsAppMetrics metrics) {
    this.storeName = storeName;
    this.earlyAnswerStoreName = earlyAnswerStoreName;
    this.limits = limits;
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<String, byte[]> context) {
    this.context = context;
    this.store = context.getStateStore(storeName);
    this.early = new EarlyAnswers(context.getStateStore(earlyAnswerStoreName));
    context.schedule(SWEEP_INTERVAL, PunctuationType.WALL_CLOCK_TIME, this::sweep);
  }

  @Override
  public void process(Record<String, CommandRecord> record) {
    ObjectNode update = Json.parseObject(record.value().view());
    String commandId = update.path("commandId").asText();
    String known = store.get(commandId);
    if (CommandStatusView.isCommand(update)) {
      String view = known == null ? record.value().view() : merge(known, record.value().view());
      store(commandId, known, view);
      applyEarlyAnswers(commandId, view, record.timestamp());
      return;
    }
    // An event: only for a command that was issued, and only from the device it addresses. The
    // store holds the commands of this task's devices: one for a device in another partition is
    // not here, and its answer is refused as for a command nobody issued, once the grace is over.
    if (known == null) {
      hold(commandId, record);
      return;
    }
    String from = update.path("deviceId").asText();
    String refusal = refusal(known, commandId, from);
    if (refusal != null) {
      throw new InvalidRecordException(DeadLetterReason.INVALID_DEVICE_ID, refusal);
    }
    store(commandId, known, merge(known, record.value().view()));
  }

  /** Holds an answer read before its command, or refuses it at once when none may be held. */
  private void hold(String commandId, Record<String, CommandRecord> record) {
    String unknown = unknown(commandId, record.key());
    if (limits.answerGrace().isZero()) {
      throw new InvalidRecordException(DeadLetterReason.INVALID_REQUEST, unknown);
    }
    if (early.count() >= limits.maxHeldAnswers()) {
      throw new InvalidRecordException(
          DeadLetterReason.INVALID_REQUEST,
          unknown
              + "; not held for it: this task holds "
              + early.count()
              + " early answers already (command.answer.max.held)");
    }
    RecordMetadata from =
        context
            .recordMetadata()
            .orElseThrow(() -> new IllegalStateException("an event without its Kafka position"));
    early.hold(commandId, record.key(), record.value(), from, context.currentSystemTimeMs());
  }

  /**
   * Applies the answers held for a command that just came (its view as just stored: {@code
   * stored}), in the order they were read, with the checks they would have had then; one held
   * longer than the grace is dead-lettered, as the sweep would have done.
   */
  private void applyEarlyAnswers(String commandId, String stored, long timestamp) {
    long now = context.currentSystemTimeMs();
    String known = stored;
    for (EarlyAnswers.Held held : early.take(commandId)) {
      long waited = now - held.heldAt();
      if (waited > limits.answerGrace().toMillis()) {
        deadLetter(held, DeadLetterReason.INVALID_REQUEST, expired(held, waited), timestamp);
        continue;
      }
      String from = Json.parseObject(held.view()).path("deviceId").asText();
      String refusal = refusal(known, commandId, from);
      if (refusal != null) {
        deadLetter(
            held,
            DeadLetterReason.INVALID_DEVICE_ID,
            refusal + " (read " + waited + " ms before the command, held until it came)",
            timestamp);
        continue;
      }
      String next = merge(known, held.view());
      store(commandId, known, next);
      known = next;
    }
  }

  /** Why device {@code from} may not answer the command whose view is {@code known}, or null. */
  private static String refusal(String known, String commandId, String from) {
    String addressed = Json.parseObject(known).path("deviceId").asText();
    return addressed.equals(from)
        ? null
        : "device " + from + " may not answer command " + commandId + " of device " + addressed;
  }

  private static String unknown(String commandId, String device) {
    return "no command with id "
        + commandId
        + " in the partition of device "
        + device
        + " (a command's status lives in its device's partition)";
  }

  private String expired(EarlyAnswers.Held held, long waited) {
    return unknown(held.commandId(), held.device())
        + "; held "
        + waited
        + " ms for it, longer than command.answer.grace.ms ("
        + limits.answerGrace().toMillis()
        + ")";
  }

  /**
   * Writes a held answer to {@code iot.deadletter}, the letter the exception handler would have
   * written for it when it was read (its key, position and raw value), and counts it.
   */
  private void deadLetter(
      EarlyAnswers.Held held, DeadLetterReason reason, String message, long timestamp) {
    InvalidRecordException failure = new InvalidRecordException(reason, message);
    byte[] key = held.device().getBytes(StandardCharsets.UTF_8);
    DeadLetter letter =
        DeadLetters.builder(DeadLetters.Origin.STREAMS_APP, reason)
            .failure(failure)
            .attribute("processorNodeId", NAME)
            .attribute("taskId", context.taskId().toString())
            .deviceKey(key)
            .kafkaSource(held.topic(), held.partition(), held.offset())
            .payload(held.raw())
            .build();
    if (letters == null) {
      // Made on the first letter: most tasks never write one.
      letters = DeadLetterHandler.serializer(context.appConfigs());
    }
    String topic = Topics.DEAD_LETTER.name();
    context.forward(new Record<>(held.device(), letters.serialize(topic, letter), timestamp));
    metrics.deadLetter(reason, held.topic());
    LOG.warn(
        "device {} ({}-{}@{}): dead-lettered as {}: {}",
        held.device(),
        held.topic(),
        held.partition(),
        held.offset(),
        reason,
        message);
  }

  /**
   * Stores a command's new view, counting the status it reached when that changed (a processing
   * attempt: an aborted transaction's records are counted again when processed again).
   */
  private void store(String commandId, String known, String next) {
    store.put(commandId, next);
    String status = status(next);
    if (known == null || !status.equals(status(known))) {
      metrics.command(status);
    }
  }

  private static String status(String view) {
    return Json.parseObject(view).path("status").asText();
  }

  private String merge(String known, String update) {
    return CommandStatusView.merge(known, update, limits.maxHistory());
  }

  /**
   * Dead-letters the answers whose command did not come within the grace; times out commands past
   * expiry and completion timeout; forgets old final statuses.
   */
  private void sweep(long now) {
    for (EarlyAnswers.Held held : early.expired(now, limits.answerGrace().toMillis())) {
      deadLetter(held, DeadLetterReason.INVALID_REQUEST, expired(held, now - held.heldAt()), now);
    }
    List<KeyValue<String, String>> changed = new ArrayList<>();
    List<String> forgotten = new ArrayList<>();
    try (KeyValueIterator<String, String> all = store.all()) {
      while (all.hasNext()) {
        KeyValue<String, String> entry = all.next();
        ObjectNode view = Json.parseObject(entry.value);
        String status = view.path("status").asText();
        long updatedAt = view.path("updatedAt").asLong();
        if (CommandStatusView.isFinal(status)) {
          if (now - updatedAt > limits.statusRetention().toMillis()) {
            forgotten.add(entry.key);
          }
          continue;
        }
        long expiresAt = view.path("expiresAt").asLong(Long.MAX_VALUE);
        if (expiresAt != Long.MAX_VALUE
            && now - expiresAt > limits.completionTimeout().toMillis()) {
          boolean delivered = !CommandStatusView.PENDING.equals(status);
          changed.add(
              KeyValue.pair(
                  entry.key,
                  CommandStatusView.decided(
                      entry.value,
                      delivered ? CommandStatusView.TIMED_OUT : CommandStatusView.EXPIRED,
                      now,
                      delivered
                          ? "no final status from the device by expiry + "
                              + limits.completionTimeout()
                          : "not delivered before expiry",
                      limits.maxHistory())));
        }
      }
    }
    // Written after the scan: a RocksDB iterator does not see, and must not race, its own writes.
    // Each was not final, and is now: its status changed (known = null counts it).
    changed.forEach(kv -> store(kv.key, null, kv.value));
    forgotten.forEach(store::delete);
    if (!changed.isEmpty() || !forgotten.isEmpty()) {
      LOG.info(
          "command statuses: {} timed out or expired, {} final ones forgotten ({})",
          changed.size(),
          forgotten.size(),
          context.taskId());
    }
  }

  @Override
  public void close() {
    if (letters != null) {
      letters.close();
    }
  }
}
