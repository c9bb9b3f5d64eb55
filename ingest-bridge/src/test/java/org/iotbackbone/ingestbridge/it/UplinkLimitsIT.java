package org.iotbackbone.ingestbridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserProperties;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.iotbackbone.ingestbridge.BridgeConfig;
import org.iotbackbone.ingestbridge.IngestBridge;
import org.iotbackbone.schemas.DeadLetter;
import org.iotbackbone.schemas.DeadLetterReason;
import org.iotbackbone.schemas.DeviceEvent;
import org.iotbackbone.schemas.topics.Topics;
import org.iotbackbone.servers.KafkaBroker;
import org.iotbackbone.servers.MqttBroker;
import org.iotbackbone.servers.MqttBrokerKind;
import org.iotbackbone.servers.MqttBrokerOptions;
import org.iotbackbone.servers.RegistryFront;
import org.iotbackbone.servers.SchemaRegistry;
import org.iotbackbone.servers.junit.MqttBrokers;
import org.iotbackbone.servers.junit.SharedServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One oversized message must not stall a broker connection (issue 16, hole 1): PUBACKs go out in
 * order, so a message left neither acknowledged nor dead-lettered holds back every later one. Here
 * each bad message is followed by good ones from the same device, which must reach Kafka.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class UplinkLimitsIT {

  private static final int MAX_PAYLOAD = 8192;
  private static final int MAX_RECORD = 16384;
  // The producer's own limit, below the bridge's record bound: what passes the bridge's check and
  // Kafka still refuses for good (RecordTooLargeException).
  private static final int MAX_REQUEST = 6000;

  // More than the broker's in-flight window towards the bridge (Mosquitto's max_inflight_messages,
  // 100 here): a message left unacknowledged would hold back the later ones at the broker.
  private static final int GOOD = 250;

  private static KafkaBroker kafka;
  private static SchemaRegistry registry;
  private static MqttBroker mqtt;
  private static IngestBridge bridge;

  @BeforeAll
  static void startBridge() throws Exception {
    mqtt = SecureEdge.shared(MqttBrokerKind.MOSQUITTO);
    kafka = SharedServers.kafka();
    registry = SharedServers.schemaRegistry();
    TestBed.createTopics(kafka.bootstrapServers());
    Map<String, String> settings =
        TestBed.settings(
            kafka.bootstrapServers(),
            registry.apicurioApiUrl(),
            List.of(TestBed.endpoint("edge", mqtt)));
    settings.put(BridgeConfig.UPLINK_MAX_PAYLOAD_BYTES_CONFIG, Integer.toString(MAX_PAYLOAD));
    settings.put(BridgeConfig.UPLINK_MAX_RECORD_BYTES_CONFIG, Integer.toString(MAX_RECORD));
    settings.put(BridgeConfig.DOWNLINK_ENABLED_CONFIG, "false");
    settings.put("kafka.max.request.size", Integer.toString(MAX_REQUEST));
    bridge = TestBed.startBridge(settings);
  }

  @AfterAll
  static void stopBridge() {
    if (bridge != null) {
      bridge.close();
    }
  }

  private static void event(
      Mqtt5AsyncClient device, String id, String payload, Mqtt5UserProperties properties)
      throws Exception {
    device
        .publishWith()
        .topic("devices/" + id + "/events/t")
        .qos(MqttQos.AT_LEAST_ONCE)
        .payload(payload.getBytes(StandardCharsets.UTF_8))
        .userProperties(properties)
        .send()
        .get(30, TimeUnit.SECONDS);
  }

  private static void sendGood(Mqtt5AsyncClient device, String id, int from, int to)
      throws Exception {
    for (int seq = from; seq < to; seq++) {
      TestBed.publishSeq(device, id, seq).get(30, TimeUnit.SECONDS);
    }
  }

  private static TopicReader<DeviceEvent> events(String id) {
    return new TopicReader<>(
        kafka.bootstrapServers(),
        registry.apicurioApiUrl(),
        Topics.DEVICE_EVENTS,
        e -> e.getDeviceId().equals(id) && e.getEventType().equals("seq"));
  }

  private static TopicReader<DeadLetter> deadLetters(String id) {
    return new TopicReader<>(
        kafka.bootstrapServers(),
        registry.apicurioApiUrl(),
        Topics.DEAD_LETTER,
        d -> id.equals(d.getDeviceId()));
  }

  @Test
  void tooManyOrTooLargeUserPropertiesAreDeadLetteredAndTheDevicesLaterMessagesFlow()
      throws Exception {
    String id = TestBed.unique("props");
    Mqtt5AsyncClient device = TestBed.device(mqtt, id);
    var many = Mqtt5UserProperties.builder();
    for (int i = 0; i < 40; i++) {
      many.add("p" + i, "v");
    }
    event(device, id, "many", many.build());
    String big = "x".repeat(3000);
    var large = Mqtt5UserProperties.builder();
    for (int i = 0; i < 10; i++) {
      large.add("big" + i, big);
    }
    event(device, id, "large", large.build());
    sendGood(device, id, 0, GOOD);

    try (var events = events(id);
        var dead = deadLetters(id)) {
      await().atMost(Duration.ofMinutes(2)).until(() -> events.values().size() >= GOOD);
      await().atMost(Duration.ofMinutes(1)).until(() -> dead.values().size() >= 2);
      assertThat(dead.values())
          .extracting(DeadLetter::getReasonCode)
          .containsOnly(DeadLetterReason.PAYLOAD_TOO_LARGE);
      assertThat(dead.values().get(0).getMessage()).contains("uplink.max.user.properties");
      assertThat(dead.values().get(1).getMessage()).contains("uplink.max.record.bytes");
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> bridge.inFlight() == 0);
    assertThat(bridge.isReady()).isTrue();
    device.disconnect().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aRecordKafkaRefusesForGoodIsDeadLetteredAndTheDevicesLaterMessagesFlow() throws Exception {
    String id = TestBed.unique("refused");
    Mqtt5AsyncClient device = TestBed.device(mqtt, id);
    // Under the payload and record bounds, over the producer's max.request.size.
    byte[] payload = new byte[MAX_REQUEST + 500];
    Arrays.fill(payload, (byte) 'y');
    TestBed.publish(device, "devices/" + id + "/events/t", payload);
    sendGood(device, id, 0, GOOD);

    try (var events = events(id);
        var dead = deadLetters(id)) {
      await().atMost(Duration.ofMinutes(2)).until(() -> events.values().size() >= GOOD);
      await().atMost(Duration.ofMinutes(1)).until(() -> !dead.values().isEmpty());
      DeadLetter letter = dead.values().get(0);
      assertThat(letter.getReasonCode()).isEqualTo(DeadLetterReason.PAYLOAD_TOO_LARGE);
      assertThat(letter.getMessage()).contains("Kafka refused").contains("RecordTooLarge");
      assertThat(letter.getAttributes()).containsEntry("truncated", "true");
      assertThat(letter.getPayload().remaining()).isEqualTo(1024);
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> bridge.inFlight() == 0);
    device.disconnect().get(10, TimeUnit.SECONDS);
  }

  @Test
  void whenKafkaRefusesEvenTheDeadLetterTheMessageIsAcknowledgedAsDroppedAndLaterOnesFlow()
      throws Exception {
    String id = TestBed.unique("dropped");
    Mqtt5AsyncClient device = TestBed.device(mqtt, id);
    double before = bridge.counter("bridge.uplink.dropped", "reason", "INVALID_TOPIC");
    // A topic of the wrong shape is dead-lettered with the topic in it: over max.request.size.
    TestBed.publish(device, "devices/" + id + "/events/" + "z".repeat(MAX_REQUEST + 100), "x");
    sendGood(device, id, 0, GOOD);

    try (var events = events(id)) {
      await().atMost(Duration.ofMinutes(2)).until(() -> events.values().size() >= GOOD);
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> bridge.counter("bridge.uplink.dropped", "reason", "INVALID_TOPIC") == before + 1);
    await().atMost(Duration.ofSeconds(30)).until(() -> bridge.inFlight() == 0);
    device.disconnect().get(10, TimeUnit.SECONDS);
  }

  @Test
  void readyAnswers503WhileAConnectionsWindowIsStuckAnd200WhenItMovesAgain() throws Exception {
    MqttBrokers.assumeAvailable(MqttBrokerKind.MOSQUITTO);
    // Broker and bridge of their own: this bridge's registry (through a proxy) fails on purpose.
    try (MqttBroker own = SecureEdge.create(MqttBrokerKind.MOSQUITTO, MqttBrokerOptions.builder());
        RegistryFront proxy = RegistryFront.plain(registry.url())) {
      own.start();
      Map<String, String> settings =
          TestBed.settings(
              kafka.bootstrapServers(),
              proxy.urlFor(registry.apicurioApiUrl()),
              List.of(TestBed.endpoint("own", own)));
      settings.put(BridgeConfig.DOWNLINK_ENABLED_CONFIG, "false");
      settings.put(BridgeConfig.READY_STALL_TIMEOUT_MS_CONFIG, "2000");
      proxy.failing(true);
      String id = TestBed.unique("stuck");
      try (IngestBridge stuck = TestBed.startBridge(settings);
          var events = events(id)) {
        Mqtt5AsyncClient device = TestBed.device(own, id);
        // The registry answers 503: the record cannot be serialized, the sender retries (a
        // transient failure), and the connection's window does not move.
        TestBed.publishSeq(device, id, 0).get(30, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(30)).until(() -> proxy.refused() > 0);
        await().atMost(Duration.ofSeconds(30)).until(() -> !stuck.isReady());
        HttpResponse<String> ready = TestBed.get(stuck, "/ready");
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body()).contains("broker own connection 0 stuck");

        proxy.failing(false);
        await().atMost(Duration.ofMinutes(1)).until(() -> events.values().size() >= 1);
        await().atMost(Duration.ofSeconds(30)).until(stuck::isReady);
        assertThat(TestBed.get(stuck, "/ready").statusCode()).isEqualTo(200);
        device.disconnect().get(10, TimeUnit.SECONDS);
      }
    }
  }
}
