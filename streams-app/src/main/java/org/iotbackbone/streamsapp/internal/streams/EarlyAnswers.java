package org.iotbackbone.streamsapp.internal.streams;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.iotbackbone.streamsapp.internal.json.Json;

/**
 * The answers a task read before their command, in a store of their own (not the status store: the
 * status lookups read that one, and must answer 404 while only an answer is known). One entry per
 * answer, keyed by command id and the answer's offset, so a command's answers are found by a prefix
 * scan in the order they were read. Counted, so that the processor can bound them; the count is
 * taken from the store when the processor starts (after a restore, or a dirty close under
 * exactly-once, which wipes and restores the store).
 */
final class EarlyAnswers {

  /** An answer held: its view, where it was read and its raw value, and when it was held. */
  record Held(
      String key,
      String commandId,
      String device,
      String view,
      long heldAt,
      String topic,
      int partition,
      long offset,
      byte[] raw) {}

  private static final StringSerializer KEYS = new StringSerializer();

  private final KeyValueStore<String, String> store;
  private int count;

  EarlyAnswers(KeyValueStore<String, String> store) {
    this.store = store;
    try (KeyValueIterator<String, String> all = store.all()) {
      while (all.hasNext()) {
        all.next();
        count++;
      }
    }
  }

  /** Answers held now. */
  int count() {
    return count;
  }

  void hold(String commandId, String device, CommandRecord answer, RecordMetadata from, long now) {
    ObjectNode held = Json.object();
    held.put("commandId", commandId);
    held.put("device", device);
    held.put("view", answer.view());
    held.put("heldAt", now);
    held.put("topic", from.topic());
    held.put("partition", from.partition());
    held.put("offset", from.offset());
    held.put("raw", Base64.getEncoder().encodeToString(answer.rawEvent()));
    // Zero-padded: keys sort in the order the partition's answers were read.
    String key = prefix(commandId) + String.format("%019d", from.offset());
    if (store.putIfAbsent(key, Json.write(held)) == null) {
      count++;
    }
  }

  /** The answers held for a command, in the order they were read, taken out of the store. */
  List<Held> take(String commandId) {
    List<Held> answers = new ArrayList<>();
    try (KeyValueIterator<String, String> found = store.prefixScan(prefix(commandId), KEYS)) {
      while (found.hasNext()) {
        Held held = held(found.next());
        // A prefix also matches longer ids that start with this one and the separator.
        if (held.commandId().equals(commandId)) {
          answers.add(held);
        }
      }
    }
    remove(answers);
    return answers;
  }

  /** The answers held longer than {@code graceMs} at {@code now}, taken out of the store. */
  List<Held> expired(long now, long graceMs) {
    List<Held> expired = new ArrayList<>();
    try (KeyValueIterator<String, String> all = store.all()) {
      while (all.hasNext()) {
        Held held = held(all.next());
        if (now - held.heldAt() > graceMs) {
          expired.add(held);
        }
      }
    }
    // Deleted after the scan: a RocksDB iterator must not race its own writes.
    remove(expired);
    return expired;
  }

  private void remove(List<Held> answers) {
    for (Held held : answers) {
      store.delete(held.key());
      count--;
    }
  }

  private static String prefix(String commandId) {
    return commandId + "#";
  }

  private static Held held(KeyValue<String, String> entry) {
    ObjectNode held = Json.parseObject(entry.value);
    return new Held(
        entry.key,
        held.path("commandId").asText(),
        held.path("device").asText(),
        held.path("view").asText(),
        held.path("heldAt").asLong(),
        held.path("topic").asText(),
        held.path("partition").asInt(),
        held.path("offset").asLong(),
        Base64.getDecoder().decode(held.path("raw").asText()));
  }
}
