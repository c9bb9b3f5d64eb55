package org.iotbackbone.ingestbridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.iotbackbone.ingestbridge.IngestBridge;
import org.iotbackbone.schemas.DeadLetterReason;
import org.iotbackbone.schemas.topics.Topics;
import org.iotbackbone.servers.KafkaBroker;
import org.iotbackbone.servers.MqttBroker;
import org.iotbackbone.servers.MqttBrokerKind;
import org.iotbackbone.servers.junit.SharedServers;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What {@code /metrics} shows besides the bridge's own counters, against real brokers over the
 * back-end listener with the back end's certificate: the JVM, the Kafka clients (the downlink
 * consumer's lag among them), and each Mosquitto's {@code $SYS} statistics; none of those for a
 * HiveMQ, which has no {@code $SYS}, and the bridge works all the same.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class BridgeMetricsIT {

  private static final String BROKER_ID = "edge";

  @ParameterizedTest
  @EnumSource(MqttBrokerKind.class)
  void theJvmTheKafkaClientsAndTheBrokersStatistics(MqttBrokerKind kind) throws Exception {
    MqttBroker broker = SecureEdge.shared(kind);
    KafkaBroker kafka = SharedServers.kafka();
    TestBed.createTopics(kafka.bootstrapServers());
    Map<String, String> settings =
        TestBed.settings(
            kafka.bootstrapServers(),
            SharedServers.schemaRegistry().apicurioApiUrl(),
            List.of(TestBed.endpoint(BROKER_ID, broker)));

    try (IngestBridge bridge = TestBed.startBridge(settings)) {
      String id = TestBed.unique("metered");
      Mqtt5AsyncClient device = TestBed.device(broker, id);
      TestBed.publish(device, "devices/" + id + "/events/t", "{\"c\":1}");
      await()
          .atMost(Duration.ofMinutes(1))
          .until(
              () ->
                  bridge.counter("bridge.uplink.messages", "topic", Topics.DEVICE_EVENTS.name())
                      >= 1);

      String scrape = metrics(bridge);
      assertThat(scrape)
          .contains(
              "jvm_memory_used_bytes{",
              "jvm_threads_live_threads ",
              "process_cpu_usage ",
              "process_uptime_seconds ",
              "kafka_producer_record_send_total{",
              "kafka_consumer_fetch_manager_records_lag_max{");

      if (kind == MqttBrokerKind.MOSQUITTO) {
        // Mosquitto publishes $SYS every 10 s (sys_interval), retained.
        await()
            .atMost(Duration.ofMinutes(1))
            .untilAsserted(
                () -> {
                  String now = metrics(bridge);
                  // The bridge's own connection and the device's, at least.
                  assertThat(value(now, "mqtt_broker_clients_connected"))
                      .hasValueSatisfying(
                          connected -> assertThat(connected).isGreaterThanOrEqualTo(2));
                  assertThat(value(now, "mqtt_broker_clients_maximum")).isPresent();
                  assertThat(value(now, "mqtt_broker_connections_per_minute")).isPresent();
                  assertThat(value(now, "mqtt_broker_messages_received_total")).isPresent();
                  assertThat(value(now, "mqtt_broker_messages_sent_total")).isPresent();
                  assertThat(value(now, "mqtt_broker_sys_age_seconds"))
                      .hasValueSatisfying(age -> assertThat(age).isBetween(0.0, 30.0));
                });
      } else {
        // A broker that never sends $SYS: no such metrics, and the bridge goes on.
        await()
            .during(Duration.ofSeconds(15))
            .atMost(Duration.ofSeconds(30))
            .until(() -> !metrics(bridge).contains("mqtt_broker_") && bridge.isReady());
      }
      // The broker's own messages reach neither Kafka nor the dead letters.
      assertThat(
              bridge.counter("bridge.deadletters", "reason", DeadLetterReason.INVALID_TOPIC.name()))
          .isZero();
      device.disconnect().get(10, TimeUnit.SECONDS);
    }
  }

  private static String metrics(IngestBridge bridge) throws Exception {
    var response = TestBed.get(bridge, "/metrics");
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }

  /** The value of the series {@code name{broker="edge"}} in a scrape, if it is there. */
  private static Optional<Double> value(String scrape, String name) {
    Matcher m =
        Pattern.compile(
                "^" + Pattern.quote(name + "{broker=\"" + BROKER_ID + "\"}") + " (\\S+)$",
                Pattern.MULTILINE)
            .matcher(scrape);
    return m.find() ? Optional.of(Double.parseDouble(m.group(1))) : Optional.empty();
  }
}
