package org.iotbackbone.streamsapp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/** How soon a silent member's partitions move, as the stream threads' consumers get it. */
class StreamsAppFailoverDefaultsTest {

  private static final Map<String, String> REQUIRED = StreamsAppSpeedDefaultsTest.REQUIRED;

  @Test
  void aFailedThreadsPartitionsMoveAfterTenSecondsNotKafkasFortyFive() {
    assertThat(mainConsumerSessionTimeout(REQUIRED)).isEqualTo(10_000);
  }

  @Test
  void anOperatorsSessionTimeoutWins() {
    Map<String, String> env = new HashMap<>(REQUIRED);
    env.put("IOT_STREAMS_KAFKA_SESSION_TIMEOUT_MS", "30000");

    assertThat(mainConsumerSessionTimeout(env)).isEqualTo(30_000);
  }

  private static int mainConsumerSessionTimeout(Map<String, String> env) {
    Map<String, Object> props =
        new HashMap<>(
            StreamsAppConfig.load(null, env).kafkaClients().config(StreamsApp.failoverDefaults()));
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "failover-test");
    Map<String, Object> consumer =
        new StreamsConfig(props).getMainConsumerConfigs("failover-test", "client", 0);
    return Integer.parseInt(String.valueOf(consumer.get(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG)));
  }
}
