package org.iotbackbone.simulator.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.iotbackbone.pki.Credentials;
import org.iotbackbone.pki.DevicePki;
import org.iotbackbone.pki.TlsContexts;
import org.iotbackbone.servers.BrokerTls;
import org.iotbackbone.servers.MqttBroker;
import org.iotbackbone.servers.MqttBrokerKind;
import org.iotbackbone.servers.MqttBrokerOptions;
import org.iotbackbone.servers.MqttListener;
import org.iotbackbone.servers.ServerOptions;
import org.iotbackbone.servers.junit.MqttBrokers;
import org.iotbackbone.simulator.Count;
import org.iotbackbone.simulator.Endpoints;
import org.iotbackbone.simulator.Scenario;
import org.iotbackbone.simulator.Scenario.Transport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The simulator's devices against secure brokers, as {@code ./iot up} runs them ({@link
 * BrokerTls}): every device connects with a certificate of its own, issued by the simulator from
 * the device CA, over TLS, secure WebSockets or both, and publishes. The brokers bind the
 * certificate's CN to the device's topics (HiveMQ also to its client id), so each device's event
 * reaching the back end's subscription proves that it was that device's certificate.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class SecureFleetIT {

  private static final int DEVICES = 12;

  @TempDir static Path dir;

  private static DevicePki pki;
  private static Credentials backend;
  private static final Map<MqttBrokerKind, MqttBroker> BROKERS = new ConcurrentHashMap<>();

  @BeforeAll
  static void createCa() {
    pki = DevicePki.create(dir.resolve("pki"));
    backend = pki.issueService(BrokerTls.DEFAULT_BACKEND_IDENTITY);
  }

  @AfterAll
  static void stopBrokers() {
    BROKERS.values().forEach(MqttBroker::close);
  }

  /**
   * The Mosquitto cases bind source addresses, as big fleets do: the HiveMQ client's
   * transportConfig() used to drop the TLS settings, and such devices spoke plain MQTT to TLS.
   */
  @ParameterizedTest(name = "{0} over {1} from {2}")
  @CsvSource({"MOSQUITTO,TLS,127.0.0.2", "MOSQUITTO,WSS,127.0.0.3", "HIVEMQ,TLS,", "HIVEMQ,MIXED,"})
  void everyDeviceConnectsAndPublishesWithItsOwnCertificate(
      MqttBrokerKind kind, Transport transport, String sourceAddress) throws Exception {
    MqttBroker broker = broker(kind);
    String prefix = "sim-" + kind.name().toLowerCase() + transport.key();
    Set<String> seen = ConcurrentHashMap.newKeySet();
    Mqtt5AsyncClient bridge = backendSubscriber(broker, prefix, seen);
    Endpoints endpoints = endpoints(broker);
    DeviceLinks links = new DeviceLinks(endpoints, transport);
    List<String> ids =
        IntStream.range(0, DEVICES).mapToObj(i -> prefix + "-" + i).collect(Collectors.toList());
    Path issued = DeviceTls.issue(DevicePki.open(endpoints.devicePkiDir().orElseThrow()), ids);
    ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    Metrics metrics = new Metrics();
    Fleet fleet =
        new Fleet(
            prefix,
            0,
            Scenario.of(Map.of("devices", Integer.toString(DEVICES)), "test"),
            links,
            new DeviceTls(endpoints.deviceCaFile().orElseThrow(), issued),
            sourceAddress == null ? List.of() : List.of(sourceAddress),
            metrics,
            scheduler);
    try {
      assertThat(links.secure()).isTrue();
      assertThat(links.describe()).isEqualTo(transport.key());
      for (int i = 0; i < DEVICES; i++) {
        fleet.connect(i);
      }
      awaitTrue(() -> metrics.connected() == DEVICES, "all " + DEVICES + " devices connected");
      assertThat(metrics.total(Count.CONNECT_FAILURES)).isZero();
      for (int i = 0; i < DEVICES; i++) {
        assertThat(fleet.sendEvent()).isNotNull();
      }
      awaitTrue(() -> metrics.total(Count.EVENTS_SENT) == DEVICES, "every event acknowledged");
      // Each device's event under its own topic: what the broker allows only its certificate.
      awaitTrue(
          () -> seen.containsAll(ids), "an event of every device at the back end, seen: " + seen);
      assertThat(metrics.total(Count.PUBLISH_FAILURES)).isZero();
    } finally {
      fleet.stop();
      scheduler.shutdownNow();
      bridge.disconnect().handle((ok, error) -> null).get(10, TimeUnit.SECONDS);
      DeviceTls.deleteIssued(issued);
    }
  }

  @ParameterizedTest
  @EnumSource(MqttBrokerKind.class)
  void aDeviceWithoutItsCertificateDoesNotConnectAndIsRetried(MqttBrokerKind kind)
      throws Exception {
    MqttBroker broker = broker(kind);
    Endpoints endpoints = endpoints(broker);
    ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1);
    Metrics metrics = new Metrics();
    // An empty directory: no device has its certificate.
    Path empty = java.nio.file.Files.createDirectories(dir.resolve("empty-" + kind));
    Fleet fleet =
        new Fleet(
            "nocert",
            0,
            Scenario.of(Map.of("devices", "1"), "test"),
            new DeviceLinks(endpoints, Transport.TLS),
            new DeviceTls(endpoints.deviceCaFile().orElseThrow(), empty),
            List.of(),
            metrics,
            scheduler);
    try {
      fleet.connect(0);
      awaitTrue(() -> metrics.total(Count.CONNECT_FAILURES) >= 1, "a failed attempt counted");
      assertThat(metrics.connected()).isZero();
    } finally {
      fleet.stop();
      scheduler.shutdownNow();
    }
  }

  /** The endpoints {@code ./iot up} would write for this broker. */
  private static Endpoints endpoints(MqttBroker broker) {
    Map<String, String> variables = new HashMap<>();
    variables.put(Endpoints.MQTT_URL, broker.uri(MqttListener.TLS));
    variables.put(Endpoints.MQTT_WS_URL, broker.uri(MqttListener.WSS));
    variables.put(Endpoints.MQTT_SECRET_URL, broker.uri(MqttListener.SECRET));
    variables.put(Endpoints.DEVICE_CA_FILE, pki.caCertificate().toString());
    variables.put(Endpoints.DEVICE_PKI_DIR, pki.dir().toString());
    variables.put(Endpoints.KAFKA_BOOTSTRAP, "127.0.0.1:1");
    variables.put(Endpoints.REGISTRY_URL, "http://127.0.0.1:1/apis/ccompat/v7");
    variables.put(Endpoints.REST_URL, "http://127.0.0.1:1");
    Endpoints endpoints = Endpoints.fromVariables(variables, "test");
    assertThat(endpoints.mqttTls()).isTrue();
    return endpoints;
  }

  /** The back end's subscription to every device's events, as the bridge has it. */
  private static Mqtt5AsyncClient backendSubscriber(
      MqttBroker broker, String prefix, Set<String> seen) throws Exception {
    Mqtt5AsyncClient client =
        Mqtt5Client.builder()
            .identifier("bridge-" + prefix)
            .serverHost(broker.host())
            .serverPort(broker.port(MqttListener.BACKEND))
            .sslConfig(
                MqttClientSslConfig.builder()
                    .keyManagerFactory(TlsContexts.keyManagerFactory(backend))
                    .trustManagerFactory(TlsContexts.trustManagerFactory(pki.caCertificate()))
                    .build())
            .buildAsync();
    client.publishes(
        MqttGlobalPublishFilter.ALL,
        message -> {
          String[] levels = message.getTopic().toString().split("/");
          if (levels.length >= 3 && levels[2].equals("events")) {
            seen.add(levels[1]);
          }
        });
    client.connect().get(30, TimeUnit.SECONDS);
    List<String> filters = new ArrayList<>(MqttBrokerOptions.BACKEND_SUBSCRIBE_FILTERS);
    for (String filter : filters) {
      client
          .subscribeWith()
          .topicFilter("$share/bridges/" + filter)
          .qos(MqttQos.AT_LEAST_ONCE)
          .send()
          .get(30, TimeUnit.SECONDS);
    }
    return client;
  }

  private static synchronized MqttBroker broker(MqttBrokerKind kind) {
    MqttBrokers.assumeAvailable(kind);
    return BROKERS.computeIfAbsent(
        kind,
        k -> {
          BrokerTls tls = BrokerTls.issue(pki, dir.resolve("tls-" + k), List.of());
          MqttBroker broker =
              k.create(MqttBrokerOptions.builder().tls(tls).build(), ServerOptions.defaults());
          broker.start();
          return broker;
        });
  }

  private static void awaitTrue(java.util.function.BooleanSupplier condition, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 60 s: " + what);
      }
      Thread.sleep(50);
    }
  }
}
