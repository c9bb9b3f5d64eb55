package org.iotbackbone.ingestbridge.internal.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.iotbackbone.schemas.config.KafkaClientSettings;
import org.junit.jupiter.api.Test;

class ProducerConfigTest {

  @Test
  void lingerIsFiveMillisecondsUnlessTheOperatorSaysOtherwise() {
    Map<String, Object> plain =
        KafkaSender.producerConfig(KafkaClientSettings.of("k:9092", Map.of()));
    Map<String, Object> tuned =
        KafkaSender.producerConfig(
            KafkaClientSettings.of(
                "k:9092", Map.of("kafka.linger.ms", "20", "kafka.security.protocol", "SSL")));

    assertThat(plain)
        .containsEntry(ProducerConfig.LINGER_MS_CONFIG, 5)
        .containsEntry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "k:9092")
        .containsEntry(ProducerConfig.ACKS_CONFIG, "all");
    assertThat(tuned)
        .containsEntry(ProducerConfig.LINGER_MS_CONFIG, "20")
        .containsEntry("security.protocol", "SSL")
        .containsEntry(ProducerConfig.ACKS_CONFIG, "all");
  }
}
