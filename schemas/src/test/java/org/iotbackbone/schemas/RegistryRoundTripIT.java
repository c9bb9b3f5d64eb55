package org.iotbackbone.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.iotbackbone.schemas.registry.ConfluentRegistryClient;
import org.iotbackbone.schemas.serde.RegistryConfig;
import org.iotbackbone.schemas.serde.RegistrySerdes;
import org.iotbackbone.schemas.topics.TopicDefinition;
import org.iotbackbone.schemas.topics.TopicSetup;
import org.iotbackbone.schemas.topics.Topics;
import org.iotbackbone.servers.KafkaBroker;
import org.iotbackbone.servers.SchemaRegistry;
import org.iotbackbone.servers.junit.SharedServers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What an analyst's Confluent client does with our records: read the value from Kafka as bytes,
 * take the schema id from the Confluent frame, fetch the writer's schema by that id from the
 * registry's Confluent-compatible API, and decode the rest with plain Avro.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class RegistryRoundTripIT {

  /** Fewer than in production: each partition costs time on the test broker. */
  private static final int TEST_PARTITIONS = 4;

  private static KafkaBroker kafka;
  private static SchemaRegistry registry;

  @BeforeAll
  static void createTopics() throws Exception {
    kafka = SharedServers.kafka();
    registry = SharedServers.schemaRegistry();
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
      // The build's shared broker may have them already, from another module's tests.
      TopicSetup.createMissing(admin, Topics.all(TEST_PARTITIONS), (short) 1);
    }
  }

  static Stream<TopicDefinition<?>> topics() {
    return Topics.all().stream();
  }

  @ParameterizedTest
  @MethodSource("topics")
  <V extends SpecificRecord> void aConfluentClientReadsWhatOurSerdeWrote(TopicDefinition<V> topic)
      throws Exception {
    @SuppressWarnings("unchecked")
    V sent = (V) SampleRecords.of(topic);
    RegistryConfig config = RegistryConfig.of(registry.apicurioApiUrl());

    try (Serde<V> serde = RegistrySerdes.valueSerde(topic, config)) {
      RecordMetadata written = produce(topic, serde, sent);
      byte[] value = readValue(written);

      // The Confluent frame: magic byte 0, then the schema id, big-endian.
      assertThat(value[0]).isZero();
      int schemaId = ByteBuffer.wrap(value, 1, 4).getInt();

      ConfluentRegistryClient confluentApi =
          new ConfluentRegistryClient(registry.confluentApiUrl());
      Schema writerSchema = confluentApi.schemaById(schemaId);
      assertThat(writerSchema).isEqualTo(topic.valueSchema());
      // The serde registered under the TopicNameStrategy subject, with the id in the frame.
      assertThat(confluentApi.register(topic.valueSubject(), topic.valueSchema()))
          .isEqualTo(schemaId);

      GenericRecord decoded =
          new GenericDatumReader<GenericRecord>(writerSchema)
              .read(null, DecoderFactory.get().binaryDecoder(value, 5, value.length - 5, null));
      assertThat(decoded).isEqualTo(asGeneric(sent));
      assertThat(decoded.get(0).toString()).isEqualTo(sent.get(0).toString());

      // And our own deserializer gives back the record that was sent.
      SampleRecords.assertReadBack(serde.deserializer().deserialize(topic.name(), value), sent);
    }
  }

  private static <V extends SpecificRecord> RecordMetadata produce(
      TopicDefinition<V> topic, Serde<V> serde, V value) throws Exception {
    Map<String, Object> props =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            kafka.bootstrapServers(),
            ProducerConfig.ACKS_CONFIG,
            "all");
    try (KafkaProducer<String, V> producer =
        new KafkaProducer<>(props, new StringSerializer(), serde.serializer())) {
      return producer.send(new ProducerRecord<>(topic.name(), "device-key", value)).get();
    }
  }

  private static byte[] readValue(RecordMetadata written) {
    Map<String, Object> props =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            kafka.bootstrapServers(),
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            false);
    TopicPartition partition = new TopicPartition(written.topic(), written.partition());
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.assign(List.of(partition));
      consumer.seek(partition, written.offset());
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          if (record.offset() == written.offset()) {
            return record.value();
          }
        }
      }
    }
    throw new AssertionError("record at " + written + " not read back within 60 s");
  }

  /** The record as plain Avro's generic reader sees it, without any registry involved. */
  private static GenericRecord asGeneric(SpecificRecord record) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
    new SpecificDatumWriter<SpecificRecord>(record.getSchema()).write(record, encoder);
    encoder.flush();
    return new GenericDatumReader<GenericRecord>(record.getSchema())
        .read(null, DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));
  }
}
