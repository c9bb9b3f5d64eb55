package org.iotbackbone.schemas.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  static final ConfigDef DEFINITION =
      new ConfigDef()
          .define("bootstrap.servers", Type.LIST, ConfigDef.NO_DEFAULT_VALUE, Importance.HIGH, "b")
          .define("http.port", Type.INT, 8080, Range.between(0, 65535), Importance.LOW, "port")
          .define("mqtt.share-group", Type.STRING, "g", Importance.LOW, "group")
          .define("mqtt.password", Type.PASSWORD, "", Importance.LOW, "secret");

  final ConfigLoader loader = new ConfigLoader(DEFINITION, "IOT_TEST_");

  @TempDir Path dir;

  @Test
  void defaultsUnderFileUnderEnvironmentUnderOverrides() throws Exception {
    Path file = dir.resolve("test.properties");
    Files.writeString(
        file, "bootstrap.servers=file:9092\nhttp.port=1\nmqtt.share-group=from-file\n");
    Map<String, String> env =
        Map.of("IOT_TEST_HTTP_PORT", "2", "IOT_TEST_MQTT_SHARE_GROUP", "from-env", "PATH", "/bin");

    Map<String, Object> settings =
        loader.load(Optional.of(file), env, Map.of("mqtt.share-group", "given"));
    AbstractConfig config = new AbstractConfig(DEFINITION, settings);

    assertThat(config.getList("bootstrap.servers")).containsExactly("file:9092");
    assertThat(config.getInt("http.port")).isEqualTo(2);
    assertThat(config.getString("mqtt.share-group")).isEqualTo("given");
    assertThat(config.getPassword("mqtt.password").value()).isEmpty();
  }

  @Test
  void aMissingRequiredKeyIsNamedWithItsVariable() {
    assertThatThrownBy(() -> loader.load(Optional.empty(), Map.of(), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'bootstrap.servers'")
        .hasMessageContaining("IOT_TEST_BOOTSTRAP_SERVERS");
  }

  @Test
  void theFileComesFromTheArgumentOrTheConfigVariable() {
    Map<String, String> env = Map.of("IOT_TEST_CONFIG", "/etc/from-env.properties");
    assertThat(loader.configFile(Optional.of(Path.of("arg.properties")), env))
        .contains(Path.of("arg.properties"));
    assertThat(loader.configFile(Optional.empty(), env))
        .contains(Path.of("/etc/from-env.properties"));
    assertThat(loader.configFile(Optional.empty(), Map.of())).isEmpty();
  }

  @Test
  void theConfigVariableIsNotASetting() {
    Map<String, Object> settings =
        loader.load(
            Optional.empty(),
            Map.of("IOT_TEST_CONFIG", "x.properties"),
            Map.of("bootstrap.servers", "k:9092"));
    assertThat(settings).containsOnlyKeys("bootstrap.servers");
  }

  @Test
  void kafkaSettingsPassFromFileAndEnvironment() throws Exception {
    Path file = dir.resolve("kafka.properties");
    Files.writeString(
        file,
        "bootstrap.servers=k:9092\nkafka.ssl.truststore.location=/tls/ca.p12\nkafka.linger.ms=5\n");
    Map<String, Object> settings =
        loader.load(
            Optional.of(file),
            Map.of(
                "IOT_TEST_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "IOT_TEST_KAFKA_LINGER_MS", "7"),
            Map.of());

    assertThat(settings)
        .containsEntry("kafka.ssl.truststore.location", "/tls/ca.p12")
        .containsEntry("kafka.security.protocol", "SASL_SSL")
        .containsEntry("kafka.linger.ms", "7");
  }

  @Test
  void anUnknownKeyInTheFileIsNamed() throws Exception {
    Path file = dir.resolve("bad.properties");
    Files.writeString(file, "http.prot=1\n");
    assertThatThrownBy(() -> loader.load(Optional.of(file), Map.of(), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'http.prot'")
        .hasMessageContaining(file.toString());
  }

  @Test
  void anUnknownOverrideIsNamed() {
    assertThatThrownBy(() -> loader.load(Optional.empty(), Map.of(), Map.of("nope", "1")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'nope'");
  }

  @Test
  void anUnknownVariableUnderThePrefixIsNamed() {
    assertThatThrownBy(
            () -> loader.load(Optional.empty(), Map.of("IOT_TEST_HTTP_PROT", "1"), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("IOT_TEST_HTTP_PROT");
  }

  @Test
  void aReservedKafkaKeyIsRefused() {
    assertThatThrownBy(
            () ->
                loader.load(
                    Optional.empty(), Map.of("IOT_TEST_KAFKA_BOOTSTRAP_SERVERS", "k:9"), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("kafka.bootstrap.servers")
        .hasMessageContaining("use bootstrap.servers");
    assertThatThrownBy(() -> loader.load(Optional.empty(), Map.of(), Map.of("kafka.group.id", "g")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("kafka.group.id");
  }

  @Test
  void anUnreadableFileFails() {
    assertThatThrownBy(() -> loader.load(Optional.of(dir.resolve("missing")), Map.of(), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("missing");
  }

  @Test
  void aBadTypeOrAValidatorFailureNamesTheKey() {
    Map<String, Object> badType =
        loader.load(
            Optional.empty(),
            Map.of("IOT_TEST_BOOTSTRAP_SERVERS", "k:9", "IOT_TEST_HTTP_PORT", "eighty"),
            Map.of());
    assertThatThrownBy(() -> new AbstractConfig(DEFINITION, badType))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("http.port");
    Map<String, Object> outOfRange =
        loader.load(
            Optional.empty(),
            Map.of("IOT_TEST_BOOTSTRAP_SERVERS", "k:9", "IOT_TEST_HTTP_PORT", "70000"),
            Map.of());
    assertThatThrownBy(() -> new AbstractConfig(DEFINITION, outOfRange))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("http.port");
  }
}
