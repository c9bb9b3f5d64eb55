package org.iotbackbone.ingestbridge.internal.mqtt;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.iotbackbone.ingestbridge.internal.ops.BridgeMetrics;
import org.junit.jupiter.api.Test;

/** Mosquitto's {@code $SYS} messages as the bridge's {@code mqtt_broker_*} metrics. */
class BrokerStatsTest {

  private final BridgeMetrics metrics = new BridgeMetrics();
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final BrokerStats stats = new BrokerStats("edge-1", metrics, now::get);

  private void sys(String topic, String payload) {
    stats.accept(topic, payload.getBytes(UTF_8));
  }

  private String scrape() {
    return metrics.scrape();
  }

  @Test
  void nothingBeforeTheFirstSysMessage() {
    assertThat(scrape()).doesNotContain("mqtt_broker_");
    assertThat(stats.ageSeconds()).isNaN();
  }

  @Test
  void theContractsGaugesAndCountersCarryTheBroker() {
    sys("$SYS/broker/clients/connected", "42");
    sys("$SYS/broker/clients/maximum", "57");
    sys("$SYS/broker/load/connections/1min", "12.5");
    sys("$SYS/broker/messages/received", "1000");
    sys("$SYS/broker/messages/sent", "2000");

    assertThat(scrape())
        .contains(
            "mqtt_broker_clients_connected{broker=\"edge-1\"} 42.0",
            "mqtt_broker_clients_maximum{broker=\"edge-1\"} 57.0",
            "mqtt_broker_connections_per_minute{broker=\"edge-1\"} 12.5",
            "mqtt_broker_messages_received_total{broker=\"edge-1\"} 1000.0",
            "mqtt_broker_messages_sent_total{broker=\"edge-1\"} 2000.0",
            "mqtt_broker_sys_age_seconds{broker=\"edge-1\"} 0.0");

    sys("$SYS/broker/clients/connected", "40");
    assertThat(scrape()).contains("mqtt_broker_clients_connected{broker=\"edge-1\"} 40.0");
  }

  @Test
  void theAgeCountsFromTheLastMessageOfTheTree() {
    sys("$SYS/broker/uptime", "12 seconds");
    now.addAndGet(7_500_000_000L);
    assertThat(stats.ageSeconds()).isEqualTo(7.5);
    sys("$SYS/broker/bytes/received", "100");
    assertThat(stats.ageSeconds()).isZero();
    // A topic of the tree the bridge does not keep is a sign of life, not a metric.
    assertThat(scrape().lines().filter(line -> line.startsWith("mqtt_broker_")))
        .containsExactly("mqtt_broker_sys_age_seconds{broker=\"edge-1\"} 0.0");
  }

  @Test
  void aValueThatIsNotANumberIsIgnored() {
    sys("$SYS/broker/clients/connected", "many");
    sys("$SYS/broker/messages/sent", "");

    assertThat(stats.value(BrokerStats.Stat.CLIENTS_CONNECTED)).isNull();
    assertThat(scrape())
        .doesNotContain("mqtt_broker_clients_connected", "mqtt_broker_messages_sent")
        .contains("mqtt_broker_sys_age_seconds");

    sys("$SYS/broker/clients/connected", " 3\n");
    assertThat(stats.value(BrokerStats.Stat.CLIENTS_CONNECTED)).isEqualTo(3.0);
  }

  @Test
  void onlyTheSysTreeIsTheBrokers() {
    assertThat(BrokerStats.isSys("$SYS/broker/clients/connected")).isTrue();
    assertThat(BrokerStats.isSys("devices/d1/events/t")).isFalse();
    assertThat(BrokerStats.isSys("devices/$SYS/events")).isFalse();
  }

  @Test
  void twoBrokersKeepTheirOwnValues() {
    BrokerStats other = new BrokerStats("edge-2", metrics, now::get);
    sys("$SYS/broker/clients/connected", "1");
    other.accept("$SYS/broker/clients/connected", "2".getBytes(UTF_8));

    assertThat(scrape())
        .contains(
            "mqtt_broker_clients_connected{broker=\"edge-1\"} 1.0",
            "mqtt_broker_clients_connected{broker=\"edge-2\"} 2.0");
  }
}
