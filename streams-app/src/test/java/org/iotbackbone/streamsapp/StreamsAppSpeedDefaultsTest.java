package org.iotbackbone.streamsapp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/** The Kafka Streams settings the app picks for speed, and the operator's kafka.* over them. */
class StreamsAppSpeedDefaultsTest {

  private static final Map<String, String> REQUIRED =
      Map.of(
          "IOT_STREAMS_BOOTSTRAP_SERVERS", "k1:9092",
          "IOT_STREAMS_SCHEMA_REGISTRY_URL", "http://registry:8080/apis/registry/v3",
          "IOT_STREAMS_HTTP_AUTH_ENABLED", "false");

  @Test
  void tasksDoNotWaitForTheirIdleTopicsAndRestoresFetchBigBatches() {
    Map<String, Object> props =
        StreamsAppConfig.load(null, REQUIRED).kafkaClients().config(StreamsApp.speedDefaults());

    // -1, not Kafka's 0: with 0 every record of the shadow task pays for String.format of each
    // idle input partition's lag (PartitionGroup.readyToProcess, 12% of the stream thread).
    assertThat(props)
        .containsEntry(
            StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, StreamsConfig.MAX_TASK_IDLE_MS_DISABLED)
        .containsEntry(StreamsConfig.restoreConsumerPrefix("max.poll.records"), 10_000);
    // What Kafka Streams makes of them: valid settings, the values given.
    StreamsConfig streams =
        new StreamsConfig(
            Map.of(
                StreamsConfig.APPLICATION_ID_CONFIG,
                "speed",
                StreamsConfig.BOOTSTRAP_SERVERS_CONFIG,
                "k1:9092",
                StreamsConfig.MAX_TASK_IDLE_MS_CONFIG,
                props.get(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG)));
    assertThat(streams.getLong(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG)).isEqualTo(-1L);
  }

  @Test
  void anOperatorsKafkaSettingWinsOverTheAppsDefault() {
    Map<String, String> env = new HashMap<>(REQUIRED);
    env.put("IOT_STREAMS_KAFKA_MAX_TASK_IDLE_MS", "0");

    Map<String, Object> props =
        StreamsAppConfig.load(null, env).kafkaClients().config(StreamsApp.speedDefaults());

    assertThat(props).containsEntry(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, "0");
  }
}
