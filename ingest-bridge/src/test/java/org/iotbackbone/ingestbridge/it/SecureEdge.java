package org.iotbackbone.ingestbridge.it;

import com.hivemq.client.mqtt.MqttClientSslConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.iotbackbone.ingestbridge.BridgeConfig;
import org.iotbackbone.pki.Credentials;
import org.iotbackbone.pki.DevicePki;
import org.iotbackbone.pki.TlsContexts;
import org.iotbackbone.servers.BrokerTls;
import org.iotbackbone.servers.MqttBroker;
import org.iotbackbone.servers.MqttBrokerKind;
import org.iotbackbone.servers.MqttBrokerOptions;
import org.iotbackbone.servers.ServerOptions;
import org.iotbackbone.servers.junit.MqttBrokers;

/**
 * The edge as deployed, for the bridge's integration tests: brokers with TLS only ({@link
 * BrokerTls}), one device CA for the test JVM, the bridge's back-end certificate written to PEM
 * files for {@code mqtt.tls.*}, and a certificate of that CA for each simulated device.
 *
 * <p>The CA lives under {@code target/} of the module, so {@code mvn clean} removes it.
 */
final class SecureEdge {

  private static DevicePki pki;
  private static Path dir;
  private static Map<String, String> backendSettings;
  private static final Map<MqttBrokerKind, MqttBroker> SHARED = new EnumMap<>(MqttBrokerKind.class);
  private static int created;

  private SecureEdge() {}

  /** The device CA of this test JVM, created on first use. */
  static synchronized DevicePki pki() {
    if (pki == null) {
      try {
        Path target = Path.of("target");
        dir =
            Files.isDirectory(target)
                ? Files.createTempDirectory(target.toAbsolutePath(), "it-pki-")
                : Files.createTempDirectory("ingest-bridge-it-pki-");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      pki = DevicePki.create(dir.resolve("ca"));
    }
    return pki;
  }

  /**
   * A secure broker of that kind shared by the tests of this JVM, running; started again if a test
   * stopped it. Skipped (or failed under CI) when the broker is not installed.
   */
  static synchronized MqttBroker shared(MqttBrokerKind kind) {
    MqttBrokers.assumeAvailable(kind);
    MqttBroker broker = SHARED.computeIfAbsent(kind, k -> create(k, MqttBrokerOptions.builder()));
    broker.start();
    return broker;
  }

  /**
   * A new secure broker of that kind with {@code options} (TLS added), not started; the test owns
   * it.
   */
  static synchronized MqttBroker create(MqttBrokerKind kind, MqttBrokerOptions.Builder options) {
    MqttBrokers.assumeAvailable(kind);
    BrokerTls tls =
        BrokerTls.issue(pki(), dir.resolve("broker-" + kind + "-" + ++created), List.of());
    return kind.create(options.tls(tls).build(), ServerOptions.defaults());
  }

  /**
   * The bridge's {@code mqtt.tls.*}: the device CA to trust the brokers with, and the back end's
   * certificate ({@link BrokerTls#DEFAULT_BACKEND_IDENTITY}) and key, as files.
   */
  static synchronized Map<String, String> bridgeSettings() {
    if (backendSettings == null) {
      backendSettings =
          tlsSettings(pki().issueService(BrokerTls.DEFAULT_BACKEND_IDENTITY), "backend");
    }
    return backendSettings;
  }

  /**
   * {@code mqtt.tls.*} presenting {@code credentials}, written to files named after {@code name}.
   */
  static synchronized Map<String, String> tlsSettings(Credentials credentials, String name) {
    pki();
    Path certificate = dir.resolve(name + ".crt");
    Path key = dir.resolve(name + ".key");
    credentials.write(certificate, key);
    Map<String, String> values = new HashMap<>();
    values.put(BridgeConfig.MQTT_TLS_CA_FILE_CONFIG, pki.caCertificate().toString());
    values.put(BridgeConfig.MQTT_TLS_CERTIFICATE_FILE_CONFIG, certificate.toString());
    values.put(BridgeConfig.MQTT_TLS_KEY_FILE_CONFIG, key.toString());
    return Map.copyOf(values);
  }

  /** The TLS configuration of a device: its own certificate (CN = {@code deviceId}), the CA. */
  static MqttClientSslConfig deviceSsl(String deviceId) {
    Credentials credentials = pki().issueDevice(deviceId);
    return MqttClientSslConfig.builder()
        .keyManagerFactory(TlsContexts.keyManagerFactory(credentials))
        .trustManagerFactory(TlsContexts.trustManagerFactory(pki().caCertificate()))
        .build();
  }
}
