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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
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
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.iotbackbone.schemas.DeviceShadow;
import org.iotbackbone.schemas.RequestSource;
import org.iotbackbone.schemas.ShadowOperation;
import org.iotbackbone.schemas.ShadowRequest;
import org.iotbackbone.schemas.serde.RegistryConfig;
import org.iotbackbone.schemas.serde.RegistrySerdes;
import org.iotbackbone.schemas.topics.TopicSetup;
import org.iotbackbone.schemas.topics.Topics;
import org.iotbackbone.servers.CpuTime;
import org.iotbackbone.servers.KafkaBroker;
import org.iotbackbone.servers.SchemaRegistry;
import org.iotbackbone.servers.ServerOptions;
import org.iotbackbone.streamsapp.ShadowSerdes;
import org.iotbackbone.streamsapp.ShadowTopology;
import org.iotbackbone.streamsapp.StreamsApp;
import org.iotbackbone.streamsapp.StreamsAppConfig;
import org.iotbackbone.streamsapp.internal.auth.TestTokens;

/**
 * The streams-app benchmark (not a test; streams-app/README.md gives the command,
 * docs/benchmarks.md the figures). It starts its own Kafka broker and registry (full JIT, as in
 * production) and runs the real {@link StreamsApp} ({@code exactly_once_v2}, its default settings),
 * next to the raw limit measured in the same run: a Kafka Streams app with the same guarantee and
 * commit interval that copies each request record to another topic, without state, serdes or rules.
 *
 * <ol>
 *   <li>throughput: {@code updates} shadow updates over {@code devices} devices, produced ahead,
 *       then processed; records per second from the first output record to the last;
 *   <li>latency: updates at a steady {@code rate}/s for 20 s, from the request record's timestamp
 *       to the moment the output record is read (read_committed: what a downstream consumer sees);
 *   <li>restore: the store's changelog gets {@code restoreShadows} more shadows (copies of one the
 *       app wrote, written straight to the changelog); a new instance with an empty state directory
 *       restores the store, timed from start to RUNNING (when it serves again); the restored
 *       store's size on disk and RocksDB's memory are read from Kafka Streams' metrics; skipped
 *       when {@code restoreShadows} is 0.
 * </ol>
 *
 * <p>Run: {@code ./mvnw -Pbench -pl streams-app -am test-compile -DskipTests} (arguments through
 * {@code -Dbench.args="UPDATES DEVICES RATE RESTORE_SHADOWS [COMMIT_INTERVAL_MS]"}, default {@code
 * 200000 100000 5000 1000000}, and the app's default commit interval; the topics' partitions
 * through {@code -Dbench.partitions=N}, default 4; settings of the app to try through {@code
 * -Dbench.app=key=value,...}, e.g. {@code kafka.producer.linger.ms=20}).
 */
public final class ShadowBenchmark {

  private static final String PASSTHROUGH_TOPIC = "bench.passthrough";

  /**
   * The partitions of every topic (the platform's default is 12): 4 as the benchmark always ran,
   * {@code -Dbench.partitions=N} for the scaling curves (docs/benchmarks.md).
   */
  private static final int PARTITIONS = Integer.getInteger("bench.partitions", 4);

  private static final Duration STEADY = Duration.ofSeconds(20);

  private ShadowBenchmark() {}

  public static void main(String[] args) throws Exception {
    run(args);
    System.exit(0); // the clients' and the registry client's threads would keep the JVM alive
  }

  private static void run(String[] args) throws Exception {
    int updates = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    int devices = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
    int rate = args.length > 2 ? Integer.parseInt(args[2]) : 5_000;
    int restoreShadows = args.length > 3 ? Integer.parseInt(args[3]) : 1_000_000;
    long commitMs =
        args.length > 4
            ? Long.parseLong(args[4])
            : (Long)
                StreamsAppConfig.DEFINITION
                    .defaultValues()
                    .get(StreamsAppConfig.COMMIT_INTERVAL_MS_CONFIG);
    ServerOptions servers =
        ServerOptions.builder().quickStart(false).startTimeout(Duration.ofMinutes(10)).build();
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
      try (KafkaStreams copy = passthrough(bootstrap, commitMs)) {
        OutputReader out = new OutputReader(bootstrap, PASSTHROUGH_TOPIC);
        copy.start();
        rawThroughput = out.await(updates, null);
        System.out.println(throughputLine("raw copy", rawThroughput));
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
      try (StreamsApp app = app(bootstrap, registry, applicationId, stateDir, commitMs)) {
        OutputReader out = new OutputReader(bootstrap, Topics.SHADOW_STATE.name());
        app.start(Duration.ofMinutes(5));
        shadowThroughput = out.await(backlog, null);
        System.out.println(throughputLine("shadow", shadowThroughput));
        shadowLatency = steady(requests, out, rate, devices);
        System.out.println(latencyLine("shadow, steady " + rate + "/s", shadowLatency));

        store = Store.of(app.streams(), stateDir);
        out.close();
      }

      // 3. Restore: the changelog gets restoreShadows more shadows, each a copy (another device
      // id) of a shadow the app wrote, serialized as the store serializes it; Kafka Streams does
      // not care who wrote a changelog, so it is filled at producer speed instead of topology
      // speed. Then a new instance with an empty state directory restores all of it.
      // restoreShadows 0: no restore asked for, the throughput and latency figures only (a
      // shorter run).
      Store restoredStore = null;
      long changelogRecords = 0;
      double restoreSeconds = 0;
      if (restoreShadows != 0) {
        String changelog = applicationId + "-" + ShadowTopology.SHADOW_STORE + "-changelog";
        changelogRecords = fillChangelog(bootstrap, registry, changelog, restoreShadows);
        System.out.printf("changelog %s: %d records%n", changelog, changelogRecords);
        Path restoreDir = Files.createTempDirectory("shadow-bench-restore");
        long restoreStart = System.nanoTime();
        try (StreamsApp restored = app(bootstrap, registry, applicationId, restoreDir, commitMs)) {
          restored.start(Duration.ofMinutes(30));
          restoreSeconds = (System.nanoTime() - restoreStart) / 1e9;
          restoredStore = Store.of(restored.streams(), restoreDir);
          System.out.printf(
              "restore: %d changelog records, %.1f s to RUNNING%n",
              changelogRecords, restoreSeconds);
        }
      }
      report(
          updates,
          devices,
          rate,
          commitMs,
          rawThroughput,
          rawLatency,
          shadowThroughput,
          shadowLatency,
          store,
          restoredStore,
          changelogRecords,
          restoreSeconds);
    }
  }

  private static void report(
      int updates,
      int devices,
      int rate,
      long commitMs,
      Result rawThroughput,
      Histogram rawLatency,
      Result shadowThroughput,
      Histogram shadowLatency,
      Store store,
      Store restored,
      long changelogRecords,
      double restoreSeconds) {
    System.out.println();
    System.out.printf(
        "%d updates over %d devices, exactly_once_v2, commit.interval.ms %d, %d partitions%n",
        updates, devices, commitMs, PARTITIONS);
    System.out.println(
        "app settings over its defaults: " + appSettings(System.getProperty("bench.app", "")));
    System.out.println(throughputLine("raw: Kafka Streams copy (no state)", rawThroughput));
    System.out.println(throughputLine("shadow topology", shadowThroughput));
    System.out.printf(
        "shadow/raw: %.2f of the rate, %.1fx the app's CPU per record, %.1fx the servers'%n",
        shadowThroughput.perSecond() / rawThroughput.perSecond(),
        shadowThroughput.appMicrosPerRecord() / rawThroughput.appMicrosPerRecord(),
        shadowThroughput.serverMicrosPerRecord() / rawThroughput.serverMicrosPerRecord());
    System.out.println(latencyLine("raw copy, steady " + rate + "/s", rawLatency));
    System.out.println(latencyLine("shadow, steady " + rate + "/s", shadowLatency));
    System.out.println(storeLine("store after the benchmark", store));
    if (restored == null) {
      System.out.println("restore: not run (restore-shadows 0)");
      return;
    }
    System.out.println(storeLine("store restored", restored));
    System.out.printf(
        "restore of %d changelog records (%d shadows) into an empty state directory: %.1f s to"
            + " RUNNING (%.0f records/s)%n",
        changelogRecords, restored.shadows(), restoreSeconds, changelogRecords / restoreSeconds);
  }

  private static String storeLine(String what, Store store) {
    return String.format(
        "%-26s %d shadows (RocksDB's estimate); SST files %.0f bytes/shadow, state dir %.0f"
            + " bytes/shadow; RocksDB memory %.0f bytes/shadow (memtables %d, block cache %d,"
            + " index and filters %d bytes)",
        what,
        store.shadows(),
        (double) store.sstBytes() / Math.max(1, store.shadows()),
        (double) store.diskBytes() / Math.max(1, store.shadows()),
        (double) store.memoryBytes() / Math.max(1, store.shadows()),
        store.memtables(),
        store.blockCache(),
        store.tableReaders());
  }

  private static String throughputLine(String what, Result result) {
    return String.format(
        "%-44s %8.0f records/s  CPU per record: app JVM %.0f us, servers %.0f us",
        what, result.perSecond(), result.appMicrosPerRecord(), result.serverMicrosPerRecord());
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
      String bootstrap,
      SchemaRegistry registry,
      String applicationId,
      Path stateDir,
      long commitMs) {
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
    settings.put(StreamsAppConfig.COMMIT_INTERVAL_MS_CONFIG, Long.toString(commitMs));
    // Authentication on, as deployed; this benchmark does not call the REST API.
    settings.putAll(new TestTokens().settings(stateDir));
    // The app's settings to try against its defaults (the raw copy keeps Kafka's), e.g.
    // -Dbench.app=kafka.producer.linger.ms=20,kafka.producer.batch.size=262144
    settings.putAll(appSettings(System.getProperty("bench.app", "")));
    return new StreamsApp(new StreamsAppConfig(settings));
  }

  /** {@code key=value,key=value} as a map; blank: none. */
  static Map<String, String> appSettings(String list) {
    Map<String, String> settings = new HashMap<>();
    for (String pair : list.split(",")) {
      if (pair.isBlank()) {
        continue;
      }
      int equals = pair.indexOf('=');
      if (equals <= 0) {
        throw new IllegalArgumentException("bench.app: not key=value: " + pair);
      }
      settings.put(pair.substring(0, equals).trim(), pair.substring(equals + 1).trim());
    }
    return settings;
  }

  /** The raw limit: requests copied as bytes, same guarantee and commit interval as the app. */
  private static KafkaStreams passthrough(String bootstrap, long commitMs) {
    StreamsBuilder builder = new StreamsBuilder();
    builder.stream(
            Topics.SHADOW_REQUESTS.name(), Consumed.with(Serdes.String(), Serdes.ByteArray()))
        .to(PASSTHROUGH_TOPIC, Produced.with(Serdes.String(), Serdes.ByteArray()));
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "bench-passthrough-" + UUID.randomUUID());
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitMs);
    props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
    props.put(StreamsConfig.STATE_DIR_CONFIG, tempDir("bench-passthrough").toString());
    return new KafkaStreams(builder.build(), props);
  }

  /**
   * Writes {@code count} shadows to the store's changelog: copies, under devices {@code
   * fleet-0..count-1}, of the first shadow the app published. Returns the changelog's record count.
   */
  private static long fillChangelog(
      String bootstrap, SchemaRegistry registry, String changelog, int count) {
    Serde<DeviceShadow> serde =
        ShadowSerdes.registry(RegistryConfig.of(registry.apicurioApiUrl())).shadows();
    DeviceShadow template;
    Map<String, Object> consumerProps = new HashMap<>();
    consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(consumerProps, new StringDeserializer(), new ByteArrayDeserializer())) {
      TopicPartition first = new TopicPartition(Topics.SHADOW_STATE.name(), 0);
      consumer.assign(List.of(first));
      consumer.seekToBeginning(List.of(first));
      ConsumerRecord<String, byte[]> record = null;
      while (record == null) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofSeconds(1))) {
          if (r.value() != null && record == null) {
            record = r;
          }
        }
      }
      template = serde.deserializer().deserialize(Topics.SHADOW_STATE.name(), record.value());
      System.out.printf(
          "changelog filled with copies of %s's shadow: %d bytes serialized, document %s%n",
          record.key(), record.value().length, template.getClassic());
    }
    Map<String, Object> props = new HashMap<>();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < count; i++) {
        DeviceShadow shadow = DeviceShadow.newBuilder(template).setDeviceId("fleet-" + i).build();
        producer.send(
            new ProducerRecord<>(
                changelog, shadow.getDeviceId(), serde.serializer().serialize(changelog, shadow)));
      }
      producer.flush();
    }
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
      admin
          .describeTopics(List.of(changelog))
          .allTopicNames()
          .get()
          .get(changelog)
          .partitions()
          .forEach(
              p -> ends.put(new TopicPartition(changelog, p.partition()), OffsetSpec.latest()));
      return admin.listOffsets(ends).all().get().values().stream()
          .mapToLong(ListOffsetsResultInfo::offset)
          .sum();
    } catch (InterruptedException | ExecutionException e) {
      throw new IllegalStateException("cannot count the changelog's records", e);
    }
  }

  private static Path tempDir(String prefix) {
    try {
      return Files.createTempDirectory(prefix);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * How many records arrived, between the first and the last arrival, and the CPU time this JVM and
   * the servers it started (Kafka, the registry) used meanwhile: on a shared machine whose speed
   * varies, CPU per record is the steadier figure.
   */
  record Result(long records, long firstNanos, long lastNanos, CpuTime atFirst, CpuTime atLast) {
    double perSecond() {
      return records * 1e9 / Math.max(1, lastNanos - firstNanos);
    }

    /** Microseconds of CPU per record in this JVM (app, benchmark reader). */
    double appMicrosPerRecord() {
      return atLast.selfMicrosPer(atFirst, records);
    }

    /** Microseconds of CPU per record in the servers. */
    double serverMicrosPerRecord() {
      return atLast.serverMicrosPer(atFirst, records);
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
      CpuTime cpuAtFirst = null;
      while (seen < count) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
          long now = System.nanoTime();
          if (seen == 0) {
            first = now;
            cpuAtFirst = CpuTime.now();
          }
          last = now;
          seen++;
          if (latency != null) {
            latency.recordValue(Math.max(0, System.currentTimeMillis() - record.timestamp()));
          }
        }
      }
      return new Result(
          seen, first, last, cpuAtFirst == null ? CpuTime.now() : cpuAtFirst, CpuTime.now());
    }

    @Override
    public void close() {
      consumer.close();
    }
  }

  /** The shadow store's size on disk and RocksDB's memory, from Kafka Streams' metrics. */
  record Store(
      long shadows,
      long sstBytes,
      long diskBytes,
      long memtables,
      long blockCache,
      long tableReaders) {

    long memoryBytes() {
      return memtables + blockCache + tableReaders;
    }

    static Store of(KafkaStreams streams, Path stateDir) throws IOException {
      return new Store(
          sum(streams, "estimate-num-keys"),
          sum(streams, "total-sst-files-size"),
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
