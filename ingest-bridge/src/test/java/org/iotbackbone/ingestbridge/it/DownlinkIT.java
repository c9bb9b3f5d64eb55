package org.iotbackbone.ingestbridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.iotbackbone.ingestbridge.IngestBridge;
import org.iotbackbone.schemas.Command;
import org.iotbackbone.schemas.CommandEvent;
import org.iotbackbone.schemas.CommandStatus;
import org.iotbackbone.schemas.ShadowOperation;
import org.iotbackbone.schemas.ShadowResponse;
import org.iotbackbone.schemas.ShadowResponseType;
import org.iotbackbone.schemas.topics.Topics;
import org.iotbackbone.servers.KafkaBroker;
import org.iotbackbone.servers.MqttBroker;
import org.iotbackbone.servers.MqttBrokerKind;
import org.iotbackbone.servers.MqttBrokerOptions;
import org.iotbackbone.servers.SchemaRegistry;
import org.iotbackbone.servers.junit.MqttBrokers;
import org.iotbackbone.servers.junit.SharedServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Commands and shadow responses from Kafka to devices, through one bridge serving two independent
 * Mosquitto brokers ("a" and "b"), routed by presence.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class DownlinkIT {

  private static KafkaBroker kafka;
  private static SchemaRegistry registry;
  private static MqttBroker brokerA;
  private static MqttBroker brokerB;
  private static IngestBridge bridge;

  @BeforeAll
  static void startBridge() throws Exception {
    MqttBrokers.assumeAvailable(MqttBrokerKind.MOSQUITTO);
    brokerA = SecureEdge.shared(MqttBrokerKind.MOSQUITTO);
    brokerB = SecureEdge.create(MqttBrokerKind.MOSQUITTO, MqttBrokerOptions.builder());
    brokerB.start();
    kafka = SharedServers.kafka();
    registry = SharedServers.schemaRegistry();
    TestBed.createTopics(kafka.bootstrapServers());
    Map<String, String> settings =
        TestBed.settings(
            kafka.bootstrapServers(),
            registry.apicurioApiUrl(),
            List.of(TestBed.endpoint("a", brokerA), TestBed.endpoint("b", brokerB)));
    bridge = TestBed.startBridge(settings);
  }

  @AfterAll
  static void stop() {
    if (bridge != null) {
      bridge.close();
    }
    if (brokerB != null) {
      brokerB.close();
    }
  }

  private static Command command(String deviceId, Instant expiresAt) {
    return Command.newBuilder()
        .setCommandId(UUID.randomUUID().toString())
        .setDeviceId(deviceId)
        .setName("reboot")
        .setPayload("{\"delay\":1}")
        .setCreatedAt(Instant.now())
        .setExpiresAt(expiresAt)
        .build();
  }

  private static void send(Command command) throws Exception {
    TestBed.produce(
        kafka.bootstrapServers(),
        registry.apicurioApiUrl(),
        Topics.COMMANDS,
        command.getDeviceId(),
        command);
  }

  private static TopicReader<CommandEvent> eventsOf(Command command) {
    return new TopicReader<>(
        kafka.bootstrapServers(),
        registry.apicurioApiUrl(),
        Topics.COMMAND_EVENTS,
        e -> e.getCommandId().equals(command.getCommandId()));
  }

  @Test
  void aCommandReachesTheDeviceWithExpiryCorrelationAndResponseTopicAndIsRecordedDelivered()
      throws Exception {
    String id = TestBed.unique("cmd");
    Mqtt5AsyncClient device = TestBed.device(brokerA, id);
    List<Mqtt5Publish> received = TestBed.subscribe(device, "devices/" + id + "/commands");
    Command command = command(id, Instant.now().plusSeconds(120));

    send(command);

    await().atMost(Duration.ofMinutes(1)).until(() -> received.size() == 1);
    Mqtt5Publish publish = received.get(0);
    assertThat(new String(publish.getPayloadAsBytes(), StandardCharsets.UTF_8))
        .contains("\"commandId\":\"" + command.getCommandId() + "\"")
        .contains("\"payload\":{\"delay\":1}");
    assertThat(publish.getMessageExpiryInterval()).isPresent();
    assertThat(publish.getMessageExpiryInterval().getAsLong()).isBetween(1L, 120L);
    assertThat(publish.getCorrelationData().map(b -> StandardCharsets.UTF_8.decode(b).toString()))
        .contains(command.getCommandId());
    assertThat(publish.getResponseTopic().map(Object::toString))
        .contains("devices/" + id + "/commands/" + command.getCommandId() + "/ack");
    try (var events = eventsOf(command)) {
      await().atMost(Duration.ofMinutes(1)).until(() -> !events.values().isEmpty());
      assertThat(events.values().get(0).getStatus()).isEqualTo(CommandStatus.DELIVERED);
    }
    device.disconnect().get(10, TimeUnit.SECONDS);
  }

  @Test
  void anExpiredCommandIsNeverPublishedAndIsRecordedExpired() throws Exception {
    String id = TestBed.unique("exp");
    Mqtt5AsyncClient device = TestBed.device(brokerA, id);
    List<Mqtt5Publish> received = TestBed.subscribe(device, "devices/" + id + "/commands");
    Command expired = command(id, Instant.now().minusSeconds(1));
    Command live = command(id, Instant.now().plusSeconds(120));

    send(expired);
    send(live);

    try (var events = eventsOf(expired)) {
      await().atMost(Duration.ofMinutes(1)).until(() -> !events.values().isEmpty());
      assertThat(events.values().get(0).getStatus()).isEqualTo(CommandStatus.EXPIRED);
    }
    // The live command sent after it arrives, and it is the only one.
    await().atMost(Duration.ofMinutes(1)).until(() -> received.size() == 1);
    assertThat(new String(received.get(0).getPayloadAsBytes(), StandardCharsets.UTF_8))
        .contains(live.getCommandId());
    device.disconnect().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aShadowResponseIsPublishedOnItsTopic() throws Exception {
    String id = TestBed.unique("shd");
    Mqtt5AsyncClient device = TestBed.device(brokerA, id);
    List<Mqtt5Publish> received = TestBed.subscribe(device, "devices/" + id + "/shadow/#");
    ShadowResponse response =
        ShadowResponse.newBuilder()
            .setDeviceId(id)
            .setOperation(ShadowOperation.UPDATE)
            .setType(ShadowResponseType.DELTA)
            .setPayload("{\"state\":{\"on\":true},\"version\":2}")
            .setVersion(2L)
            .setCreatedAt(Instant.now())
            .build();

    TestBed.produce(
        kafka.bootstrapServers(), registry.apicurioApiUrl(), Topics.SHADOW_RESPONSES, id, response);

    await().atMost(Duration.ofMinutes(1)).until(() -> received.size() == 1);
    assertThat(received.get(0).getTopic().toString())
        .isEqualTo("devices/" + id + "/shadow/update/delta");
    assertThat(new String(received.get(0).getPayloadAsBytes(), StandardCharsets.UTF_8))
        .isEqualTo(response.getPayload());
    device.disconnect().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aCommandGoesToTheBrokerTheDeviceIsConnectedTo() throws Exception {
    String id = TestBed.unique("rt");
    Mqtt5AsyncClient device = TestBed.device(brokerB, id);
    List<Mqtt5Publish> received = TestBed.subscribe(device, "devices/" + id + "/commands");
    // A watcher on broker a sees whatever the bridge publishes there for this device: with the
    // device's own certificate, the only identity the broker lets read the device's commands.
    Mqtt5AsyncClient watcher = TestBed.device(brokerA, id);
    List<Mqtt5Publish> onA = TestBed.subscribe(watcher, "devices/" + id + "/commands");
    TestBed.publish(device, "devices/" + id + "/presence", "online");
    await().atMost(Duration.ofMinutes(1)).until(() -> bridge.brokerOf(id).isPresent());
    assertThat(bridge.brokerOf(id)).contains("b");
    Command command = command(id, Instant.now().plusSeconds(120));

    send(command);

    await().atMost(Duration.ofMinutes(1)).until(() -> received.size() == 1);
    try (var events = eventsOf(command)) {
      await().atMost(Duration.ofMinutes(1)).until(() -> !events.values().isEmpty());
      CommandEvent delivered = events.values().get(0);
      assertThat(delivered.getStatus()).isEqualTo(CommandStatus.DELIVERED);
      assertThat(delivered.getBroker()).isEqualTo("b");
    }
    assertThat(onA).isEmpty();
    device.disconnect().get(10, TimeUnit.SECONDS);
    watcher.disconnect().get(10, TimeUnit.SECONDS);
  }
}
