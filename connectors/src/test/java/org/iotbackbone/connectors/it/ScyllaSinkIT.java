package org.iotbackbone.connectors.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.iotbackbone.connectors.ScyllaSinkConfig;
import org.iotbackbone.connectors.ScyllaSinkConnector;
import org.iotbackbone.schemas.DeadLetter;
import org.iotbackbone.schemas.DeadLetterReason;
import org.iotbackbone.schemas.DeviceEvent;
import org.iotbackbone.schemas.DeviceShadow;
import org.iotbackbone.servers.CqlServer;
import org.iotbackbone.servers.junit.SharedServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The sink in a real Connect worker against the build's shared Kafka, registry and CQL server:
 * shadows and events land, a replay from offset 0 leaves the newest state, poison records reach the
 * dead-letter topic while good ones go on.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ScyllaSinkIT {

  private static CqlServer cqlServer;
  private static ConnectWorker worker;
  private static CqlSession cql;

  @BeforeAll
  static void start() {
    SharedServers.kafka();
    SharedServers.schemaRegistry();
    cqlServer = SharedServers.cql();
    worker = ConnectWorker.shared();
    cql = SinkTestBed.cql(cqlServer.contactPoint(), cqlServer.localDatacenter());
  }

  @AfterAll
  static void stop() {
    if (cql != null) {
      cql.close();
    }
  }

  private static SinkTestBed testBed() throws Exception {
    return new SinkTestBed(
        SharedServers.kafka().bootstrapServers(), SharedServers.schemaRegistry().apicurioApiUrl());
  }

  private static Map<String, String> config(SinkTestBed bed) {
    return bed.connectorConfig(cqlServer.contactPoint(), cqlServer.localDatacenter());
  }

  @Test
  void shadowsAndEventsLandAndTombstonesDelete() throws Exception {
    try (SinkTestBed bed = testBed()) {
      String name = SinkTestBed.unique("sink");
      worker.putConnector(name, config(bed));
      bed.sendShadow(bed.shadow("lamp-1", 1, 1, true, "night", "day"));
      bed.sendShadow(bed.shadow("lamp-1", 2, 2, false, "night")); // "day" deleted
      bed.sendShadow(bed.shadow("lamp-2", 1, 1, true));
      bed.sendTombstone("lamp-2");
      for (int i = 0; i < 10; i++) {
        bed.sendEvent(bed.event("lamp-1", i));
      }
      bed.flush();

      await()
          .ignoreExceptions()
          .atMost(Duration.ofSeconds(90))
          .untilAsserted(
              () -> {
                assertThat(worker.taskState(name)).isEqualTo("RUNNING");
                assertThat(bed.eventCount(cql)).isEqualTo(10);
                assertThat(bed.classicVersions(cql)).isEqualTo(Map.of("lamp-1", 2L));
              });
      List<Row> rows =
          cql.execute(
                  "SELECT shadow_name, version, reported, revision, connected, broker FROM "
                      + bed.keyspace
                      + ".shadows WHERE device_id = ?",
                  bed.device("lamp-1"))
              .all();
      assertThat(rows).extracting(r -> r.getString("shadow_name")).containsExactly("", "night");
      assertThat(rows.get(0).getString("reported")).isEqualTo("{\"v\":2}");
      assertThat(rows.get(0).getLong("revision")).isEqualTo(2);
      assertThat(rows.get(0).getBoolean("connected")).isFalse();
      assertThat(rows.get(0).getString("broker")).isEqualTo("broker-1");
      // "all events of device X on a day" is one partition read.
      Row day =
          cql.execute(
                  "SELECT count(*) FROM "
                      + bed.keyspace
                      + ".device_events WHERE device_id = ? AND day = ?",
                  bed.device("lamp-1"),
                  java.time.LocalDate.now(java.time.ZoneOffset.UTC))
              .one();
      assertThat(day.getLong(0)).isEqualTo(10);
      Row ttl =
          cql.execute(
                  "SELECT TTL(event_type) FROM "
                      + bed.keyspace
                      + ".device_events WHERE device_id = ? AND day = ? LIMIT 1",
                  bed.device("lamp-1"),
                  java.time.LocalDate.now(java.time.ZoneOffset.UTC))
              .one();
      assertThat(ttl.getInt(0)).isBetween(29 * 24 * 3600, 30 * 24 * 3600);
      worker.deleteConnector(name);
    }
  }

  /**
   * Issue 16, hole 7b: uplink is at-least-once, so one device event may reach Kafka more than once.
   * The same record twice (two offsets) and a redelivery by the broker (the same device-chosen id,
   * received again a day later through another broker, in a later batch) must be one row, at the
   * first receipt's time, in its day. Events whose id the bridge drew stay one row per receipt.
   */
  @Test
  void aRedeliveredEventWithAnIdTheDeviceChoseIsOneRow() throws Exception {
    try (SinkTestBed bed = testBed()) {
      String name = SinkTestBed.unique("dedup");
      worker.putConnector(name, config(bed));
      Instant first = Instant.ofEpochMilli(System.currentTimeMillis());
      DeviceEvent event = bed.eventWithId("meter", "reading-1", first);
      bed.sendEvent(event);
      bed.sendEvent(event); // the same record once more, at the next offset
      bed.sendEvent(bed.eventWithId("meter", "reading-2", first.plusMillis(5)));
      DeviceEvent drawn = bed.event("meter", 7);
      bed.sendEvent(drawn);
      bed.flush();
      await()
          .ignoreExceptions()
          .atMost(Duration.ofSeconds(90))
          .untilAsserted(() -> assertThat(bed.eventCount(cql)).isEqualTo(3));

      // The broker delivers reading-1 again (the bridge died before its PUBACK): a new record,
      // received later — the next UTC day — through another broker. A device without its own ids
      // gets a new drawn id for its redelivery: nothing can tell it from a new event.
      bed.sendEvent(
          DeviceEvent.newBuilder(event)
              .setReceivedAt(first.plus(Duration.ofDays(1)))
              .setBroker("broker-2")
              .build());
      bed.sendEvent(
          DeviceEvent.newBuilder(drawn)
              .setEventId(java.util.UUID.randomUUID().toString())
              .setReceivedAt(drawn.getReceivedAt().plusSeconds(1))
              .build());
      bed.flush();
      await()
          .ignoreExceptions()
          .atMost(Duration.ofSeconds(90))
          .until(() -> lag(bed, "connect-" + name) == 0);
      assertThat(worker.taskState(name)).isEqualTo("RUNNING");
      assertThat(bed.eventCount(cql)).isEqualTo(4);
      List<Row> readings =
          cql.execute(
                  "SELECT received_at, event_id, broker FROM "
                      + bed.keyspace
                      + ".device_events WHERE device_id = ? AND day = ? AND received_at >= ?"
                      + " AND received_at <= ?",
                  bed.device("meter"),
                  org.iotbackbone.connectors.internal.CqlStatements.day(first),
                  first,
                  first.plusMillis(5))
              .all();
      // Newest first; reading-1 once, at its first receipt.
      assertThat(readings)
          .extracting(r -> r.getString("event_id"))
          .containsExactly("reading-2", "reading-1");
      assertThat(readings.get(1).getInstant("received_at")).isEqualTo(first);
      Row nextDay =
          cql.execute(
                  "SELECT count(*) FROM "
                      + bed.keyspace
                      + ".device_events WHERE device_id = ? AND day = ?",
                  bed.device("meter"),
                  org.iotbackbone.connectors.internal.CqlStatements.day(
                      first.plus(Duration.ofDays(1))))
              .one();
      assertThat(nextDay.getLong(0)).isZero();
      worker.deleteConnector(name);
    }
  }

  /**
   * A device-chosen id longer than a key may be (64 KiB) is refused by the claim: that event goes
   * to the dead-letter topic, the task goes on, and the other events of the batch are written.
   */
  @Test
  void anEventIdTooLongForAKeyIsDeadLetteredAndTheRestGoesOn() throws Exception {
    try (SinkTestBed bed = testBed()) {
      String name = SinkTestBed.unique("longid");
      worker.putConnector(name, config(bed));
      Instant now = Instant.ofEpochMilli(System.currentTimeMillis());
      bed.sendEvent(bed.eventWithId("meter", "x".repeat(70_000), now));
      bed.sendEvent(bed.eventWithId("meter", "fine-1", now));
      bed.sendEvent(bed.event("meter", 1));
      bed.flush();
      await()
          .ignoreExceptions()
          .atMost(Duration.ofSeconds(90))
          .untilAsserted(
              () -> {
                assertThat(bed.eventCount(cql)).isEqualTo(2);
                assertThat(bed.deadLetters()).hasSize(1);
              });
      DeadLetter letter = bed.deadLetters().get(0);
      assertThat(letter.getReasonCode()).isEqualTo(DeadLetterReason.WRITE_FAILED);
      assertThat(letter.getDeviceId()).isEqualTo(bed.device("meter"));
      assertThat(worker.taskState(name)).isEqualTo("RUNNING");
      worker.deleteConnector(name);
    }
  }

  @Test
  void replayingFromOffsetZeroLeavesTheNewestVersions() throws Exception {
    try (SinkTestBed bed = testBed()) {
      Map<String, Long> expected = new HashMap<>();
      for (int d = 0; d < 50; d++) {
        String device = "dev-" + d;
        for (int v = 1; v <= 20; v++) {
          bed.sendShadow(bed.shadow(device, v, v, v % 2 == 0));
        }
        expected.put(device, 20L);
      }
      // Deleted and created again: streams-app starts version and revision at 1 again, so the
      // newest state has a lower version than an older one. Only the offset orders it right.
      for (int v = 1; v <= 5; v++) {
        bed.sendShadow(bed.shadow("reborn", v, v, true));
      }
      bed.sendTombstone("reborn");
      bed.sendShadow(bed.shadow("reborn", 1, 1, true));
      expected.put("reborn", 1L);
      bed.sendShadow(bed.shadow("gone", 1, 1, true));
      bed.sendTombstone("gone");
      bed.flush();

      String first = SinkTestBed.unique("sink");
      worker.putConnector(first, config(bed));
      await()
          .ignoreExceptions()
          .atMost(Duration.ofSeconds(90))
          .untilAsserted(() -> assertThat(bed.classicVersions(cql)).isEqualTo(expected));
      worker.deleteConnector(first);

      // A second connector (a consumer group of its own) reads the topic again from offset 0,
      // writing every old version once more, on top of the newest.
      String replay = SinkTestBed.unique("replay");
      Map<String, String> replayConfig = config(bed);
      replayConfig.put(ScyllaSinkConfig.SHADOWS_COALESCE, "false"); // every old version written
      replayConfig.put("consumer.override.max.poll.records", "37"); // many small batches
      worker.putConnector(replay, replayConfig);
      await()
          .ignoreExceptions()
          .atMost(Duration.ofSeconds(90))
          .until(() -> lag(bed, "connect-" + replay) == 0);
      assertThat(worker.taskState(replay)).isEqualTo("RUNNING");
      assertThat(bed.classicVersions(cql)).isEqualTo(expected);
      worker.deleteConnector(replay);
    }
  }

  @Test
  void poisonRecordsReachTheDeadLetterTopicAndTheRestGoesOn() throws Exception {
    try (SinkTestBed bed = testBed()) {
      String name = SinkTestBed.unique("sink");
      worker.putConnector(name, config(bed));
      bed.send(bed.shadowsTopic, "bad-1", "not avro".getBytes(StandardCharsets.UTF_8));
      // The Confluent frame with a schema id the registry does not know.
      bed.send(bed.eventsTopic, "bad-2", new byte[] {0, 0x7f, 0x7f, 0x7f, 0x7f, 2, 4, 6});
      // A valid record whose key is another device.
      DeviceShadow other = bed.shadow("someone-else", 1, 1, true);
      bed.send(
          bed.shadowsTopic,
          "bad-3",
          org.iotbackbone.schemas.serde.RegistrySerdes.valueSerde(
                  org.iotbackbone.schemas.topics.Topics.SHADOW_STATE,
                  org.iotbackbone.schemas.serde.RegistryConfig.of(bed.registryUrl))
              .serializer()
              .serialize(bed.shadowsTopic, other));
      bed.sendShadow(bed.shadow("good-1", 1, 3, true));
      bed.sendEvent(bed.event("good-1", 1));
      bed.flush();

      await()
          .ignoreExceptions()
          .atMost(Duration.ofSeconds(90))
          .untilAsserted(
              () -> {
                assertThat(bed.classicVersions(cql)).isEqualTo(Map.of("good-1", 3L));
                assertThat(bed.eventCount(cql)).isEqualTo(1);
                assertThat(bed.deadLetters()).hasSize(3);
              });
      // docs/design.md's DeadLetter, as every module writes it: raw bytes, where from, why.
      Map<String, DeadLetter> letters = new HashMap<>();
      for (DeadLetter letter : bed.deadLetters()) {
        letters.put(letter.getDeviceId(), letter);
      }
      assertThat(letters.get("bad-1").getReasonCode())
          .isEqualTo(DeadLetterReason.DESERIALIZATION_FAILED);
      assertThat(letters.get("bad-1").getMessage()).startsWith("DESERIALIZATION_FAILED: not Avro");
      assertThat(letters.get("bad-2").getMessage())
          .startsWith("DESERIALIZATION_FAILED: cannot be read");
      assertThat(letters.get("bad-3").getReasonCode())
          .isEqualTo(DeadLetterReason.INVALID_DEVICE_ID);
      assertThat(letters.get("bad-3").getMessage()).startsWith("INVALID_DEVICE_ID: key bad-3");
      DeadLetter first = letters.get("bad-1");
      assertThat(first.getOrigin()).isEqualTo("scylla-sink");
      assertThat(first.getSourceTopic()).isEqualTo(bed.shadowsTopic);
      assertThat(first.getSourceOffset()).isNotNull();
      assertThat(first.getAttributes()).containsEntry("connector", name);
      // The raw bytes are kept, byte for byte.
      assertThat(first.getPayload())
          .isEqualTo(ByteBuffer.wrap("not avro".getBytes(StandardCharsets.UTF_8)));
      assertThat(worker.taskState(name)).isEqualTo("RUNNING");
      worker.deleteConnector(name);
    }
  }

  @Test
  void aBadSettingIsRefusedNamingTheKey() throws Exception {
    try (SinkTestBed bed = testBed()) {
      Map<String, String> config = config(bed);
      config.put(ScyllaSinkConfig.CONSISTENCY, "MOST");
      JsonNode validation = worker.validate(ScyllaSinkConnector.class.getName(), config);
      JsonNode consistency = null;
      for (JsonNode entry : validation.path("configs")) {
        if (entry.path("value").path("name").asText().equals(ScyllaSinkConfig.CONSISTENCY)) {
          consistency = entry;
        }
      }
      assertThat(consistency).as(validation.toString()).isNotNull();
      assertThat(consistency.path("value").path("errors").toString()).contains("MOST");
      String name = SinkTestBed.unique("bad");
      config.put(ScyllaSinkConfig.CONSISTENCY, "LOCAL_QUORUM");
      config.put(ScyllaSinkConfig.USERNAME, "sink"); // without a password
      worker.putConnector(name, config);
      await()
          .ignoreExceptions()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () ->
                  assertThat(worker.status(name).path("connector").path("trace").asText())
                      .contains(ScyllaSinkConfig.PASSWORD));
      worker.deleteConnector(name);
    }
  }

  /** Records of the two topics the group has not committed yet. */
  private static long lag(SinkTestBed bed, String group) throws Exception {
    try (Admin admin = bed.admin()) {
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      for (String topic : List.of(bed.shadowsTopic, bed.eventsTopic)) {
        for (int p = 0; p < SinkTestBed.PARTITIONS; p++) {
          latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
      }
      long lag = 0;
      for (var end : admin.listOffsets(latest).all().get().entrySet()) {
        OffsetAndMetadata done = committed.get(end.getKey());
        lag += end.getValue().offset() - (done == null ? 0 : done.offset());
      }
      return lag;
    }
  }
}
