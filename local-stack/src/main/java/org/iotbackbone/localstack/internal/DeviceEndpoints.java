package org.iotbackbone.localstack.internal;

import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.iotbackbone.pki.Credentials;
import org.iotbackbone.pki.DevicePki;
import org.iotbackbone.pki.TlsContexts;
import org.iotbackbone.simulator.Endpoints;

/**
 * How the stack's own device clients (the fuzzer's doors and normal device, tests) reach the
 * brokers, from {@code endpoints.env}: the devices' URLs ({@code ssl://} with a certificate of the
 * stack's CA, or {@code tcp://} in the insecure mode), the CA a device trusts the broker with, and
 * the CA's directory to issue device certificates from.
 *
 * @param mqttUrls {@link Endpoints#MQTT_URLS} (or {@link Endpoints#MQTT_URL})
 * @param caFile {@link Endpoints#DEVICE_CA_FILE}; empty for plain brokers
 * @param pkiDir {@link Endpoints#DEVICE_PKI_DIR}; empty for plain brokers
 */
public record DeviceEndpoints(List<URI> mqttUrls, Optional<Path> caFile, Optional<Path> pkiDir) {

  /** Device certificates issued by this JVM, by id: a fuzz run reconnects the same ids often. */
  private static final Map<String, Credentials> ISSUED = new ConcurrentHashMap<>();

  public DeviceEndpoints {
    mqttUrls = List.copyOf(mqttUrls);
    if (mqttUrls.isEmpty()) {
      throw new IllegalArgumentException("no MQTT URL");
    }
    boolean secure = "ssl".equals(mqttUrls.get(0).getScheme());
    if (secure && (caFile.isEmpty() || pkiDir.isEmpty())) {
      throw new IllegalArgumentException(
          "ssl:// brokers need "
              + Endpoints.DEVICE_CA_FILE
              + " and "
              + Endpoints.DEVICE_PKI_DIR
              + " (a certificate of the stack's CA)");
    }
  }

  /** Those of an endpoints file. */
  public static DeviceEndpoints fromEnvFile(Path file) throws IOException {
    return fromVariables(Endpoints.readEnvFile(file), file.toString());
  }

  /** Those of the variables of an endpoints file; {@code where} names it in errors. */
  public static DeviceEndpoints fromVariables(Map<String, String> variables, String where) {
    String name =
        variables.containsKey(Endpoints.MQTT_URLS) ? Endpoints.MQTT_URLS : Endpoints.MQTT_URL;
    String value = variables.get(name);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " is not set in " + where);
    }
    List<URI> urls = new ArrayList<>();
    for (String url : value.split(",")) {
      URI uri = URI.create(url.strip());
      if (!List.of("ssl", "tcp").contains(uri.getScheme())
          || uri.getHost() == null
          || uri.getPort() < 0) {
        throw new IllegalArgumentException(
            name + " in " + where + " must be ssl://host:port or tcp://host:port, not " + url);
      }
      urls.add(uri);
    }
    return new DeviceEndpoints(
        urls,
        Optional.ofNullable(variables.get(Endpoints.DEVICE_CA_FILE))
            .filter(v -> !v.isBlank())
            .map(Path::of),
        Optional.ofNullable(variables.get(Endpoints.DEVICE_PKI_DIR))
            .filter(v -> !v.isBlank())
            .map(Path::of));
  }

  /** Whether devices connect over TLS with a certificate. */
  public boolean secure() {
    return caFile.isPresent() && "ssl".equals(mqttUrls.get(0).getScheme());
  }

  /** The brokers' device listeners. */
  public List<InetSocketAddress> brokers() {
    return mqttUrls.stream()
        .map(url -> InetSocketAddress.createUnresolved(url.getHost(), url.getPort()))
        .toList();
  }

  /**
   * The certificate and key of {@code deviceId}, issued from the stack's CA the first time this JVM
   * asks for it.
   */
  public Credentials credentials(String deviceId) {
    Path dir = pkiDir.orElseThrow(() -> new IllegalStateException("plain brokers: no CA"));
    return ISSUED.computeIfAbsent(
        dir + "/" + deviceId, key -> DevicePki.open(dir).issueDevice(deviceId));
  }

  /** TLS for {@code deviceId}'s HiveMQ client: its certificate, the stack's CA; empty if plain. */
  public Optional<MqttClientSslConfig> sslConfig(String deviceId) {
    if (!secure()) {
      return Optional.empty();
    }
    return Optional.of(
        MqttClientSslConfig.builder()
            .keyManagerFactory(TlsContexts.keyManagerFactory(credentials(deviceId)))
            .trustManagerFactory(TlsContexts.trustManagerFactory(caFile.orElseThrow()))
            .build());
  }

  /**
   * A HiveMQ client of {@code deviceId} (its client id) for {@code broker}, over TLS with its
   * certificate when the brokers are secure.
   */
  public Mqtt5ClientBuilder client(String deviceId, InetSocketAddress broker) {
    Mqtt5ClientBuilder builder =
        Mqtt5Client.builder()
            .identifier(deviceId)
            .serverHost(broker.getHostString())
            .serverPort(broker.getPort());
    sslConfig(deviceId).ifPresent(builder::sslConfig);
    return builder;
  }

  /**
   * A TLS socket to {@code broker} as {@code deviceId}, handshaken; for clients that write MQTT's
   * bytes themselves.
   */
  public SSLSocket tlsSocket(String deviceId, InetSocketAddress broker, int timeoutMillis)
      throws IOException {
    SSLContext context = TlsContexts.client(credentials(deviceId), caFile.orElseThrow());
    java.net.Socket plain = new java.net.Socket();
    plain.connect(new InetSocketAddress(broker.getHostString(), broker.getPort()), timeoutMillis);
    plain.setSoTimeout(timeoutMillis);
    SSLSocket socket =
        (SSLSocket)
            context
                .getSocketFactory()
                .createSocket(plain, broker.getHostString(), broker.getPort(), true);
    socket.startHandshake();
    return socket;
  }
}
