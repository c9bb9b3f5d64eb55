package org.iotbackbone.localstack.internal.chaos;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.iotbackbone.schemas.Command;
import org.iotbackbone.schemas.DeviceShadow;
import org.iotbackbone.schemas.serde.RegistryConfig;
import org.iotbackbone.schemas.serde.RegistrySerdes;
import org.iotbackbone.schemas.topics.TopicDefinition;
import org.iotbackbone.schemas.topics.Topics;
import org.iotbackbone.simulator.Count;
import org.iotbackbone.simulator.SimulationReport;

/**
 * What a run promised, checked after it against what the platform holds (docs/design.md,
 * Guarantees): every event a device had a PUBACK for is in Kafka; the changelog's versions of a
 * shadow rise by one at a time (an update applied once); every device's last shadow is in the CQL
 * table at its changelog version; every command the API accepted has reached a terminal status (as
 * {@code GET /commands/{id}} tells it). Duplicated events are counted, not failed: the uplink is
 * at-least-once and README says so.
 *
 * <p>The topics are read on from where the last check's read ended (the first from the beginning),
 * every device's records kept in short: one run's check picks its own devices'.
 */
public final class Ledger implements AutoCloseable {

  /**
   * A command is still on its way in these statuses (and in no status the API gives); any other is
   * where it ends: SUCCEEDED, FAILED, REJECTED, EXPIRED, UNDELIVERED, TIMED_OUT.
   */
  /**
   * The statuses that end a command. Anything else counts as not ended: an open status, but also an
   * answer that is not a status (a 401, a 404, no answer), so that a ledger that cannot ask the API
   * fails instead of passing.
   */
  private static final Set<String> TERMINAL_STATUSES =
      Set.of("SUCCEEDED", "FAILED", "REJECTED", "EXPIRED", "UNDELIVERED", "TIMED_OUT");

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  /** One promise and whether the run kept it. */
  public record Check(String name, boolean kept, String detail) {}

  private final Map<String, Object> kafka;
  private final RegistryConfig registry;
  private final String restUrl;
  private final Optional<String> restAuthorization;
  private final java.net.http.HttpClient http =
      java.net.http.HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String cqlContactPoint;
  private final String cqlDatacenter;
  private final String keyspace;

  /** Per device, the classic shadow's states read so far: see {@link Snapshot#versions}. */
  private final Map<String, List<long[]>> versions = new TreeMap<>();

  /** The commands read so far, as {device, command id}, in the order read. */
  private final List<String[]> commandIds = new ArrayList<>();

  /** Opened by the first read. */
  private TopicTail<DeviceShadow> shadowState;

  private TopicTail<Command> commandLog;

  Ledger(
      Map<String, Object> kafka,
      RegistryConfig registry,
      String restUrl,
      Optional<String> restAuthorization,
      String cqlContactPoint,
      String cqlDatacenter,
      String keyspace) {
    this.kafka = kafka;
    this.registry = registry;
    this.restUrl = restUrl.endsWith("/") ? restUrl : restUrl + "/";
    this.restAuthorization = restAuthorization;
    this.cqlContactPoint = cqlContactPoint;
    this.cqlDatacenter = cqlDatacenter;
    this.keyspace = keyspace;
  }

  /**
   * Checks a run whose devices' ids start with {@code devicePrefix}; waits up to {@code settle} for
   * what is still on its way (the sink's writes, commands' expiry).
   */
  List<Check> check(SimulationReport report, String devicePrefix, Duration settle)
      throws InterruptedException {
    List<Check> checks = new ArrayList<>();
    long sent = report.total(Count.EVENTS_SENT);
    long lost = report.eventsLost();
    checks.add(
        new Check(
            "events acknowledged to devices are in Kafka",
            lost == 0,
            String.format(
                "%d acknowledged, %d in iot.device.events, %d missing, %d redelivered (at-least-once)",
                sent,
                report.total(Count.EVENTS_ARRIVED),
                lost,
                report.total(Count.EVENTS_DUPLICATED))));
    long deadline = System.nanoTime() + settle.toNanos();
    Snapshot snapshot = read(devicePrefix);
    checks.add(shadowVersions(snapshot, report));
    Check commands = commands(snapshot);
    while (!commands.kept() && System.nanoTime() < deadline) {
      Thread.sleep(2_000);
      snapshot = read(devicePrefix);
      commands = commands(snapshot);
    }
    checks.add(commands);
    checks.add(shadowsInCql(snapshot, deadline));
    return checks;
  }

  private static Check shadowVersions(Snapshot snapshot, SimulationReport report) {
    List<String> broken = new ArrayList<>();
    int twice = 0;
    for (Map.Entry<String, List<long[]>> device : snapshot.versions.entrySet()) {
      List<long[]> states = device.getValue();
      Set<Long> applied = new java.util.HashSet<>();
      for (int i = 0; i < states.size(); i++) {
        long version = states.get(i)[0];
        long update = states.get(i)[1];
        // A presence change or a named shadow's update repeats the classic version; an update
        // raises it by one. Anything else is a lost or an invented version.
        if (i > 0) {
          long step = version - states.get(i - 1)[0];
          if (step < 0 || step > 1) {
            broken.add(device.getKey() + " " + states.get(i - 1)[0] + "→" + version);
          }
          if (step == 1 && update != 0 && !applied.add(update)) {
            twice++;
          }
        } else if (update != 0) {
          applied.add(update);
        }
      }
    }
    long accepted = report.total(Count.UPDATES_ACCEPTED);
    long inChangelog = report.total(Count.UPDATES_IN_CHANGELOG);
    boolean kept = broken.isEmpty() && twice == 0 && inChangelog >= accepted;
    return new Check(
        "every accepted shadow update is in the changelog, applied once",
        kept,
        String.format(
            "%d accepted, %d in iot.shadow.state over %d devices; applied twice: %d;"
                + " versions skipped or going back: %s",
            accepted,
            inChangelog,
            snapshot.versions.size(),
            twice,
            broken.isEmpty() ? "none" : first(broken)));
  }

  /**
   * Every command id in {@code iot.commands} for the run's devices, with its status as the REST API
   * answers it ({@code GET /commands/{id}}): where the contract says a command's status is read,
   * and where the streams app's own decisions (TIMED_OUT, EXPIRED) show.
   */
  private Check commands(Snapshot snapshot) throws InterruptedException {
    List<String> open = new ArrayList<>();
    Map<String, Integer> ends = new TreeMap<>();
    for (String id : snapshot.commands) {
      String status = commandStatus(id);
      if (!TERMINAL_STATUSES.contains(status)) {
        open.add(id + " (" + status + ")");
      } else {
        ends.merge(status, 1, Integer::sum);
      }
    }
    return new Check(
        "every accepted command reaches a terminal status",
        open.isEmpty(),
        String.format(
            "%d commands: %s; not ended: %s",
            snapshot.commands.size(), ends, open.isEmpty() ? "none" : first(open)));
  }

  /** The status the REST API gives a command; {@code unknown to the API} on a 404. */
  private String commandStatus(String id) throws InterruptedException {
    java.net.http.HttpRequest.Builder builder =
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(restUrl + "commands/" + id))
            .timeout(Duration.ofSeconds(10));
    restAuthorization.ifPresent(value -> builder.header("Authorization", value));
    java.net.http.HttpRequest request = builder.build();
    try {
      java.net.http.HttpResponse<String> response =
          http.send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() == 404) {
        return "unknown to the API";
      }
      if (response.statusCode() != 200) {
        return "HTTP " + response.statusCode();
      }
      return JSON.readTree(response.body()).path("status").asText("no status");
    } catch (java.io.IOException e) {
      return "no answer: " + e.getMessage();
    }
  }

  private Check shadowsInCql(Snapshot snapshot, long deadline) throws InterruptedException {
    Map<String, Long> expected = new HashMap<>();
    snapshot.versions.forEach(
        (device, states) -> expected.put(device, states.get(states.size() - 1)[0]));
    String[] hostPort = cqlContactPoint.split(":");
    try (CqlSession session =
        CqlSession.builder()
            .addContactPoint(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])))
            .withLocalDatacenter(cqlDatacenter)
            .build()) {
      PreparedStatement select =
          session.prepare(
              "SELECT version FROM "
                  + keyspace
                  + ".shadows WHERE device_id = ? AND shadow_name = ''");
      Map<String, String> wrong = new LinkedHashMap<>();
      while (true) {
        wrong.clear();
        for (Map.Entry<String, Long> device : expected.entrySet()) {
          Row row = session.execute(select.bind(device.getKey())).one();
          Long version = row == null || row.isNull(0) ? null : row.getLong(0);
          if (!device.getValue().equals(version)) {
            wrong.put(device.getKey(), version + " (changelog " + device.getValue() + ")");
          }
        }
        if (wrong.isEmpty() || System.nanoTime() > deadline) {
          break;
        }
        Thread.sleep(2_000);
      }
      return new Check(
          "every shadow is in CQL at its last version",
          wrong.isEmpty(),
          String.format(
              "%d devices; behind or missing: %s",
              expected.size(), wrong.isEmpty() ? "none" : first(List.copyOf(wrong.entrySet()))));
    }
  }

  /** The first few of a list, for a report line. */
  private static String first(List<?> items) {
    return items.size() <= 5
        ? items.toString()
        : items.subList(0, 5) + " and " + (items.size() - 5) + " more";
  }

  /** What the topics hold for a run's devices. */
  private static final class Snapshot {
    /**
     * Per device, the classic shadow's states in changelog order: its version and the update that
     * made it (the simulator's {@code sentAtUs} in the reported state, 0 when there is none).
     */
    final Map<String, List<long[]>> versions = new TreeMap<>();

    /** Command ids the API accepted (in iot.commands). */
    final Set<String> commands = new java.util.LinkedHashSet<>();
  }

  /** The run's records: what the topics held before, and what they hold now up to their end. */
  private Snapshot read(String devicePrefix) {
    if (shadowState == null) {
      shadowState = new TopicTail<>(kafka, registry, Topics.SHADOW_STATE);
      commandLog = new TopicTail<>(kafka, registry, Topics.COMMANDS);
    }
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    shadowState.readOn(
        deadline,
        (device, shadow) -> {
          if (shadow.getClassic() != null) {
            long update = sentAt(shadow.getClassic().getReported());
            versions
                .computeIfAbsent(device, k -> new ArrayList<>())
                .add(new long[] {shadow.getClassic().getVersion(), update});
          }
        });
    commandLog.readOn(
        deadline,
        (device, command) -> commandIds.add(new String[] {device, command.getCommandId()}));
    shadowState.throwIfUnreadable(devicePrefix);
    commandLog.throwIfUnreadable(devicePrefix);

    Snapshot snapshot = new Snapshot();
    versions.forEach(
        (device, states) -> {
          if (device.startsWith(devicePrefix)) {
            snapshot.versions.put(device, List.copyOf(states));
          }
        });
    for (String[] command : commandIds) {
      if (command[0].startsWith(devicePrefix)) {
        snapshot.commands.add(command[1]);
      }
    }
    return snapshot;
  }

  /** The simulator's {@code sentAtUs} in a reported state: which update made it. */
  private static long sentAt(CharSequence reported) {
    if (reported == null) {
      return 0;
    }
    try {
      return JSON.readTree(reported.toString()).path("sentAtUs").asLong(0);
    } catch (java.io.IOException e) {
      return 0;
    }
  }

  @Override
  public void close() {
    if (shadowState != null) {
      shadowState.close();
      commandLog.close();
    }
  }

  /**
   * One topic, every partition, read from the beginning; each {@link #readOn} goes on from where
   * the last one ended, to the end the topic has when it is called.
   */
  private static final class TopicTail<V extends SpecificRecord> implements AutoCloseable {

    private final TopicDefinition<V> topic;
    private final Serde<V> serde;
    private final KafkaConsumer<String, byte[]> consumer;
    private final List<TopicPartition> partitions = new ArrayList<>();

    /**
     * Per device, the first of its records that could not be decoded: the check of a run with that
     * device fails on it, as a read of that run's records would, and no other check does.
     */
    private final Map<String, RuntimeException> unreadable = new HashMap<>();

    TopicTail(Map<String, Object> kafka, RegistryConfig registry, TopicDefinition<V> topic) {
      this.topic = topic;
      Map<String, Object> config = new HashMap<>();
      config.putAll(kafka);
      config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
      config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
      this.serde = RegistrySerdes.valueSerde(topic, registry);
      this.consumer =
          new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
      for (PartitionInfo info : consumer.partitionsFor(topic.name(), Duration.ofSeconds(30))) {
        partitions.add(new TopicPartition(topic.name(), info.partition()));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
    }

    /**
     * Hands each record with a key (its device) and a value to {@code each}, up to the topic's
     * current end or until {@code deadline} ({@link System#nanoTime()}).
     */
    void readOn(long deadline, BiConsumer<String, V> each) {
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
      while (!caughtUp(end) && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          if (record.key() == null || record.value() == null) {
            continue;
          }
          V value;
          try {
            value = serde.deserializer().deserialize(topic.name(), record.value());
          } catch (RuntimeException e) {
            unreadable.putIfAbsent(record.key(), e);
            continue;
          }
          each.accept(record.key(), value);
        }
      }
    }

    void throwIfUnreadable(String devicePrefix) {
      for (Map.Entry<String, RuntimeException> device : unreadable.entrySet()) {
        if (device.getKey().startsWith(devicePrefix)) {
          throw device.getValue();
        }
      }
    }

    private boolean caughtUp(Map<TopicPartition, Long> end) {
      for (Map.Entry<TopicPartition, Long> partition : end.entrySet()) {
        if (consumer.position(partition.getKey()) < partition.getValue()) {
          return false;
        }
      }
      return true;
    }

    @Override
    public void close() {
      consumer.close();
      serde.close();
    }
  }
}
