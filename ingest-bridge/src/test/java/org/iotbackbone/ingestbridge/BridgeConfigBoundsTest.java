package org.iotbackbone.ingestbridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The keys of issue 16's bounds: defaults, ranges, and how they relate. */
class BridgeConfigBoundsTest {

  private static Map<String, String> required() {
    Map<String, String> values = new HashMap<>();
    values.put("bootstrap.servers", "127.0.0.1:9092");
    values.put("schema.registry.url", "http://127.0.0.1:8081/apis/registry/v3");
    values.put("mqtt.brokers", "a=127.0.0.1:1883");
    return values;
  }

  @Test
  void defaultsAreSane() {
    BridgeConfig config = BridgeConfig.of(required());

    assertThat(config.maxUserProperties()).isEqualTo(32);
    assertThat(config.maxRecordBytes())
        .isEqualTo(256 * 1024)
        .isGreaterThan(config.maxPayloadBytes());
    // Under Kafka's default max.request.size and max.message.bytes (1 MiB).
    assertThat(config.maxRecordBytes()).isLessThan(1024 * 1024);
    assertThat(config.stallTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(config.presenceMaxDevices()).isEqualTo(1_000_000);
    assertThat(config.presenceRetention()).isEqualTo(Duration.ofDays(7));
    assertThat(config.jobsRequestsPerSecond()).isEqualTo(5.0);
    assertThat(config.jobsRequestsBurst()).isEqualTo(10);
  }

  @Test
  void theJobsThrottleTakesAFractionalRate() {
    Map<String, String> values = required();
    values.put("uplink.jobs.requests.per.second", "0.5");
    values.put("uplink.jobs.requests.burst", "1");

    BridgeConfig config = BridgeConfig.of(values);

    assertThat(config.jobsRequestsPerSecond()).isEqualTo(0.5);
    assertThat(config.jobsRequestsBurst()).isEqualTo(1);
  }

  @ParameterizedTest
  @CsvSource({
    "uplink.max.user.properties, -1",
    "uplink.max.record.bytes, 100",
    "uplink.max.record.bytes, 2000000",
    "ready.stall.timeout.ms, 10",
    "downlink.presence.max.devices, 0",
    "downlink.presence.retention.ms, -1",
    "uplink.jobs.requests.per.second, 0",
    "uplink.jobs.requests.per.second, -1",
    "uplink.jobs.requests.per.second, 20000",
    "uplink.jobs.requests.per.second, fast",
    "uplink.jobs.requests.burst, 0",
    "uplink.jobs.requests.burst, 1.5"
  })
  void aValueOutOfRangeIsNamed(String key, String value) {
    Map<String, String> values = required();
    values.put(key, value);

    assertThatThrownBy(() -> BridgeConfig.of(values))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(key);
  }

  @Test
  void aRecordBoundBelowThePayloadBoundIsRefused() {
    Map<String, String> values = required();
    values.put("uplink.max.payload.bytes", "200000");
    values.put("uplink.max.record.bytes", "150000");

    assertThatThrownBy(() -> BridgeConfig.of(values))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("uplink.max.record.bytes")
        .hasMessageContaining("uplink.max.payload.bytes");
  }
}
