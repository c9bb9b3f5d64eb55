package org.iotbackbone.servers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.iotbackbone.servers.junit.SharedServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The shared broker: round trips, topics only from the definition, and a view that cannot stop it.
 *
 * <p>A stop and a start at the same address, records kept, is what ingest-bridge's {@code
 * KafkaOutageIT} does with a broker of its own, the bridge resuming after it: a second test of it
 * here cost two broker starts (3-4 minutes of a 20-minute build on this machine).
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class KafkaBrokerIT {

  @Test
  void roundTripsRecordsThroughAConsumerGroup() throws Exception {
    KafkaBroker kafka = SharedServers.kafka();
    createTopic(kafka, "smoke.roundtrip", 3);
    produce(kafka, "smoke.roundtrip", Map.of("device-1", "a", "device-2", "b", "device-3", "c"));

    assertThat(consumeAll(kafka, "smoke.roundtrip", "smoke-group", 3))
        .extracting(ConsumerRecord::key, ConsumerRecord::value)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("device-1", "a"),
            org.assertj.core.groups.Tuple.tuple("device-2", "b"),
            org.assertj.core.groups.Tuple.tuple("device-3", "c"));
  }

  @Test
  void rejectsUnknownTopicsBecauseTopicsComeFromTheDefinition() throws Exception {
    KafkaBroker kafka = SharedServers.kafka();
    try (Admin admin = admin(kafka)) {
      assertThat(admin.listTopics().names().get()).doesNotContain("never.created");
    }
    assertThat(kafka.serverProperties()).containsEntry("auto.create.topics.enable", "false");
  }

  @Test
  void refusesToStopTheSharedBrokerThatOtherTestsUse() {
    KafkaBroker kafka = SharedServers.kafka();

    assertThatThrownBy(kafka::stop)
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("start a server of your own");
    assertThatThrownBy(kafka::kill).isInstanceOf(UnsupportedOperationException.class);
    assertThat(kafka.isRunning()).isTrue();
  }

  private static void createTopic(KafkaBroker kafka, String name, int partitions) throws Exception {
    try (Admin admin = admin(kafka)) {
      admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
    }
  }

  private static Admin admin(KafkaBroker kafka) {
    return Admin.create(
        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
  }

  private static void produce(KafkaBroker kafka, String topic, Map<String, String> records)
      throws Exception {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
      for (Map.Entry<String, String> record : records.entrySet()) {
        producer.send(new ProducerRecord<>(topic, record.getKey(), record.getValue())).get();
      }
    }
  }

  private static List<ConsumerRecord<String, String>> consumeAll(
      KafkaBroker kafka, String topic, String group, int expected) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<ConsumerRecord<String, String>> received = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (received.size() < expected && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(received::add);
      }
    }
    return received;
  }
}
