package org.iotbackbone.simulator.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.iotbackbone.servers.MqttBroker;
import org.iotbackbone.servers.MqttBrokerKind;
import org.iotbackbone.servers.junit.SharedServers;
import org.iotbackbone.simulator.Count;
import org.iotbackbone.simulator.Endpoints;
import org.iotbackbone.simulator.Scenario;
import org.iotbackbone.simulator.Scenario.Transport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A simulated device's session on Mosquitto, through a relay that breaks its connection: the
 * commands the back end publishes (as the bridge does, QoS 1, reading the PUBACK's reason code)
 * while the device connects or is away. In a 10,000-device run 11 of 1,799 commands were recorded
 * UNDELIVERED (0x10, no matching subscribers) because the devices counted as connected at their
 * CONNACK, before their SUBSCRIBE had reached the broker; and a device without a session that
 * dropped would lose every command sent until it was back, and was never reconnected.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class DeviceSessionIT {

  private static MqttBroker broker;
  private static Mqtt5AsyncClient backend;
  private static final List<String> presence = new CopyOnWriteArrayList<>();

  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1);
  private final Metrics metrics = new Metrics();
  private TcpRelay relay;
  private Fleet fleet;

  @BeforeAll
  static void connectTheBackEnd() throws Exception {
    broker = SharedServers.mqtt(MqttBrokerKind.MOSQUITTO);
    backend =
        Mqtt5Client.builder()
            .identifier("backend-" + System.nanoTime())
            .serverHost(broker.host())
            .serverPort(broker.port())
            .simpleAuth()
            .username(broker.brokerOptions().backendUsername())
            .password(broker.brokerOptions().backendPassword().getBytes(StandardCharsets.UTF_8))
            .applySimpleAuth()
            .buildAsync();
    backend.publishes(
        MqttGlobalPublishFilter.ALL,
        message ->
            presence.add(
                message.getTopic()
                    + "="
                    + StandardCharsets.UTF_8.decode(message.getPayload().get())));
    backend.connect().get(30, TimeUnit.SECONDS);
    backend
        .subscribeWith()
        .topicFilter("devices/+/presence")
        .qos(MqttQos.AT_LEAST_ONCE)
        .send()
        .get(30, TimeUnit.SECONDS);
  }

  @AfterAll
  static void disconnectTheBackEnd() throws Exception {
    if (backend != null) {
      backend.disconnect().handle((ok, error) -> null).get(10, TimeUnit.SECONDS);
    }
  }

  @AfterEach
  void stop() {
    if (relay != null) {
      relay.release(); // else the device's DISCONNECT waits behind its held SUBSCRIBE
    }
    if (fleet != null) {
      fleet.stop();
    }
    scheduler.shutdownNow();
    if (relay != null) {
      relay.close();
    }
  }

  @Test
  void aDeviceCountsAsConnectedOnlyOnceItIsSubscribedToItsCommands() throws Exception {
    String id = startOneDevice("subscribing", true);
    // The CONNACK reached the device; its SUBSCRIBE waits in the relay.
    await().atMost(Duration.ofSeconds(30)).until(() -> relay.bytesToDevices() > 0);
    Thread.sleep(500);

    // No session is subscribed to its commands yet: one sent now would be UNDELIVERED.
    assertThat(publishCommand(id, "early"))
        .isEqualTo(Mqtt5PubAckReasonCode.NO_MATCHING_SUBSCRIBERS);
    assertThat(metrics.connected()).isZero();
    assertThat(fleet.randomConnected()).isNull();

    relay.release();
    await().atMost(Duration.ofSeconds(30)).until(() -> metrics.connected() == 1);
    assertThat(fleet.randomConnected()).isEqualTo(id);
    // Once it counts as connected, a command reaches it.
    assertThat(publishCommand(id, "on-time")).isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);
    await().atMost(Duration.ofSeconds(30)).until(() -> metrics.total(Count.COMMANDS_RECEIVED) == 1);
  }

  @Test
  void aCommandSentWhileItsDeviceIsAwayWaitsInItsSessionAndReachesItWhenItIsBack()
      throws Exception {
    String id = startOneDevice("away", false);
    await().atMost(Duration.ofSeconds(30)).until(() -> metrics.connected() == 1);

    // Its network goes: the broker sees the connection end (and sends the will), the device too.
    relay.refusing(true);
    relay.cut();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> presence.contains("devices/" + id + "/presence=offline"));
    await().atMost(Duration.ofSeconds(30)).until(() -> metrics.connected() == 0);
    assertThat(metrics.total(Count.DISCONNECTS)).isEqualTo(1);

    // Its session is subscribed while it is away: the broker takes the command for it (DELIVERED).
    assertThat(publishCommand(id, "while-away")).isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);
    assertThat(metrics.total(Count.COMMANDS_RECEIVED)).isZero();

    // Back: the device reconnects by itself and gets the command from its session.
    relay.refusing(false);
    await().atMost(Duration.ofSeconds(30)).until(() -> metrics.connected() == 1);
    await().atMost(Duration.ofSeconds(30)).until(() -> metrics.total(Count.COMMANDS_RECEIVED) == 1);
    assertThat(metrics.total(Count.ACKS_SENT)).isEqualTo(1);
  }

  @Test
  void aDeviceWhoseConnectionDropsBetweenItsConnackAndItsSubackConnectsAgain() throws Exception {
    String id = startOneDevice("dropped", true);
    // The CONNACK reached the device; its SUBSCRIBE waits in the relay. Then the network goes.
    await().atMost(Duration.ofSeconds(30)).until(() -> relay.bytesToDevices() > 0);
    relay.cut();
    relay.release(); // new connections pass

    // Its connect failed with the drop and was retried: it comes up, subscribed, in its session.
    await().atMost(Duration.ofSeconds(30)).until(() -> metrics.connected() == 1);
    assertThat(metrics.total(Count.CONNECT_FAILURES)).isPositive();
    assertThat(publishCommand(id, "after-drop")).isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);
    await().atMost(Duration.ofSeconds(30)).until(() -> metrics.total(Count.COMMANDS_RECEIVED) == 1);
  }

  @Test
  void aConnectWhoseSubackDoesNotComeInTimeIsDroppedAndRetried() throws Exception {
    String id = startOneDevice("slow", true, Map.of("connect.timeout.seconds", "2"));
    await().atMost(Duration.ofSeconds(30)).until(() -> relay.bytesToDevices() > 0);

    // The SUBACK does not come (the SUBSCRIBE is held): after 2 s the attempt is dropped (a
    // DISCONNECT) and retried on a new connection, which is held too.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> metrics.total(Count.CONNECT_FAILURES) >= 1 && metrics.total(Count.CONNECTS) >= 2);
    assertThat(metrics.connected()).isZero();

    relay.release();
    await().atMost(Duration.ofSeconds(30)).until(() -> metrics.connected() == 1);
    assertThat(publishCommand(id, "in-the-end")).isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);
    await().atMost(Duration.ofSeconds(30)).until(() -> metrics.total(Count.COMMANDS_RECEIVED) == 1);
  }

  /** One device connecting to the broker through a new relay; returns its id. */
  private String startOneDevice(String prefix, boolean holdAfterConnect) throws Exception {
    return startOneDevice(prefix, holdAfterConnect, Map.of());
  }

  /** The same, with these scenario settings over one device's. */
  private String startOneDevice(
      String prefix, boolean holdAfterConnect, Map<String, String> settings) throws Exception {
    relay = new TcpRelay(broker.host(), broker.port());
    if (holdAfterConnect) {
      relay.holdAfterConnect();
    }
    String fleetPrefix = prefix + System.nanoTime() % 1_000_000;
    Endpoints endpoints =
        Endpoints.fromVariables(
            Map.of(
                Endpoints.MQTT_URL,
                "tcp://127.0.0.1:" + relay.port(),
                Endpoints.KAFKA_BOOTSTRAP,
                "127.0.0.1:1",
                Endpoints.REGISTRY_URL,
                "http://127.0.0.1:1/apis/ccompat/v7",
                Endpoints.REST_URL,
                "http://127.0.0.1:1"),
            "test");
    fleet =
        new Fleet(
            fleetPrefix,
            0,
            Scenario.of(Map.of("devices", "1"), "test").with(settings),
            new DeviceLinks(endpoints, Transport.TLS),
            null,
            List.of(),
            metrics,
            scheduler);
    fleet.connect(0);
    return fleetPrefix + "-0";
  }

  /** Publishes a command to the device as the bridge does; the PUBACK's reason code. */
  private static Mqtt5PubAckReasonCode publishCommand(String deviceId, String commandId)
      throws Exception {
    Mqtt5PublishResult result =
        backend
            .publishWith()
            .topic("devices/" + deviceId + "/commands")
            .qos(MqttQos.AT_LEAST_ONCE)
            .payload(
                ("{\"commandId\":\"" + commandId + "\",\"name\":\"ping\",\"payload\":{}}")
                    .getBytes(StandardCharsets.UTF_8))
            .send()
            .get(30, TimeUnit.SECONDS);
    return ((Mqtt5PublishResult.Mqtt5Qos1Result) result).getPubAck().getReasonCode();
  }
}
