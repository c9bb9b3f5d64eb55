package org.iotbackbone.schemas.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class EnvironmentRuleTest {

  final EnvironmentRule rule = new EnvironmentRule("IOT_X_");

  @Test
  void aKeyIsUpperCaseWithUnderscores() {
    assertThat(rule.variableOf("mqtt.session-expiry.seconds"))
        .isEqualTo("IOT_X_MQTT_SESSION_EXPIRY_SECONDS");
    assertThat(rule.configFileVariable()).isEqualTo("IOT_X_CONFIG");
  }

  @Test
  void declaredKeysWinOverThePassThroughAndOthersAreIgnored() {
    ConfigDef definition = new ConfigDef().define("http.port", Type.INT, 1, Importance.LOW, "port");
    Map<String, String> settings =
        rule.settings(
            definition,
            Map.of(
                "IOT_X_HTTP_PORT", "2",
                "IOT_X_KAFKA_SASL_JAAS_CONFIG", "jaas",
                "IOT_Y_HTTP_PORT", "3",
                "HOME", "/root"));
    assertThat(settings)
        .containsOnly(Map.entry("http.port", "2"), Map.entry("kafka.sasl.jaas.config", "jaas"));
  }

  @Test
  void aBareKafkaVariableIsUnknown() {
    assertThatThrownBy(() -> rule.settings(new ConfigDef(), Map.of("IOT_X_KAFKA_", "1")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("IOT_X_KAFKA_");
  }

  @Test
  void aPrefixIsUpperCaseAndEndsWithUnderscore() {
    assertThatThrownBy(() -> new EnvironmentRule("iot_"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new EnvironmentRule("IOT"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aKafkaSettingsVariableIsReadBackAsThatSetting() {
    EnvironmentRule rule = new EnvironmentRule("IOT_X_");
    assertThat(rule.kafkaVariableOf("sasl.jaas.config")).isEqualTo("IOT_X_KAFKA_SASL_JAAS_CONFIG");
    assertThat(
            rule.settings(
                new ConfigDef(), Map.of(rule.kafkaVariableOf("security.protocol"), "SASL_SSL")))
        .containsExactly(Map.entry("kafka.security.protocol", "SASL_SSL"));
  }
}
