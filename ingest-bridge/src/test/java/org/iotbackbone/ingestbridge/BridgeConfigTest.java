package org.iotbackbone.ingestbridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigException;
import org.iotbackbone.pki.DevicePki;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BridgeConfigTest {

  private static Map<String, String> required() {
    Map<String, String> values = new HashMap<>();
    values.put("mqtt.brokers", "a=127.0.0.1:1883,b=tcp://127.0.0.1:1884");
    values.put("bootstrap.servers", "127.0.0.1:9092");
    values.put("schema.registry.url", "http://127.0.0.1:8080/apis/registry/v3");
    return values;
  }

  @Test
  void requiredKeysAndDefaults() {
    BridgeConfig config = BridgeConfig.of(required());

    assertThat(config.brokers())
        .containsExactly(
            new BrokerEndpoint("a", "127.0.0.1", 1883), new BrokerEndpoint("b", "127.0.0.1", 1884));
    assertThat(config.maxPayloadBytes()).isEqualTo(128 * 1024);
    assertThat(config.maxInFlight()).isEqualTo(1000);
    assertThat(config.sessionExpirySeconds()).isEqualTo(86_400);
    assertThat(config.backoffMax()).hasMillis(30_000);
    assertThat(config.downlinkGroupId()).isEqualTo("ingest-bridge");
    assertThat(config.kafkaClients().bootstrapServers()).isEqualTo("127.0.0.1:9092");
    assertThat(config.kafkaClients().overrides()).isEmpty();
    assertThat(config.describe().keySet())
        .containsExactlyElementsOf(BridgeConfig.configDef().configKeys().keySet());
  }

  @Test
  void aMissingRequiredKeyIsNamed() {
    Map<String, String> values = required();
    values.remove("bootstrap.servers");

    assertThatThrownBy(() -> BridgeConfig.of(values))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("bootstrap.servers");
  }

  @Test
  void aBadValueIsNamed() {
    Map<String, String> values = required();
    values.put("uplink.max.in.flight", "70000");

    assertThatThrownBy(() -> BridgeConfig.of(values))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("uplink.max.in.flight");
  }

  @Test
  void aValueOfTheWrongTypeIsNamed() {
    Map<String, String> values = required();
    values.put("http.port", "eighty");

    assertThatThrownBy(() -> BridgeConfig.of(values))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("http.port");
  }

  @Test
  void anUnknownKeyIsRefused() {
    Map<String, String> values = required();
    values.put("uplink.max.in.flite", "10");

    assertThatThrownBy(() -> BridgeConfig.of(values))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("uplink.max.in.flite");
  }

  @Test
  void anOldDashedKeyIsRefused() {
    Map<String, String> values = required();
    values.put("uplink.max-in-flight", "10");

    assertThatThrownBy(() -> BridgeConfig.of(values)).hasMessageContaining("uplink.max-in-flight");
  }

  @Test
  void duplicateBrokerIdsAreRefused() {
    Map<String, String> values = required();
    values.put("mqtt.brokers", "a=h:1,a=h:2");

    assertThatThrownBy(() -> BridgeConfig.of(values))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("mqtt.brokers")
        .hasMessageContaining("unique");
  }

  @Test
  void aMalformedBrokerIsNamed() {
    Map<String, String> values = required();
    values.put("mqtt.brokers", "h:1");

    assertThatThrownBy(() -> BridgeConfig.of(values))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("mqtt.brokers");
  }

  @Test
  void theLargestBackoffIsNotBelowTheFirst() {
    Map<String, String> values = required();
    values.put("backoff.initial.ms", "500");
    values.put("backoff.max.ms", "100");

    assertThatThrownBy(() -> BridgeConfig.of(values))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("backoff.max.ms");
  }

  @Test
  void aUserNameWithoutAPasswordIsRefused() {
    Map<String, String> values = required();
    values.put("mqtt.username", "bridge");

    assertThatThrownBy(() -> BridgeConfig.of(values))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("mqtt.password");
  }

  @Test
  void thePasswordIsMaskedInTheDescription() {
    Map<String, String> values = required();
    values.put("mqtt.username", "bridge");
    values.put("mqtt.password", "s3cret");

    BridgeConfig config = BridgeConfig.of(values);

    assertThat(config.mqttPassword()).isEqualTo("s3cret");
    assertThat(config.describe()).containsEntry("mqtt.password", "[hidden]");
    assertThat(config.describe().toString()).doesNotContain("s3cret");
  }

  @Test
  void environmentVariablesWinOverTheFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("bridge.properties");
    StringBuilder text = new StringBuilder();
    required().forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
    text.append("uplink.max.payload.bytes=100\n");
    Files.writeString(file, text);

    BridgeConfig config =
        BridgeConfig.load(
            Optional.of(file),
            Map.of("IOT_BRIDGE_UPLINK_MAX_PAYLOAD_BYTES", "200", "PATH", "/usr/bin"));

    assertThat(config.maxPayloadBytes()).isEqualTo(200);
  }

  @Test
  void theFileMayBeNamedByTheConfigVariable(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("bridge.properties");
    StringBuilder text = new StringBuilder();
    required().forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
    text.append("bridge.id=from-file\n");
    Files.writeString(file, text);

    BridgeConfig config =
        BridgeConfig.load(Optional.empty(), Map.of("IOT_BRIDGE_CONFIG", file.toString()));

    assertThat(config.bridgeId()).isEqualTo("from-file");
  }

  @Test
  void kafkaSettingsReachTheClients() {
    Map<String, String> env = new HashMap<>();
    required().forEach((k, v) -> env.put(BridgeConfig.environmentRule().variableOf(k), v));
    env.put("IOT_BRIDGE_KAFKA_SECURITY_PROTOCOL", "SSL");
    env.put("IOT_BRIDGE_KAFKA_LINGER_MS", "20");

    BridgeConfig config = BridgeConfig.load(Optional.empty(), env);

    assertThat(config.kafkaClients().overrides())
        .containsEntry("security.protocol", "SSL")
        .containsEntry("linger.ms", "20");
    assertThat(config.describe()).containsEntry("kafka.security.protocol", "SSL");
  }

  @Test
  void anUnknownVariableWithThePrefixIsRefused() {
    assertThatThrownBy(() -> BridgeConfig.load(Optional.empty(), Map.of("IOT_BRIDGE_NOPE", "1")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("IOT_BRIDGE_NOPE");
  }

  @Test
  void theOldBootstrapVariableIsRefusedWithTheNewName() {
    Map<String, String> env = Map.of("IOT_BRIDGE_KAFKA_BOOTSTRAP_SERVERS", "k:9092");

    assertThatThrownBy(() -> BridgeConfig.load(Optional.empty(), env))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("use bootstrap.servers");
  }

  /** A device CA in {@code dir} and the bridge's credentials from it, as PEM files. */
  private static Map<String, String> withTls(Path dir) {
    DevicePki pki = DevicePki.create(dir.resolve("pki"));
    pki.issueService("ingest-bridge.backend")
        .write(dir.resolve("bridge.crt"), dir.resolve("bridge.key"));
    Map<String, String> values = required();
    values.put(BridgeConfig.MQTT_TLS_CA_FILE_CONFIG, pki.caCertificate().toString());
    values.put(BridgeConfig.MQTT_TLS_CERTIFICATE_FILE_CONFIG, dir.resolve("bridge.crt").toString());
    values.put(BridgeConfig.MQTT_TLS_KEY_FILE_CONFIG, dir.resolve("bridge.key").toString());
    return values;
  }

  @Test
  void tlsIsOnByDefaultWithTheJvmsTrustAndNoIdentity() {
    MqttTlsSettings tls = BridgeConfig.of(required()).mqttTls().orElseThrow();

    assertThat(tls.trust()).isEmpty();
    assertThat(tls.identity()).isEmpty();
  }

  @Test
  void tlsWithCaCertificateAndKeyLoads(@TempDir Path dir) {
    MqttTlsSettings tls = BridgeConfig.of(withTls(dir)).mqttTls().orElseThrow();

    assertThat(tls.trust()).isPresent();
    assertThat(tls.identity()).isPresent();
    assertThat(tls.identity().get().getKeyManagers()).isNotEmpty();
  }

  @Test
  void tlsOffLeavesNoSettings() {
    Map<String, String> values = required();
    values.put(BridgeConfig.MQTT_TLS_ENABLED_CONFIG, "false");

    assertThat(BridgeConfig.of(values).mqttTls()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        BridgeConfig.MQTT_TLS_CA_FILE_CONFIG,
        BridgeConfig.MQTT_TLS_CERTIFICATE_FILE_CONFIG,
        BridgeConfig.MQTT_TLS_KEY_FILE_CONFIG
      })
  void aMissingFileIsNamed(String key, @TempDir Path dir) {
    Map<String, String> values = withTls(dir);
    values.put(key, dir.resolve("nowhere.pem").toString());

    assertThatThrownBy(() -> BridgeConfig.of(values))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(key)
        .hasMessageContaining("nowhere.pem");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        BridgeConfig.MQTT_TLS_CA_FILE_CONFIG,
        BridgeConfig.MQTT_TLS_CERTIFICATE_FILE_CONFIG,
        BridgeConfig.MQTT_TLS_KEY_FILE_CONFIG
      })
  void aFileThatIsNotPemIsNamed(String key, @TempDir Path dir) throws Exception {
    Map<String, String> values = withTls(dir);
    Path garbage = Files.writeString(dir.resolve("garbage.pem"), "not a PEM file\n");
    values.put(key, garbage.toString());

    assertThatThrownBy(() -> BridgeConfig.of(values))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(key);
  }

  @Test
  void aKeyWhereTheCertificateShouldBeIsNamed(@TempDir Path dir) {
    Map<String, String> values = withTls(dir);
    values.put(
        BridgeConfig.MQTT_TLS_CERTIFICATE_FILE_CONFIG,
        values.get(BridgeConfig.MQTT_TLS_KEY_FILE_CONFIG));

    assertThatThrownBy(() -> BridgeConfig.of(values))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(BridgeConfig.MQTT_TLS_CERTIFICATE_FILE_CONFIG);
  }

  @Test
  void aCertificateWithoutKeyIsRefused(@TempDir Path dir) {
    Map<String, String> values = withTls(dir);
    values.remove(BridgeConfig.MQTT_TLS_KEY_FILE_CONFIG);

    assertThatThrownBy(() -> BridgeConfig.of(values))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(BridgeConfig.MQTT_TLS_KEY_FILE_CONFIG);
  }

  @Test
  void aKeyWithoutCertificateIsRefused(@TempDir Path dir) {
    Map<String, String> values = withTls(dir);
    values.remove(BridgeConfig.MQTT_TLS_CERTIFICATE_FILE_CONFIG);

    assertThatThrownBy(() -> BridgeConfig.of(values))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(BridgeConfig.MQTT_TLS_CERTIFICATE_FILE_CONFIG);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        BridgeConfig.MQTT_TLS_CA_FILE_CONFIG,
        BridgeConfig.MQTT_TLS_CERTIFICATE_FILE_CONFIG,
        BridgeConfig.MQTT_TLS_KEY_FILE_CONFIG
      })
  void aFileSetWhileTlsIsOffIsNamed(String key, @TempDir Path dir) {
    Map<String, String> values = required();
    values.put(BridgeConfig.MQTT_TLS_ENABLED_CONFIG, "false");
    values.put(key, withTls(dir).get(key));

    assertThatThrownBy(() -> BridgeConfig.of(values))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(key)
        .hasMessageContaining(BridgeConfig.MQTT_TLS_ENABLED_CONFIG);
  }
}
