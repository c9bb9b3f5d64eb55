package org.iotbackbone.schemas.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class KafkaClientSettingsTest {

  @Test
  void theOperatorsSettingsWinOverTheServicesDefaults() {
    KafkaClientSettings kafka =
        KafkaClientSettings.of(
            "k1:9092,k2:9092",
            Map.of(
                "kafka.linger.ms", "20",
                "kafka.security.protocol", "SSL",
                "http.port", "8080"));

    Map<String, Object> config =
        kafka.config(Map.of("linger.ms", 2, "acks", "all", "bootstrap.servers", "stale:1"));

    assertThat(config)
        .containsEntry("bootstrap.servers", "k1:9092,k2:9092")
        .containsEntry("linger.ms", "20")
        .containsEntry("acks", "all")
        .containsEntry("security.protocol", "SSL")
        .doesNotContainKey("http.port")
        .doesNotContainKey("port");
    assertThat(kafka.overrides()).containsOnlyKeys("linger.ms", "security.protocol");
  }

  @Test
  void describingMasksWhatMayBeASecret() {
    KafkaClientSettings kafka =
        KafkaClientSettings.of(
            "k:1",
            Map.of(
                "kafka.sasl.jaas.config", "user=\"u\" password=\"p\";",
                "kafka.ssl.truststore.password", "p",
                "kafka.security.protocol", "SASL_SSL"));
    assertThat(kafka.describe())
        .containsEntry("kafka.sasl.jaas.config", "[hidden]")
        .containsEntry("kafka.ssl.truststore.password", "[hidden]")
        .containsEntry("kafka.security.protocol", "SASL_SSL");
  }

  @Test
  void reservedOrEmptyKeysAreRefusedByName() {
    assertThatThrownBy(() -> KafkaClientSettings.of("k:1", Map.of("kafka.group.id", "g")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("kafka.group.id");
    assertThatThrownBy(() -> KafkaClientSettings.of("k:1", Map.of("kafka.", "x")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'kafka.'");
  }
}
