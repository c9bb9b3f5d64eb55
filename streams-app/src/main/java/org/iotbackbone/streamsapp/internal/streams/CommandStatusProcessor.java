package org.iotbackbone.streamsapp.internal.streams;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.iotbackbone.schemas.DeadLetterReason;
import org.iotbackbone.streamsapp.CommandLimits;
import org.iotbackbone.streamsapp.internal.InvalidRecordException;
import org.iotbackbone.streamsapp.internal.json.Json;
import org.iotbackbone.streamsapp.internal.ops.StreamsAppMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Folds a command and its events ({@link CommandStatusView}s read under their device's key, in the
 * device's task) into its status, stored by command id in that task's store, and keeps the store
 * bounded: only the device a command is addressed to may answer it (an event of another device, or
 * for a command this task never saw, is dead-lettered with a reason; a device in another partition
 * answering finds no such command), its history is capped, a command that never gets a final status
 * is timed out, and final statuses are forgotten after the retention.
 */
public final class CommandStatusProcessor implements Processor<String, String, Void, Void> {

  /** How often the store is swept for timeouts and expired statuses (wall-clock time). */
  public static final Duration SWEEP_INTERVAL = Duration.ofSeconds(30);

  private static final Logger LOG = LoggerFactory.getLogger(CommandStatusProcessor.class);

  private final String storeName;
  private final CommandLimits limits;
  private final StreamsAppMetrics metrics;
  private ProcessorContext<Void, Void> context;
  private KeyValueStore<String, String> store;

  /**
   * @param metrics where each status a command reaches is counted
   */
  public CommandStatusProcessor(String storeName, CommandLimits limits, StreamsAppMetrics metrics) {
    this.storeName = storeName;
    this.limits = limits;
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    this.context = context;
    this.store = context.getStateStore(storeName);
    context.schedule(SWEEP_INTERVAL, PunctuationType.WALL_CLOCK_TIME, this::sweep);
  }

  @Override
  public void process(Record<String, String> record) {
    ObjectNode update = Json.parseObject(record.value());
    String commandId = update.path("commandId").asText();
    String known = store.get(commandId);
    if (CommandStatusView.isCommand(update)) {
      store(commandId, known, known == null ? record.value() : merge(known, record.value()));
      return;
    }
    // An event: only for a command that was issued, and only from the device it addresses. The
    // store holds the commands of this task's devices: one for a device in another partition is
    // not here, and its answer is refused as for a command nobody issued.
    if (known == null) {
      throw new InvalidRecordException(
          DeadLetterReason.INVALID_REQUEST,
          "no command with id "
              + commandId
              + " in the partition of device "
              + record.key()
              + " (a command's status lives in its device's partition)");
    }
    String addressed = Json.parseObject(known).path("deviceId").asText();
    String from = update.path("deviceId").asText();
    if (!addressed.equals(from)) {
      throw new InvalidRecordException(
          DeadLetterReason.INVALID_DEVICE_ID,
          "device " + from + " may not answer command " + commandId + " of device " + addressed);
    }
    store(commandId, known, merge(known, record.value()));
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

  /** Times out commands past expiry and completion timeout; forgets old final statuses. */
  private void sweep(long now) {
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
}
