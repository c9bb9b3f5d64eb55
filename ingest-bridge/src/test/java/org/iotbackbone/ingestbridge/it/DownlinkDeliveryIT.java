package org.iotbackbone.ingestbridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.iotbackbone.ingestbridge.BridgeConfig;
import org.iotbackbone.ingestbridge.IngestBridge;
import org.iotbackbone.schemas.Command;
import org.iotbackbone.schemas.CommandEvent;
import org.iotbackbone.schemas.CommandStatus;
import org.iotbackbone.schemas.DeadLetter;
import org.iotbackbone.schemas.topics.Topics;
import org.iotbackbone.servers.KafkaBroker;
import org.iotbackbone.servers.MqttBroker;
import org.iotbackbone.servers.MqttBrokerKind;
import org.iotbackbone.servers.RegistryFront;
import org.iotbackbone.servers.SchemaRegistry;
import org.iotbackbone.servers.junit.SharedServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * What the downlink reports and keeps (issue 16, hole 3): a registry hiccup while decoding commands
 * is retried, in each device's order, not dead-lettered; a command no session is subscribed to is
 * UNDELIVERED, not DELIVERED; a device offline past the presence retention is forgotten; a device
 * away with a persistent session gets its command when it is back, DELIVERED.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DownlinkDeliveryIT {

  private static final long PRESENCE_RETENTION_MS = 3_000;

  private static KafkaBroker kafka;
  private static SchemaRegistry registry;
  private static MqttBroker mqtt;
  private static RegistryFront proxy;
  private static IngestBridge bridge;

  @BeforeAll
  static void startBridge() throws Exception {
    mqtt = SecureEdge.shared(MqttBrokerKind.MOSQUITTO);
    kafka = SharedServers.kafka();
    registry = SharedServers.schemaRegistry();
    TestBed.createTopics(kafka.bootstrapServers());
    proxy = RegistryFront.plain(registry.url());
    Map<String, String> settings =
        TestBed.settings(
            kafka.bootstrapServers(),
            proxy.urlFor(registry.apicurioApiUrl()),
            List.of(TestBed.endpoint("edge", mqtt)));
    settings.put(
        BridgeConfig.DOWNLINK_PRESENCE_RETENTION_MS_CONFIG, Long.toString(PRESENCE_RETENTION_MS));
    bridge = TestBed.startBridge(settings);
  }

  @AfterAll
  static void stop() {
    if (bridge != null) {
      bridge.close();
    }
    if (proxy != null) {
      proxy.close();
    }
  }

  private static void send(Command command) throws Exception {
    // Straight to the registry: only the bridge goes through the failing proxy.
    TestBed.produce(
        kafka.bootstrapServers(),
        registry.apicurioApiUrl(),
        Topics.COMMANDS,
        command.getDeviceId(),
        command);
  }

  private static TopicReader<CommandEvent> commandEvents(String deviceId) {
    return new TopicReader<>(
        kafka.bootstrapServers(),
        registry.apicurioApiUrl(),
        Topics.COMMAND_EVENTS,
        e -> e.getDeviceId().equals(deviceId));
  }

  @Test
  @Order(1)
  void aRegistryHiccupWhileDecodingCommandsIsRetriedInTheDevicesOrderNotDeadLettered()
      throws Exception {
    String id = TestBed.unique("hiccup");
    Mqtt5AsyncClient device = TestBed.device(mqtt, id);
    List<Mqtt5Publish> received = TestBed.subscribe(device, "devices/" + id + "/commands");
    List<Command> sent = new ArrayList<>();
    // The bridge has not read a command yet: decoding the first needs the registry, which now
    // answers 503 to everything the bridge asks.
    proxy.failing(true);
    try {
      for (int n = 0; n < 5; n++) {
        Command command = TestBed.command(id, n);
        send(command);
        sent.add(command);
      }
      await().atMost(Duration.ofMinutes(1)).until(() -> proxy.refused() >= 3);
      Thread.sleep(2_000);
      assertThat(received).isEmpty();
    } finally {
      proxy.failing(false);
    }

    List<String> expected = sent.stream().map(Command::getCommandId).toList();
    await()
        .atMost(Duration.ofMinutes(2))
        .until(() -> TestBed.commandIds(received).size() >= expected.size());
    assertThat(TestBed.commandIds(received)).isEqualTo(expected);
    try (var events = commandEvents(id);
        var dead =
            new TopicReader<>(
                kafka.bootstrapServers(),
                registry.apicurioApiUrl(),
                Topics.DEAD_LETTER,
                (DeadLetter d) -> id.equals(d.getDeviceId()))) {
      await().atMost(Duration.ofMinutes(1)).until(() -> events.values().size() >= expected.size());
      assertThat(events.values())
          .extracting(CommandEvent::getStatus)
          .containsOnly(CommandStatus.DELIVERED);
      assertThat(dead.values()).isEmpty();
    }
    device.disconnect().get(10, TimeUnit.SECONDS);
  }

  @Test
  @Order(2)
  void aCommandNoSessionIsSubscribedToIsRecordedUndeliveredNotDelivered() throws Exception {
    String id = TestBed.unique("nobody");
    Command command = TestBed.command(id, 0);

    send(command);

    try (var events = commandEvents(id)) {
      await().atMost(Duration.ofMinutes(1)).until(() -> !events.values().isEmpty());
      CommandEvent event = events.values().get(0);
      assertThat(event.getStatus()).isEqualTo(CommandStatus.UNDELIVERED);
      assertThat(event.getBroker()).isEqualTo("edge");
      assertThat(event.getMessage()).contains("no matching subscribers");
    }
    assertThat(bridge.counter("bridge.commands", "status", "UNDELIVERED")).isPositive();
  }

  @Test
  @Order(3)
  void aDeviceOfflineLongerThanThePresenceRetentionIsForgotten() throws Exception {
    String id = TestBed.unique("gone");
    Mqtt5AsyncClient device = TestBed.device(mqtt, id);
    TestBed.publish(device, "devices/" + id + "/presence", "online");
    await().atMost(Duration.ofMinutes(1)).until(() -> bridge.brokerOf(id).isPresent());
    TestBed.publish(device, "devices/" + id + "/presence", "offline");
    device.disconnect().get(10, TimeUnit.SECONDS);
    // Still routed to its broker for a while after it went offline (its session queues)...
    long offlineAt = System.currentTimeMillis();
    assertThat(bridge.brokerOf(id)).contains("edge");
    // ...then forgotten.
    await()
        .atMost(Duration.ofMinutes(1))
        .until(
            () ->
                System.currentTimeMillis() - offlineAt > PRESENCE_RETENTION_MS
                    && bridge.brokerOf(id).isEmpty());
    assertThat(System.currentTimeMillis() - offlineAt).isGreaterThan(PRESENCE_RETENTION_MS / 2);
  }

  /**
   * What AWS IoT and Azure IoT Hub users expect: a device that keeps a persistent session and is
   * away gets what was sent meanwhile when it comes back. Its session is subscribed while it is
   * away, so the broker takes the command for it (DELIVERED, not 0x10 and UNDELIVERED) and sends it
   * at the reconnect.
   */
  @Test
  @Order(4)
  void aCommandToADeviceAwayWithAPersistentSessionIsDeliveredAndReachesItWhenItIsBack()
      throws Exception {
    String id = TestBed.unique("away");
    List<Mqtt5Publish> received = new CopyOnWriteArrayList<>();
    Mqtt5AsyncClient device = TestBed.unconnectedDevice(mqtt, id);
    device.publishes(MqttGlobalPublishFilter.ALL, received::add);
    device.connectWith().sessionExpiryInterval(600).send().get(30, TimeUnit.SECONDS);
    device
        .subscribeWith()
        .topicFilter("devices/" + id + "/commands")
        .qos(MqttQos.AT_LEAST_ONCE)
        .send()
        .get(30, TimeUnit.SECONDS);
    device.disconnect().get(10, TimeUnit.SECONDS);

    Command command = TestBed.command(id, 0);
    send(command);

    try (var events = commandEvents(id)) {
      await().atMost(Duration.ofMinutes(1)).until(() -> !events.values().isEmpty());
      assertThat(events.values().get(0).getStatus()).isEqualTo(CommandStatus.DELIVERED);
      assertThat(events.values().get(0).getBroker()).isEqualTo("edge");
    }
    assertThat(received).isEmpty();

    // Back, in its session (which ends when it leaves now).
    var ack =
        device
            .connectWith()
            .cleanStart(false)
            .sessionExpiryInterval(0)
            .send()
            .get(30, TimeUnit.SECONDS);
    assertThat(ack.isSessionPresent()).isTrue();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> TestBed.commandIds(received).contains(command.getCommandId()));
    device.disconnect().get(10, TimeUnit.SECONDS);
  }
}
