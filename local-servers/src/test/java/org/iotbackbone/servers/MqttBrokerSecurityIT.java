package org.iotbackbone.servers;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.MqttWebSocketConfig;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.iotbackbone.pki.Credentials;
import org.iotbackbone.pki.DevicePki;
import org.iotbackbone.pki.TlsContexts;
import org.iotbackbone.servers.junit.MqttBrokers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Both brokers secure, as {@code ./iot up} and a deployment run them ({@link BrokerTls}): devices
 * prove their id with a certificate of the device CA over TLS or secure WebSockets, or with a
 * per-device secret, and each attack of issue 17 is refused on each broker, which keeps serving the
 * others. Where the brokers differ, the test says how (see the README of local-servers).
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class MqttBrokerSecurityIT {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir static Path dir;

  private static DevicePki pki;
  private static Credentials backend;
  private static final Map<MqttBrokerKind, MqttBroker> BROKERS =
      new EnumMap<>(MqttBrokerKind.class);

  private final List<Mqtt5AsyncClient> clients = new ArrayList<>();

  @BeforeAll
  static void issueCredentials() {
    pki = DevicePki.create(dir.resolve("pki"));
    backend = pki.issueService(BrokerTls.DEFAULT_BACKEND_IDENTITY);
  }

  @ParameterizedTest
  @EnumSource(MqttBrokerKind.class)
  void aDeviceWithItsCertificateReachesTheBackendOverTlsAndSecureWebSockets(MqttBrokerKind kind) {
    MqttBroker broker = broker(kind);
    Queue<Mqtt5Publish> seen = backendSubscriber(broker, "bridge-ok-" + kind);
    for (MqttListener listener : List.of(MqttListener.TLS, MqttListener.WSS)) {
      String id = "good-" + listener + "-" + kind;
      Mqtt5AsyncClient device = connect(client(broker, listener, pki.issueDevice(id), id));

      assertThat(publish(device, "devices/" + id + "/events/t", "hello"))
          .isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);
      await().atMost(WAIT).until(() -> topics(seen).contains("devices/" + id + "/events/t"));
    }
  }

  @ParameterizedTest
  @EnumSource(MqttBrokerKind.class)
  void noPlainListenerIsOpen(MqttBrokerKind kind) {
    MqttBroker broker = broker(kind);

    assertThat(broker.brokerOptions().listeners()).doesNotContain(MqttListener.PLAIN);
    assertThatThrownBy(broker::port).isInstanceOf(IllegalStateException.class);
    // Plain MQTT on the TLS port is not a handshake: refused, and the broker serves on.
    Mqtt5AsyncClient plain =
        Mqtt5Client.builder()
            .identifier("plain-" + kind)
            .serverHost(broker.host())
            .serverPort(broker.port(MqttListener.TLS))
            .buildAsync();
    assertRefused(plain);
    assertServesOthers(broker, "after-plain-" + kind);
  }

  @ParameterizedTest
  @EnumSource(MqttBrokerKind.class)
  void refusesAConnectionWithoutACertificate(MqttBrokerKind kind) {
    MqttBroker broker = broker(kind);
    for (MqttListener listener : List.of(MqttListener.TLS, MqttListener.WSS)) {
      String id = "nocert-" + listener + "-" + kind;
      Mqtt5AsyncClient client =
          builder(broker, listener, id)
              .sslConfig(MqttClientSslConfig.builder().trustManagerFactory(trust()).build())
              .buildAsync();

      assertRefused(client);
    }
    assertServesOthers(broker, "after-nocert-" + kind);
  }

  @ParameterizedTest
  @EnumSource(MqttBrokerKind.class)
  void refusesACertificateOfAnotherCa(MqttBrokerKind kind) {
    MqttBroker broker = broker(kind);
    DevicePki stranger = DevicePki.create(dir.resolve("stranger-" + kind));
    String id = "foreign-" + kind;

    assertRefused(client(broker, MqttListener.TLS, stranger.issueDevice(id), id));
    assertRefused(client(broker, MqttListener.WSS, stranger.issueDevice(id), id));
    assertServesOthers(broker, "after-foreign-" + kind);
  }

  @ParameterizedTest
  @EnumSource(MqttBrokerKind.class)
  void refusesAnExpiredCertificate(MqttBrokerKind kind) {
    MqttBroker broker = broker(kind);
    String id = "expired-" + kind;
    Instant now = Instant.now();
    Credentials expired =
        pki.issueDevice(id, now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)));

    assertRefused(client(broker, MqttListener.TLS, expired, id));
    assertServesOthers(broker, "after-expired-" + kind);
  }

  @ParameterizedTest
  @EnumSource(MqttBrokerKind.class)
  void refusesARevokedCertificateAndSecretOnceTheBrokerReloads(MqttBrokerKind kind) {
    MqttBroker broker = broker(kind);
    String id = "revoked-" + kind;
    Credentials credentials = pki.issueDevice(id);
    String secret = pki.addSecret(id);
    broker.reloadIdentities();
    connect(client(broker, MqttListener.TLS, credentials, id)).disconnect().join();
    connect(secretClient(broker, id, secret)).disconnect().join();

    pki.revoke(id);
    broker.reloadIdentities();

    await()
        .atMost(WAIT)
        .untilAsserted(() -> assertRefused(client(broker, MqttListener.TLS, credentials, id)));
    assertRefused(client(broker, MqttListener.WSS, credentials, id));
    assertRefused(secretClient(broker, id, secret));
    assertServesOthers(broker, "after-revoked-" + kind);
  }

  @ParameterizedTest
  @EnumSource(MqttBrokerKind.class)
  void aDeviceWithASecretConnectsAndAWrongSecretIsRefused(MqttBrokerKind kind) {
    MqttBroker broker = broker(kind);
    Queue<Mqtt5Publish> seen = backendSubscriber(broker, "bridge-secret-" + kind);
    String id = "secret-" + kind;
    String secret = pki.addSecret(id);
    broker.reloadIdentities();

    assertRefused(secretClient(broker, id, secret + "x"));
    assertRefused(secretClient(broker, "unknown-" + kind, secret));
    Mqtt5AsyncClient device =
        await()
            .atMost(WAIT)
            .ignoreExceptions()
            .until(() -> connect(secretClient(broker, id, secret)), c -> true);
    assertThat(publish(device, "devices/" + id + "/events/t", "s"))
        .isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);
    assertThat(publish(device, "devices/other/events/t", "s"))
        .isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
    await().atMost(WAIT).until(() -> topics(seen).contains("devices/" + id + "/events/t"));
    assertThat(topics(seen)).doesNotContain("devices/other/events/t");
  }

  /**
   * Device A's certificate with client id B. HiveMQ refuses it (CLIENT_IDENTIFIER_NOT_VALID);
   * Mosquitto cannot refuse a client id, so it replaces it with the certificate's CN ({@code
   * use_username_as_clientid}): either way B's session is untouched.
   */
  @ParameterizedTest
  @EnumSource(MqttBrokerKind.class)
  void aCertificateCannotUseAnotherDevicesClientId(MqttBrokerKind kind) {
    MqttBroker broker = broker(kind);
    String a = "clientid-a-" + kind;
    String b = "clientid-b-" + kind;
    Queue<Mqtt5Publish> received = new LinkedBlockingQueue<>();
    Mqtt5AsyncClient deviceB = connect(client(broker, MqttListener.TLS, pki.issueDevice(b), b));
    deviceB.publishes(MqttGlobalPublishFilter.ALL, received::add);
    deviceB.subscribeWith().topicFilter("devices/" + b + "/commands/#").send().join();

    Mqtt5AsyncClient impostor = client(broker, MqttListener.TLS, pki.issueDevice(a), b);
    if (kind == MqttBrokerKind.HIVEMQ) {
      assertThatThrownBy(() -> impostor.connect().join())
          .hasCauseInstanceOf(Mqtt5ConnAckException.class)
          .satisfies(
              e ->
                  assertThat(
                          ((Mqtt5ConnAckException) e.getCause()).getMqttMessage().getReasonCode())
                      .isEqualTo(Mqtt5ConnAckReasonCode.CLIENT_IDENTIFIER_NOT_VALID));
    } else {
      connect(impostor);
      // Connected as A: its publish under B's topics is refused, and B was not taken over.
      assertThat(publish(impostor, "devices/" + b + "/commands/x", "spoof"))
          .isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
    }
    assertThat(deviceB.getState().isConnected()).isTrue();
    Mqtt5AsyncClient backendClient = backendClient(broker, "bridge-clientid-" + kind);
    assertThat(publish(backendClient, "devices/" + b + "/commands", "for-b"))
        .isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);
    await().atMost(WAIT).until(() -> payloads(received).contains("for-b"));
    assertThat(payloads(received)).doesNotContain("spoof");
  }

  @ParameterizedTest
  @EnumSource(MqttBrokerKind.class)
  void aDevicePublishingUnderAnotherDeviceIsNotAuthorizedAndNothingPasses(MqttBrokerKind kind) {
    MqttBroker broker = broker(kind);
    Queue<Mqtt5Publish> seen = backendSubscriber(broker, "bridge-spoof-" + kind);
    String a = "spoof-a-" + kind;
    Credentials credentials = pki.issueDevice(a);

    for (MqttListener listener : List.of(MqttListener.TLS, MqttListener.WSS)) {
      // A fresh connection for each: HiveMQ disconnects a client after refusing its publish.
      Mqtt5AsyncClient device = connect(client(broker, listener, credentials, a));
      assertThat(publish(device, "devices/spoof-b-" + kind + "/events/x", "spoofed"))
          .isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
    }
    Mqtt5AsyncClient device = connect(client(broker, MqttListener.TLS, credentials, a));
    assertThat(publish(device, "devices/" + a + "/events/x", "own"))
        .isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);
    await().atMost(WAIT).until(() -> payloads(seen).contains("own"));
    assertThat(payloads(seen)).doesNotContain("spoofed");
  }

  /**
   * A subscribing to B's topics or to every device's. HiveMQ refuses the subscription in the
   * SUBACK; Mosquitto grants it and checks each message it would deliver, so A receives nothing of
   * B's.
   */
  @ParameterizedTest
  @EnumSource(MqttBrokerKind.class)
  void aDeviceReceivesNothingOfAnotherDevice(MqttBrokerKind kind) {
    MqttBroker broker = broker(kind);
    String a = "eaves-a-" + kind;
    String b = "eaves-b-" + kind;
    Queue<Mqtt5Publish> received = new LinkedBlockingQueue<>();
    Mqtt5AsyncClient eavesdropper =
        connect(client(broker, MqttListener.TLS, pki.issueDevice(a), a));
    eavesdropper.publishes(MqttGlobalPublishFilter.ALL, received::add);
    for (String filter : List.of("devices/" + b + "/#", "devices/+/events/#", "#")) {
      List<Mqtt5SubAckReasonCode> codes = subscribe(eavesdropper, filter);
      if (kind == MqttBrokerKind.HIVEMQ) {
        assertThat(codes).containsExactly(Mqtt5SubAckReasonCode.NOT_AUTHORIZED);
      }
    }
    Mqtt5AsyncClient deviceB = connect(client(broker, MqttListener.TLS, pki.issueDevice(b), b));
    assertThat(publish(deviceB, "devices/" + b + "/events/secret", "b-private"))
        .isIn(Mqtt5PubAckReasonCode.SUCCESS, Mqtt5PubAckReasonCode.NO_MATCHING_SUBSCRIBERS);
    Mqtt5AsyncClient backendClient = backendClient(broker, "bridge-eaves-" + kind);
    assertThat(publish(backendClient, "devices/" + b + "/commands", "b-command"))
        .isIn(Mqtt5PubAckReasonCode.SUCCESS, Mqtt5PubAckReasonCode.NO_MATCHING_SUBSCRIBERS);

    await().pollDelay(Duration.ofSeconds(2)).atMost(WAIT).until(() -> true);
    assertThat(payloads(received)).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(MqttBrokerKind.class)
  void theBackendListenerGrantsNothingToADevice(MqttBrokerKind kind) {
    MqttBroker broker = broker(kind);
    String id = "backdoor-" + kind;
    Mqtt5AsyncClient device = client(broker, MqttListener.BACKEND, pki.issueDevice(id), id);
    if (kind == MqttBrokerKind.HIVEMQ) {
      assertRefused(device);
    } else {
      // Mosquitto lets any certificate of the CA in, and its ACL grants a device nothing here.
      connect(device);
      assertThat(publish(device, "devices/" + id + "/events/x", "x"))
          .isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
    }
  }

  /**
   * Mosquitto's statistics ({@code $SYS/broker/#}, which the bridge exports as {@code
   * mqtt_broker_*}) reach the back end and no device, on the device listener or with a device's
   * certificate on the back-end listener. HiveMQ CE has no {@code $SYS}.
   */
  @Test
  void onlyTheBackendReadsMosquittosStatistics() {
    MqttBroker broker = broker(MqttBrokerKind.MOSQUITTO);
    Queue<Mqtt5Publish> devicesSaw = new LinkedBlockingQueue<>();
    String id = "sys-reader";
    Mqtt5AsyncClient device = connect(client(broker, MqttListener.TLS, pki.issueDevice(id), id));
    String backdoorId = "sys-backdoor";
    Mqtt5AsyncClient backdoor =
        connect(client(broker, MqttListener.BACKEND, pki.issueDevice(backdoorId), backdoorId));
    for (Mqtt5AsyncClient client : List.of(device, backdoor)) {
      client.publishes(MqttGlobalPublishFilter.ALL, devicesSaw::add);
      // Mosquitto grants any subscription and checks read access per message delivered.
      subscribe(client, "$SYS/#");
    }
    Queue<Mqtt5Publish> backendSaw = new LinkedBlockingQueue<>();
    Mqtt5AsyncClient backendClient = backendClient(broker, "bridge-sys");
    backendClient.publishes(MqttGlobalPublishFilter.ALL, backendSaw::add);
    assertThat(subscribe(backendClient, MqttBrokerOptions.BACKEND_SYS_FILTER))
        .containsExactly(Mqtt5SubAckReasonCode.GRANTED_QOS_1);

    // Published every sys_interval (10 s) and retained.
    await().atMost(WAIT).until(() -> topics(backendSaw).contains("$SYS/broker/clients/connected"));
    assertThat(topics(backendSaw)).allMatch(topic -> topic.startsWith("$SYS/broker/"));
    await().pollDelay(Duration.ofSeconds(2)).atMost(WAIT).until(() -> true);
    assertThat(topics(devicesSaw)).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(MqttBrokerKind.class)
  void garbageInsteadOfATlsHandshakeIsDroppedAndTheBrokerServesOn(MqttBrokerKind kind)
      throws Exception {
    MqttBroker broker = broker(kind);
    byte[] garbage = new byte[4096];
    new Random(17).nextBytes(garbage);
    for (MqttListener listener : List.of(MqttListener.TLS, MqttListener.WSS)) {
      try (Socket socket = new Socket(broker.host(), broker.port(listener))) {
        socket.setSoTimeout(10_000);
        OutputStream out = socket.getOutputStream();
        out.write(garbage);
        out.flush();
        // The broker closes the connection (end of stream or a reset), never answers MQTT.
        int read;
        try {
          read = socket.getInputStream().read(new byte[1024]);
        } catch (java.io.IOException reset) {
          read = -1;
        }
        assertThat(read).isLessThanOrEqualTo(7); // at most a TLS alert record
      }
    }
    assertServesOthers(broker, "after-garbage-" + kind);
  }

  /**
   * An upgrade without the MQTT subprotocol, then an MQTT CONNECT in a WebSocket frame: no CONNACK
   * comes back.
   */
  @ParameterizedTest
  @EnumSource(MqttBrokerKind.class)
  void aWebSocketUpgradeWithoutTheMqttSubprotocolGetsNoMqtt(MqttBrokerKind kind) throws Exception {
    MqttBroker broker = broker(kind);
    String id = "ws-noproto-" + kind;
    SSLContext context = TlsContexts.client(pki.issueDevice(id), pki.caCertificate());
    try (SSLSocket socket =
        (SSLSocket)
            context.getSocketFactory().createSocket(broker.host(), broker.port(MqttListener.WSS))) {
      socket.setSoTimeout(5_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET /mqtt HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"
                  + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                  + "Sec-WebSocket-Version: 13\r\n\r\n")
              .getBytes(UTF_8));
      out.flush();
      String answer = readHttpHead(socket);
      if (answer.startsWith("HTTP/1.1 101")) {
        assertThat(answer.toLowerCase(java.util.Locale.ROOT))
            .doesNotContain("sec-websocket-protocol: mqtt");
        out.write(maskedBinaryFrame(mqttConnect(id)));
        out.flush();
        byte[] reply = readOrEnd(socket);
        if (kind == MqttBrokerKind.MOSQUITTO) {
          // Mosquitto hands a socket without the subprotocol to its HTTP-only protocol.
          assertThat(reply).as("an answer to MQTT on a socket without MQTT").isEmpty();
        } else {
          // HiveMQ CE (Netty's handshake) serves MQTT without the subprotocol: the device has
          // proven its certificate all the same (README "Device identity", a known difference).
          assertThat(reply).as("a CONNACK in a binary frame").startsWith((byte) 0x82, (byte) 11);
        }
      }
    }
    assertServesOthers(broker, "after-ws-" + kind);
  }

  private static String readHttpHead(SSLSocket socket) throws java.io.IOException {
    StringBuilder head = new StringBuilder();
    java.io.InputStream in = socket.getInputStream();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.append((char) b);
    }
    return head.toString();
  }

  /** What the broker sends within the socket's timeout: nothing when it ends or stays silent. */
  private static byte[] readOrEnd(SSLSocket socket) {
    try {
      byte[] buffer = new byte[64];
      int n = socket.getInputStream().read(buffer);
      return n <= 0 ? new byte[0] : java.util.Arrays.copyOf(buffer, n);
    } catch (java.io.IOException silentOrClosed) {
      return new byte[0];
    }
  }

  /** An MQTT 5 CONNECT with clean start and this client id, nothing else. */
  private static byte[] mqttConnect(String clientId) {
    byte[] id = clientId.getBytes(UTF_8);
    java.io.ByteArrayOutputStream variable = new java.io.ByteArrayOutputStream();
    variable.writeBytes(new byte[] {0, 4, 'M', 'Q', 'T', 'T', 5, 0x02, 0, 60, 0});
    variable.write(id.length >> 8);
    variable.write(id.length & 0xff);
    variable.writeBytes(id);
    byte[] body = variable.toByteArray();
    java.io.ByteArrayOutputStream packet = new java.io.ByteArrayOutputStream();
    packet.write(0x10);
    packet.write(body.length); // < 128 for the ids used here
    packet.writeBytes(body);
    return packet.toByteArray();
  }

  /** A client's WebSocket binary frame (clients must mask), payload under 126 bytes. */
  private static byte[] maskedBinaryFrame(byte[] payload) {
    byte[] mask = {0x12, 0x34, 0x56, 0x78};
    byte[] frame = new byte[2 + 4 + payload.length];
    frame[0] = (byte) 0x82;
    frame[1] = (byte) (0x80 | payload.length);
    System.arraycopy(mask, 0, frame, 2, 4);
    for (int i = 0; i < payload.length; i++) {
      frame[6 + i] = (byte) (payload[i] ^ mask[i % 4]);
    }
    return frame;
  }

  // --- helpers ------------------------------------------------------------------------------

  @AfterEach
  void disconnectClients() {
    for (Mqtt5AsyncClient client : clients) {
      if (client.getState().isConnected()) {
        client.disconnect().handle((ok, error) -> null).orTimeout(10, TimeUnit.SECONDS).join();
      }
    }
    clients.clear();
  }

  @AfterAll
  static void closeBrokers() {
    BROKERS.values().forEach(MqttBroker::close);
    BROKERS.clear();
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

  private static javax.net.ssl.TrustManagerFactory trust() {
    return TlsContexts.trustManagerFactory(pki.caCertificate());
  }

  private Mqtt5ClientBuilder builder(MqttBroker broker, MqttListener listener, String clientId) {
    Mqtt5ClientBuilder builder =
        Mqtt5Client.builder()
            .identifier(clientId)
            .serverHost(broker.host())
            .serverPort(broker.port(listener));
    if (listener == MqttListener.WSS) {
      builder.webSocketConfig(
          MqttWebSocketConfig.builder()
              .serverPath(MqttListener.WEBSOCKET_PATH.substring(1))
              .build());
    }
    return builder;
  }

  private Mqtt5AsyncClient client(
      MqttBroker broker, MqttListener listener, Credentials credentials, String clientId) {
    Mqtt5AsyncClient client =
        builder(broker, listener, clientId)
            .sslConfig(
                MqttClientSslConfig.builder()
                    .keyManagerFactory(TlsContexts.keyManagerFactory(credentials))
                    .trustManagerFactory(trust())
                    .build())
            .buildAsync();
    clients.add(client);
    return client;
  }

  private Mqtt5AsyncClient secretClient(MqttBroker broker, String id, String secret) {
    Mqtt5AsyncClient client =
        builder(broker, MqttListener.SECRET, id)
            .sslConfig(MqttClientSslConfig.builder().trustManagerFactory(trust()).build())
            .simpleAuth()
            .username(id)
            .password(secret.getBytes(UTF_8))
            .applySimpleAuth()
            .buildAsync();
    clients.add(client);
    return client;
  }

  private Mqtt5AsyncClient backendClient(MqttBroker broker, String clientId) {
    return connect(client(broker, MqttListener.BACKEND, backend, clientId));
  }

  private Queue<Mqtt5Publish> backendSubscriber(MqttBroker broker, String clientId) {
    Queue<Mqtt5Publish> seen = new LinkedBlockingQueue<>();
    Mqtt5AsyncClient client = backendClient(broker, clientId);
    client.publishes(MqttGlobalPublishFilter.ALL, seen::add);
    for (String filter : MqttBrokerOptions.BACKEND_SUBSCRIBE_FILTERS) {
      assertThat(subscribe(client, "$share/bridges/" + filter))
          .containsExactly(Mqtt5SubAckReasonCode.GRANTED_QOS_1);
    }
    return seen;
  }

  private static Mqtt5AsyncClient connect(Mqtt5AsyncClient client) {
    client.connect().orTimeout(20, TimeUnit.SECONDS).join();
    return client;
  }

  private static void assertRefused(Mqtt5AsyncClient client) {
    assertThatThrownBy(() -> client.connect().orTimeout(20, TimeUnit.SECONDS).join())
        .isInstanceOf(CompletionException.class);
    assertThat(client.getState().isConnected()).isFalse();
  }

  private void assertServesOthers(MqttBroker broker, String id) {
    Mqtt5AsyncClient other = connect(client(broker, MqttListener.TLS, pki.issueDevice(id), id));
    assertThat(publish(other, "devices/" + id + "/events/ok", "ok"))
        .isIn(Mqtt5PubAckReasonCode.SUCCESS, Mqtt5PubAckReasonCode.NO_MATCHING_SUBSCRIBERS);
  }

  /** The PUBACK's reason code, whether the client reports it as a result or as an error. */
  private static Mqtt5PubAckReasonCode publish(Mqtt5AsyncClient client, String topic, String text) {
    return client
        .publishWith()
        .topic(topic)
        .qos(MqttQos.AT_LEAST_ONCE)
        .payload(text.getBytes(UTF_8))
        .send()
        .orTimeout(20, TimeUnit.SECONDS)
        .handle(
            (result, error) -> {
              Throwable failure = error instanceof CompletionException ? error.getCause() : error;
              if (failure == null) {
                failure = result.getError().orElse(null);
              }
              if (failure instanceof Mqtt5PubAckException refused) {
                return refused.getMqttMessage().getReasonCode();
              }
              if (failure != null) {
                throw new AssertionError("publish to " + topic + " failed: " + failure, failure);
              }
              return ((Mqtt5PublishResult.Mqtt5Qos1Result) result).getPubAck().getReasonCode();
            })
        .join();
  }

  /** The SUBACK's reason codes, whether the client reports them as a result or as an error. */
  private static List<Mqtt5SubAckReasonCode> subscribe(Mqtt5AsyncClient client, String filter) {
    return client
        .subscribeWith()
        .topicFilter(filter)
        .qos(MqttQos.AT_LEAST_ONCE)
        .send()
        .orTimeout(20, TimeUnit.SECONDS)
        .handle(
            (ack, error) -> {
              Throwable failure = error instanceof CompletionException ? error.getCause() : error;
              if (failure instanceof Mqtt5SubAckException refused) {
                return List.copyOf(refused.getMqttMessage().getReasonCodes());
              }
              if (failure != null) {
                throw new AssertionError("subscribe to " + filter + " failed: " + failure, failure);
              }
              return List.copyOf(ack.getReasonCodes());
            })
        .join();
  }

  private static List<String> topics(Queue<Mqtt5Publish> messages) {
    return messages.stream().map(m -> m.getTopic().toString()).toList();
  }

  private static List<String> payloads(Queue<Mqtt5Publish> messages) {
    return messages.stream().map(m -> new String(m.getPayloadAsBytes(), UTF_8)).toList();
  }
}
