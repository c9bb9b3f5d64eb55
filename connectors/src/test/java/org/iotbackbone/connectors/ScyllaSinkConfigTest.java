package org.iotbackbone.connectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ScyllaSinkConfigTest {

  static Map<String, String> valid() {
    Map<String, String> props = new HashMap<>();
    props.put(ScyllaSinkConfig.CONTACT_POINTS, "scylla-0.scylla:9042,scylla-1.scylla:9042");
    props.put(ScyllaSinkConfig.LOCAL_DATACENTER, "dc1");
    props.put(ScyllaSinkConfig.REGISTRY_URL, "http://registry:8080/apis/registry/v3");
    props.put("topics", "iot.shadow.state,iot.device.events");
    return props;
  }

  @Test
  void defaultsAreTheProductionOnes() {
    ScyllaSinkConfig config = new ScyllaSinkConfig(valid());
    assertThat(config.contactPoints())
        .containsExactly("scylla-0.scylla:9042", "scylla-1.scylla:9042");
    assertThat(config.keyspace()).isEqualTo("iot");
    assertThat(config.consistency()).isEqualTo("LOCAL_QUORUM");
    assertThat(config.shadowsTopic()).isEqualTo("iot.shadow.state");
    assertThat(config.eventsTopic()).isEqualTo("iot.device.events");
    assertThat(config.shadowsTable()).isEqualTo("shadows");
    assertThat(config.eventsTable()).isEqualTo("device_events");
    assertThat(config.eventsIdsTable()).isEqualTo("device_event_ids");
    assertThat(config.schemaCreate()).isFalse();
    assertThat(config.shadowsCoalesce()).isTrue();
    assertThat(config.eventsTtlSeconds()).isEqualTo(30 * 24 * 3600);
    assertThat(config.credentials()).isEmpty();
    assertThat(config.schemaReplication())
        .isEqualTo("{'class': 'NetworkTopologyStrategy', 'dc1': 3}");
  }

  @Test
  void credentialsTogether() {
    Map<String, String> props = valid();
    props.put(ScyllaSinkConfig.USERNAME, "sink");
    props.put(ScyllaSinkConfig.PASSWORD, "secret");
    assertThat(new ScyllaSinkConfig(props).credentials()).hasValue(Map.entry("sink", "secret"));
  }

  static Stream<Arguments> badSettings() {
    return Stream.of(
        Arguments.of(ScyllaSinkConfig.CONTACT_POINTS, null),
        Arguments.of(ScyllaSinkConfig.CONTACT_POINTS, ""),
        Arguments.of(ScyllaSinkConfig.CONTACT_POINTS, "scylla"),
        Arguments.of(ScyllaSinkConfig.CONTACT_POINTS, "scylla:port"),
        Arguments.of(ScyllaSinkConfig.CONTACT_POINTS, "scylla:70000"),
        Arguments.of(ScyllaSinkConfig.LOCAL_DATACENTER, null),
        Arguments.of(ScyllaSinkConfig.LOCAL_DATACENTER, ""),
        Arguments.of(ScyllaSinkConfig.KEYSPACE, "iot-prod"),
        Arguments.of(ScyllaSinkConfig.KEYSPACE, "1iot"),
        Arguments.of(ScyllaSinkConfig.CONSISTENCY, "MOST"),
        Arguments.of(ScyllaSinkConfig.USERNAME, "sink"),
        Arguments.of(ScyllaSinkConfig.PASSWORD, "secret"),
        Arguments.of(ScyllaSinkConfig.TLS_ENABLED, "maybe"),
        Arguments.of(ScyllaSinkConfig.TLS_TRUSTSTORE_PATH, "/etc/hosts"),
        Arguments.of(ScyllaSinkConfig.REQUEST_TIMEOUT_MS, "10"),
        Arguments.of(ScyllaSinkConfig.SCHEMA_REPLICATION, "3"),
        Arguments.of(ScyllaSinkConfig.REGISTRY_URL, null),
        Arguments.of(ScyllaSinkConfig.REGISTRY_URL, "registry:8080"),
        Arguments.of(ScyllaSinkConfig.SHADOWS_TOPIC, ""),
        Arguments.of(ScyllaSinkConfig.SHADOWS_TABLE, "shadows;drop"),
        Arguments.of(ScyllaSinkConfig.SHADOWS_COALESCE, "sometimes"),
        Arguments.of(ScyllaSinkConfig.SHADOWS_TIMESTAMP_BASE, "-1"),
        Arguments.of(ScyllaSinkConfig.EVENTS_TOPIC, "iot.shadow.state"),
        Arguments.of(ScyllaSinkConfig.EVENTS_TABLE, "shadows"),
        Arguments.of(ScyllaSinkConfig.EVENTS_TTL_SECONDS, "-1"),
        Arguments.of(ScyllaSinkConfig.EVENTS_BATCH_MAX_ROWS, "0"),
        Arguments.of(ScyllaSinkConfig.MAX_CONCURRENT_WRITES, "0"),
        Arguments.of(ScyllaSinkConfig.RETRY_BACKOFF_INITIAL_MS, "0"),
        Arguments.of(ScyllaSinkConfig.RETRY_BACKOFF_MAX_MS, "100"),
        Arguments.of("topics", "iot.shadow.state,iot.commands"),
        Arguments.of("topics.regex", "iot\\..*"));
  }

  @ParameterizedTest(name = "{0}={1}")
  @MethodSource("badSettings")
  void aBadSettingFailsNamingTheKey(String key, String value) {
    Map<String, String> props = valid();
    if (value == null) {
      props.remove(key);
    } else {
      props.put(key, value);
    }
    assertThatThrownBy(() -> new ScyllaSinkConfig(props))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(key);
  }

  @Test
  void aTruststoreWithTlsMustBeReadable() {
    Map<String, String> props = valid();
    props.put(ScyllaSinkConfig.TLS_ENABLED, "true");
    props.put(ScyllaSinkConfig.TLS_TRUSTSTORE_PATH, "/nonexistent/truststore.p12");
    assertThatThrownBy(() -> new ScyllaSinkConfig(props))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(ScyllaSinkConfig.TLS_TRUSTSTORE_PATH)
        .hasMessageContaining("no readable file");
  }

  @Test
  void theConnectorRefusesABadSettingAtStart() {
    Map<String, String> props = valid();
    props.put(ScyllaSinkConfig.CONSISTENCY, "MOST");
    assertThatThrownBy(() -> new ScyllaSinkConnector().start(props))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(ScyllaSinkConfig.CONSISTENCY);
  }
}
