package org.iotbackbone.streamsapp.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.iotbackbone.schemas.RequestSource;
import org.iotbackbone.schemas.ShadowOperation;
import org.iotbackbone.schemas.ShadowRequest;
import org.iotbackbone.schemas.serde.RegistryConfig;
import org.iotbackbone.schemas.serde.RegistrySerdes;
import org.iotbackbone.schemas.topics.TopicSetup;
import org.iotbackbone.schemas.topics.Topics;
import org.iotbackbone.servers.KafkaBroker;
import org.iotbackbone.servers.SchemaRegistry;
import org.iotbackbone.servers.ServerOptions;
import org.iotbackbone.streamsapp.ShadowTopology;
import org.iotbackbone.streamsapp.StreamsApp;
import org.iotbackbone.streamsapp.StreamsAppConfig;

/**
 * The streams-app benchmark (not a test; README gives the command and the figures). It starts its
 * own Kafka broker and registry (full JIT, as in production) and runs the real {@link StreamsApp}
 * ({@code exactly_once_v2}, its default settings), next to the raw limit measured in the same run:
 * a Kafka Streams app with the same guarantee and commit interval that copies each request record
 * to another topic, without state, serdes or rules.
 *
 * <ol>
 *   <li>throughput: {@code updates} shadow updates over {@code devices} devices, produced ahead,
 *       then processed; records per second from the first output record to the last;
 *   <li>latency: updates at a steady {@code rate}/s for 20 s, from the request record's timestamp
 *       to the moment the output record is read (read_committed: what a downstream consumer sees);
 *   <li>restore: {@code restoreShadows} more devices get a shadow; the store's size on disk and
 *       RocksDB's memory are read; then a new instance with an empty state directory restores the
 *       store from its changelog, timed from start to RUNNING (when it serves again).
 * </ol>
 *
 * <p>Run: {@code ./mvnw -Pbench -pl streams-app -am test-compile -DskipTests} (arguments through
 * {@code -Dbench.args="UPDATES DEVICES RATE RESTORE_SHADOWS"}, default {@code 200000 100000 5000
 * 1000000}).
 */
public final class ShadowBenchmark {

  private static final String PASSTHROUGH_TOPIC = "bench.passthrough";
  private static final int PARTITIONS = 4;
  private static final Duration STEADY = Duration.ofSeconds(20);

  private ShadowBenchmark() {}

  public static void main(String[] args) throws Exception {
    int updates = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    int devices = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
    int rate = args.length > 2 ? Integer.parseInt(args[2]) : 5_000;
    int restoreShadows = args.length > 3 ? Integer.parseInt(args[3]) : 1_000_000;
    ServerOptions servers = ServerOptions.builder().quickStart(false).build();
    try (KafkaBroker kafka = new KafkaBroker(servers);
        SchemaRegistry registry = new SchemaRegistry(servers)) {
      kafka.start();
      registry.start();
      String bootstrap = kafka.bootstrapServers();
      try (Admin admin =
          Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
        TopicSetup.createMissing(admin, Topics.all(PARTITIONS), (short) 1);
        admin
            .createTopics(List.of(new NewTopic(PASSTHROUGH_TOPIC, PARTITIONS, (short) 1)))
            .all()
            .get();
      }
      Requests requests = new Requests(bootstrap, RegistryConfig.of(registry.apicurioApiUrl()));
      requests.produce("dev", updates, devices, 0);
      System.out.printf("produced %d update requests over %d devices%n", updates, devices);

      // 1. The raw limit: the same records through Kafka Streams with the same guarantee.
      Result rawThroughput;
      Histogram rawLatency;
      try (KafkaStreams copy = passthrough(bootstrap)) {
        OutputReader out = new OutputReader(bootstrap, PASSTHROUGH_TOPIC);
        copy.start();
        rawThroughput = out.await(updates, null);
        System.out.printf("raw copy: %.0f records/s%n", rawThroughput.perSecond());
        rawLatency = steady(requests, out, rate, devices);
        System.out.println(latencyLine("raw copy, steady " + rate + "/s", rawLatency));
        out.close();
      }

      // 2. The shadow topology, in the app as it runs in production.
      Path stateDir = Files.createTempDirectory("shadow-bench");
      String applicationId = "shadow-bench-" + UUID.randomUUID().toString().substring(0, 8);
      long backlog = requests.produced();
      Result shadowThroughput;
      Histogram shadowLatency;
      Store store;
      try (StreamsApp app = app(bootstrap, registry, applicationId, stateDir)) {
        OutputReader out = new OutputReader(bootstrap, Topics.SHADOW_STATE.name());
        app.start(Duration.ofMinutes(5));
        shadowThroughput = out.await(backlog, null);
        System.out.printf("shadow: %.0f updates/s%n", shadowThroughput.perSecond());
        shadowLatency = steady(requests, out, rate, devices);
        System.out.println(latencyLine("shadow, steady " + rate + "/s", shadowLatency));

        // 3. Fill the store to restoreShadows + devices shadows, then measure it.
        requests.produce("fleet", restoreShadows, restoreShadows, 0);
        out.await(restoreShadows, null);
        store = Store.of(app.streams(), stateDir);
        out.close();
      }
      Path restoreDir = Files.createTempDirectory("shadow-bench-restore");
      long restoreStart = System.nanoTime();
      try (StreamsApp restored = app(bootstrap, registry, applicationId, restoreDir)) {
        restored.start(Duration.ofMinutes(30));
        double restoreSeconds = (System.nanoTime() - restoreStart) / 1e9;
        report(
            updates,
            devices,
            rate,
            rawThroughput,
            rawLatency,
            shadowThroughput,
            shadowLatency,
            store,
            restoreSeconds);
      }
    }
    System.exit(0);
  }

  private static void report(
      int updates,
      int devices,
      int rate,
      Result rawThroughput,
      Histogram rawLatency,
      Result shadowThroughput,
      Histogram shadowLatency,
      Store store,
      double restoreSeconds) {
    System.out.println();
    System.out.printf(
        "%d updates over %d devices, exactly_once_v2, %d partitions%n",
        updates, devices, PARTITIONS);
    System.out.printf(
        "%-44s %8.0f records/s%n", "raw: Kafka Streams copy (no state)", rawThroughput.perSecond());
    System.out.printf(
        "%-44s %8.0f updates/s  (%.2f of raw)%n",
        "shadow topology",
        shadowThroughput.perSecond(),
        shadowThroughput.perSecond() / rawThroughput.perSecond());
    System.out.println(latencyLine("raw copy, steady " + rate + "/s", rawLatency));
    System.out.println(latencyLine("shadow, steady " + rate + "/s", shadowLatency));
    System.out.printf(
        "store: %d shadows, %.0f bytes/shadow on disk, RocksDB memory %.0f bytes/shadow "
            + "(memtables %d, block cache %d, table readers %d bytes)%n",
        store.shadows(),
        (double) store.diskBytes() / store.shadows(),
        (double) store.memoryBytes() / store.shadows(),
        store.memtables(),
        store.blockCache(),
        store.tableReaders());
    System.out.printf(
        "restore of %d shadows into an empty state directory: %.1f s to RUNNING%n",
        store.shadows(), restoreSeconds);
  }

  private static String latencyLine(String what, Histogram latency) {
    return String.format(
        "%-44s p50 %4d ms  p99 %4d ms  p99.9 %4d ms  max %4d ms  (%d records)",
        what,
        latency.getValueAtPercentile(50),
        latency.getValueAtPercentile(99),
        latency.getValueAtPercentile(99.9),
        latency.getMaxValue(),
        latency.getTotalCount());
  }

  /** Updates at {@code rate}/s for 20 s; the latency of each as {@code out} reads it. */
  private static Histogram steady(Requests requests, OutputReader out, int rate, int devices)
      throws InterruptedException {
    int count = (int) (rate * STEADY.toSeconds());
    Thread paced =
        new Thread(() -> requests.produce("dev", count, devices, rate), "bench-paced-producer");
    paced.start();
    Histogram latency = new Histogram(3);
    out.await(count, latency);
    paced.join();
    return latency;
  }

  private static StreamsApp app(
      String bootstrap, SchemaRegistry registry, String applicationId, Path stateDir) {
    Map<String, Object> settings = new HashMap<>();
    settings.put(StreamsAppConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    settings.put(StreamsAppConfig.SCHEMA_REGISTRY_URL_CONFIG, registry.apicurioApiUrl());
    settings.put(StreamsAppConfig.APPLICATION_ID_CONFIG, applicationId);
    settings.put(StreamsAppConfig.STATE_DIR_CONFIG, stateDir.toString());
    settings.put(StreamsAppConfig.HTTP_HOST_CONFIG, "127.0.0.1");
    settings.put(StreamsAppConfig.HTTP_PORT_CONFIG, "0");
    settings.put(StreamsAppConfig.TOPICS_REPLICATION_FACTOR_CONFIG, "1");
    // One instance: a standby has nowhere to go.
    settings.put(StreamsAppConfig.NUM_STANDBY_REPLICAS_CONFIG, "0");
    // A device here sends many updates a second; the 429 limit is not what is measured.
    settings.put(StreamsAppConfig.SHADOW_MAX_IN_FLIGHT_CONFIG, "100000");
    return new StreamsApp(new StreamsAppConfig(settings));
  }

  /** The raw limit: requests copied as bytes, same guarantee and commit interval as the app. */
  private static KafkaStreams passthrough(String bootstrap) {
    StreamsBuilder builder = new StreamsBuilder();
    builder.stream(
            Topics.SHADOW_REQUESTS.name(), Consumed.with(Serdes.String(), Serdes.ByteArray()))
        .to(PASSTHROUGH_TOPIC, Produced.with(Serdes.String(), Serdes.ByteArray()));
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "bench-passthrough-" + UUID.randomUUID());
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(
        StreamsConfig.COMMIT_INTERVAL_MS_CONFIG,
        StreamsAppConfig.DEFINITION
            .defaultValues()
            .get(StreamsAppConfig.COMMIT_INTERVAL_MS_CONFIG));
    props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
    props.put(StreamsConfig.STATE_DIR_CONFIG, tempDir("bench-passthrough").toString());
    return new KafkaStreams(builder.build(), props);
  }

  private static Path tempDir(String prefix) {
    try {
      return Files.createTempDirectory(prefix);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** How many records arrived, between the first and the last arrival. */
  record Result(long records, long firstNanos, long lastNanos) {
    double perSecond() {
      return records * 1e9 / Math.max(1, lastNanos - firstNanos);
    }
  }

  /** Produces shadow update requests as a device would through the bridge. */
  static final class Requests {
    private final KafkaProducer<String, byte[]> producer;
    private final Serializer<ShadowRequest> serializer;
    private long produced;

    Requests(String bootstrap, RegistryConfig registry) {
      this.serializer = RegistrySerdes.valueSerde(Topics.SHADOW_REQUESTS, registry).serializer();
      Map<String, Object> props = new HashMap<>();
      props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      props.put(ProducerConfig.ACKS_CONFIG, "all");
      props.put(ProducerConfig.LINGER_MS_CONFIG, 1);
      props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
      this.producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    /** {@code count} updates over devices {@code prefix-0..devices-1}; rate 0 = flat out. */
    void produce(String prefix, int count, int devices, int rate) {
      long start = System.nanoTime();
      for (int i = 0; i < count; i++) {
        if (rate > 0) {
          // Parked, not spun: a spinning producer would take one of the machine's two cores.
          long wait = start + (long) (i * (1e9 / rate)) - System.nanoTime();
          if (wait > 0) {
            LockSupport.parkNanos(wait);
          }
        }
        String device = prefix + "-" + (i % devices);
        ShadowRequest request =
            ShadowRequest.newBuilder()
                .setRequestId(UUID.randomUUID().toString())
                .setDeviceId(device)
                .setOperation(ShadowOperation.UPDATE)
                .setSource(RequestSource.DEVICE)
                .setDocument("{\"state\":{\"reported\":{\"temp\":" + (i % 40) + ",\"on\":true}}}")
                .setRequestedAt(Instant.now())
                .build();
        producer.send(
            new ProducerRecord<>(
                Topics.SHADOW_REQUESTS.name(),
                device,
                serializer.serialize(Topics.SHADOW_REQUESTS.name(), request)));
      }
      producer.flush();
      synchronized (this) {
        produced += count;
      }
    }

    synchronized long produced() {
      return produced;
    }
  }

  /** Reads an output topic from its end as a downstream consumer would (read_committed). */
  static final class OutputReader implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;

    OutputReader(String bootstrap, String topic) {
      Map<String, Object> props = new HashMap<>();
      props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
      consumer =
          new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(info -> new TopicPartition(info.topic(), info.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToEnd(partitions);
      partitions.forEach(consumer::position);
    }

    /** Waits for {@code count} more records; records each one's latency when asked to. */
    Result await(long count, Histogram latency) {
      long first = 0;
      long last = 0;
      long seen = 0;
      while (seen < count) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
          long now = System.nanoTime();
          if (seen == 0) {
            first = now;
          }
          last = now;
          seen++;
          if (latency != null) {
            latency.recordValue(Math.max(0, System.currentTimeMillis() - record.timestamp()));
          }
        }
      }
      return new Result(seen, first, last);
    }

    @Override
    public void close() {
      consumer.close();
    }
  }

  /** The shadow store's size on disk and RocksDB's memory, from Kafka Streams' metrics. */
  record Store(long shadows, long diskBytes, long memtables, long blockCache, long tableReaders) {

    long memoryBytes() {
      return memtables + blockCache + tableReaders;
    }

    static Store of(KafkaStreams streams, Path stateDir) throws IOException {
      return new Store(
          sum(streams, "estimate-num-keys"),
          size(stateDir),
          sum(streams, "size-all-mem-tables"),
          sum(streams, "block-cache-usage"),
          sum(streams, "estimate-table-readers-mem"));
    }

    /** A RocksDB property of the shadow store, summed over its tasks' instances. */
    private static long sum(KafkaStreams streams, String name) {
      long total = 0;
      for (Map.Entry<MetricName, ? extends Metric> metric : streams.metrics().entrySet()) {
        MetricName id = metric.getKey();
        if (id.name().equals(name)
            && id.group().equals("stream-state-metrics")
            && ShadowTopology.SHADOW_STORE.equals(id.tags().get("rocksdb-state-id"))
            && metric.getValue().metricValue() instanceof Number value) {
          total += value.longValue();
        }
      }
      return total;
    }

    private static long size(Path dir) throws IOException {
      try (Stream<Path> files = Files.walk(dir)) {
        return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
      }
    }
  }
}
