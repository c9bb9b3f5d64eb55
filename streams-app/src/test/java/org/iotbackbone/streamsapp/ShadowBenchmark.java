package org.iotbackbone.streamsapp;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.iotbackbone.schemas.RequestSource;
import org.iotbackbone.schemas.ShadowOperation;
import org.iotbackbone.schemas.ShadowRequest;
import org.iotbackbone.schemas.serde.RegistryConfig;
import org.iotbackbone.schemas.serde.RegistrySerdes;
import org.iotbackbone.schemas.topics.TopicDefinition;
import org.iotbackbone.schemas.topics.Topics;
import org.iotbackbone.servers.KafkaBroker;
import org.iotbackbone.servers.SchemaRegistry;
import org.iotbackbone.servers.junit.SharedServers;

/**
 * The streams-app benchmark against a real broker and registry (not a test; see README):
 *
 * <ol>
 *   <li>throughput: {@code updates} shadow updates over {@code devices} devices, produced ahead,
 *       then processed; updates per second from the first to the last changelog record;
 *   <li>latency: updates at a steady {@code rate}/s for 20 s, request record to changelog record,
 *       p50/p99;
 *   <li>restore: a new instance with an empty state directory restores the store from its
 *       changelog; time to RUNNING, store bytes per shadow.
 * </ol>
 *
 * <p>Arguments: {@code updates devices rate} (defaults 200000 100000 5000).
 */
public final class ShadowBenchmark {

  private ShadowBenchmark() {}

  public static void main(String[] args) throws Exception {
    int updates = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    int devices = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
    int rate = args.length > 2 ? Integer.parseInt(args[2]) : 5_000;
    KafkaBroker kafka = SharedServers.kafka();
    SchemaRegistry registry = SharedServers.schemaRegistry();
    RegistryConfig registryConfig = RegistryConfig.of(registry.apicurioApiUrl());
    createTopics(kafka.bootstrapServers());
    String run = UUID.randomUUID().toString().substring(0, 8);
    Serializer<ShadowRequest> serializer =
        RegistrySerdes.valueSerde(Topics.SHADOW_REQUESTS, registryConfig).serializer();

    Map<TopicPartition, Long> start = endOffsets(kafka.bootstrapServers());
    long produceStart = System.nanoTime();
    try (KafkaProducer<String, byte[]> producer = producer(kafka.bootstrapServers())) {
      for (int i = 0; i < updates; i++) {
        String device = "bench-" + run + "-" + (i % devices);
        producer.send(record(serializer, device, i));
      }
    }
    System.out.printf(
        "produced %d requests in %.1f s%n", updates, (System.nanoTime() - produceStart) / 1e9);

    Path stateDir = Files.createTempDirectory("shadow-bench");
    String applicationId = "shadow-bench-" + run;
    try (KafkaStreams streams = streams(kafka, registryConfig, applicationId, stateDir)) {
      streams.start();
      long[] firstLast = awaitChangelog(kafka.bootstrapServers(), start, updates, null);
      double seconds = (firstLast[1] - firstLast[0]) / 1e3;
      System.out.printf(
          "throughput: %d updates over %d devices in %.1f s = %.0f updates/s%n",
          updates, devices, seconds, updates / seconds);

      Map<TopicPartition, Long> before = endOffsets(kafka.bootstrapServers());
      int steady = rate * 20;
      List<Long> latencies = new ArrayList<>();
      Thread paced =
          new Thread(
              () -> {
                try (KafkaProducer<String, byte[]> producer = producer(kafka.bootstrapServers())) {
                  long t0 = System.nanoTime();
                  for (int i = 0; i < steady; i++) {
                    long due = t0 + (long) (i * (1e9 / rate));
                    while (System.nanoTime() < due) {
                      Thread.onSpinWait();
                    }
                    producer.send(record(serializer, "bench-" + run + "-" + (i % devices), i));
                  }
                }
              });
      paced.start();
      awaitChangelog(kafka.bootstrapServers(), before, steady, latencies);
      paced.join();
      long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
      System.out.printf(
          "latency at %d/s: p50 %d ms, p99 %d ms, max %d ms (%d records)%n",
          rate,
          sorted[sorted.length / 2],
          sorted[(int) (sorted.length * 0.99)],
          sorted[sorted.length - 1],
          sorted.length);
    }

    long storeBytes = size(stateDir);
    Path restoreDir = Files.createTempDirectory("shadow-bench-restore");
    long restoreStart = System.nanoTime();
    try (KafkaStreams restored = streams(kafka, registryConfig, applicationId, restoreDir)) {
      restored.start();
      while (restored.state() != KafkaStreams.State.RUNNING) {
        Thread.sleep(20);
      }
      System.out.printf(
          "restore of %d shadows: %.1f s; store on disk %d bytes = %d bytes/shadow%n",
          devices,
          (System.nanoTime() - restoreStart) / 1e9,
          storeBytes,
          storeBytes / Math.max(1, devices));
    }
    System.exit(0);
  }

  private static ProducerRecord<String, byte[]> record(
      Serializer<ShadowRequest> serializer, String device, int i) {
    ShadowRequest request =
        ShadowRequest.newBuilder()
            .setRequestId(UUID.randomUUID().toString())
            .setDeviceId(device)
            .setOperation(ShadowOperation.UPDATE)
            .setSource(RequestSource.DEVICE)
            .setDocument("{\"state\":{\"reported\":{\"temp\":" + (i % 40) + ",\"on\":true}}}")
            .setRequestedAt(Instant.now())
            .build();
    return new ProducerRecord<>(
        Topics.SHADOW_REQUESTS.name(),
        device,
        serializer.serialize(Topics.SHADOW_REQUESTS.name(), request));
  }

  private static KafkaStreams streams(
      KafkaBroker kafka, RegistryConfig registry, String applicationId, Path stateDir) {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
    props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
    props.put(StreamsConfig.restoreConsumerPrefix("max.poll.records"), 10_000);
    props.putAll(StreamsApp.errorHandlingConfig());
    props.put(
        org.iotbackbone.streamsapp.internal.streams.DeadLetters.REGISTRY_URL_CONFIG,
        registry.url());
    // As many requests per device as it sends within a second here: 429 is not what is measured.
    ShadowLimits limits = new ShadowLimits(6, 8192, 64, 1_000_000, Duration.ofSeconds(1));
    return new KafkaStreams(ShadowTopology.build(ShadowSerdes.registry(registry), limits), props);
  }

  /** Waits for {@code count} new changelog records; returns the first and last record times. */
  private static long[] awaitChangelog(
      String bootstrap, Map<TopicPartition, Long> from, int count, List<Long> latencies) {
    Map<String, Object> props =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            "read_committed",
            ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
            5000);
    long first = Long.MAX_VALUE;
    long last = 0;
    int seen = 0;
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.assign(from.keySet());
      from.forEach(consumer::seek);
      while (seen < count) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          long now = System.currentTimeMillis();
          first = Math.min(first, now);
          last = now;
          seen++;
          if (latencies != null) {
            latencies.add(now - record.timestamp());
          }
        }
      }
    }
    return new long[] {first, last};
  }

  private static Map<TopicPartition, Long> endOffsets(String bootstrap) {
    Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(Topics.SHADOW_STATE.name()).stream()
              .map(info -> new TopicPartition(info.topic(), info.partition()))
              .toList();
      return consumer.endOffsets(partitions);
    }
  }

  private static KafkaProducer<String, byte[]> producer(String bootstrap) {
    Map<String, Object> props =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            ProducerConfig.LINGER_MS_CONFIG,
            5,
            ProducerConfig.BATCH_SIZE_CONFIG,
            256 * 1024);
    return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
  }

  private static void createTopics(String bootstrap) throws Exception {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      for (TopicDefinition<?> topic : Topics.all(4)) {
        try {
          admin.createTopics(List.of(topic.newTopic((short) 1))).all().get();
        } catch (java.util.concurrent.ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw e;
          }
        }
      }
    }
  }

  private static long size(Path dir) throws java.io.IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }
}
