package org.iotbackbone.streamsapp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/** The Kafka Streams settings the app picks for speed, and the operator's kafka.* over them. */
class StreamsAppSpeedDefaultsTest {

  /** The settings without which the app does not start; shared with the failover test. */
  static final Map<String, String> REQUIRED =
      Map.of(
          "IOT_STREAMS_BOOTSTRAP_SERVERS", "k1:9092",
          "IOT_STREAMS_SCHEMA_REGISTRY_URL", "http://registry:8080/apis/registry/v3",
          "IOT_STREAMS_HTTP_AUTH_ENABLED", "false");

  @Test
  void restoresFetchBigBatchesAndTasksStillLineUpTheirInputsByTimestamp() {
    Map<String, Object> props =
        StreamsAppConfig.load(null, REQUIRED).kafkaClients().config(StreamsApp.speedDefaults());

    assertThat(props)
        .containsEntry(StreamsConfig.restoreConsumerPrefix("max.poll.records"), 10_000);
    // Kafka's 0 stays: -1 would be faster but could apply a command's event before the command.
    assertThat(props).doesNotContainKey(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG);
  }

  @Test
  void anOperatorMayTradeTheOrderAcrossTopicsForSpeed() {
    Map<String, String> env = new HashMap<>(REQUIRED);
    env.put("IOT_STREAMS_KAFKA_MAX_TASK_IDLE_MS", "-1");

    Map<String, Object> props =
        StreamsAppConfig.load(null, env).kafkaClients().config(StreamsApp.speedDefaults());

    assertThat(props).containsEntry(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, "-1");
  }
}
