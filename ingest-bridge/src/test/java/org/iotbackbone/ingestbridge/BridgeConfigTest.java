package org.iotbackbone.ingestbridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BridgeConfigTest {

  private static Map<String, String> required() {
    Map<String, String> values = new HashMap<>();
    values.put("mqtt.brokers", "a=127.0.0.1:1883,b=tcp://127.0.0.1:1884");
    values.put("kafka.bootstrap-servers", "127.0.0.1:9092");
    values.put("schema-registry.url", "http://127.0.0.1:8080/apis/registry/v3");
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
    assertThat(config.describe().keySet())
        .containsExactlyElementsOf(BridgeConfig.KEYS.stream().map(BridgeConfig.Key::name).toList());
  }

  @Test
  void aMissingRequiredKeyIsNamed() {
    Map<String, String> values = required();
    values.remove("kafka.bootstrap-servers");

    assertThatThrownBy(() -> BridgeConfig.of(values))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("kafka.bootstrap-servers: required");
  }

  @Test
  void aBadValueIsNamed() {
    Map<String, String> values = required();
    values.put("uplink.max-in-flight", "70000");

    assertThatThrownBy(() -> BridgeConfig.of(values))
        .isInstanceOf(ConfigException.class)
        .extracting(e -> ((ConfigException) e).key())
        .isEqualTo("uplink.max-in-flight");
  }

  @Test
  void anUnknownKeyIsRefused() {
    Map<String, String> values = required();
    values.put("uplink.max-in-flite", "10");

    assertThatThrownBy(() -> BridgeConfig.of(values)).hasMessageContaining("uplink.max-in-flite");
  }

  @Test
  void duplicateBrokerIdsAreRefused() {
    Map<String, String> values = required();
    values.put("mqtt.brokers", "a=h:1,a=h:2");

    assertThatThrownBy(() -> BridgeConfig.of(values)).hasMessageStartingWith("mqtt.brokers:");
  }

  @Test
  void environmentVariablesWinOverTheFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("bridge.properties");
    StringBuilder text = new StringBuilder();
    required().forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
    text.append("uplink.max-payload-bytes=100\n");
    Files.writeString(file, text);

    BridgeConfig config =
        BridgeConfig.load(
            Optional.of(file),
            Map.of("IOT_BRIDGE_UPLINK_MAX_PAYLOAD_BYTES", "200", "PATH", "/usr/bin"));

    assertThat(config.maxPayloadBytes()).isEqualTo(200);
  }

  @Test
  void anUnknownVariableWithThePrefixIsRefused() {
    assertThatThrownBy(() -> BridgeConfig.load(Optional.empty(), Map.of("IOT_BRIDGE_NOPE", "1")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("IOT_BRIDGE_NOPE");
  }
}
