package org.iotbackbone.streamsapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.iotbackbone.schemas.DeviceShadow;
import org.iotbackbone.schemas.Job;
import org.iotbackbone.schemas.JobExecutionOperation;
import org.iotbackbone.schemas.JobExecutionRequest;
import org.iotbackbone.schemas.JobOperation;
import org.iotbackbone.schemas.JobRequest;
import org.iotbackbone.schemas.JobResponse;
import org.iotbackbone.schemas.JobResponseType;
import org.iotbackbone.schemas.JobStatus;
import org.iotbackbone.schemas.RequestSource;
import org.iotbackbone.schemas.ShadowOperation;
import org.iotbackbone.schemas.ShadowRequest;
import org.iotbackbone.schemas.registry.Compatibility;
import org.iotbackbone.schemas.registry.ConfluentRegistryClient;
import org.iotbackbone.schemas.registry.SchemaRegistration;
import org.iotbackbone.schemas.serde.RegistryConfig;
import org.iotbackbone.schemas.serde.RegistrySerdes;
import org.iotbackbone.schemas.topics.TopicDefinition;
import org.iotbackbone.schemas.topics.TopicSetup;
import org.iotbackbone.schemas.topics.Topics;
import org.iotbackbone.servers.KafkaBroker;
import org.iotbackbone.servers.SchemaRegistry;
import org.iotbackbone.servers.junit.SharedServers;
import org.iotbackbone.streamsapp.internal.auth.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The jobs topology in the real app, against a real broker and registry (schemas registered ahead
 * as deployed, exactly-once): a job whose filter is resolved over the shadows, its devices
 * notified, started and succeeded through Kafka, the job COMPLETED on iot.jobs and iot.job.status.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class JobsIT {

  private static final Duration WAIT = Duration.ofSeconds(120);
  // Two partitions: the filter is resolved by more than one task.
  private static final int PARTITIONS = 2;
  private static final String RUN = UUID.randomUUID().toString().substring(0, 8);

  private static KafkaBroker kafka;
  private static SchemaRegistry registry;
  private static StreamsApp app;
  private static Path dir;

  @BeforeAll
  static void start() throws Exception {
    // A broker of its own: the shared one is shared by every module's ITs, whose apps start from
    // the earliest offsets with their own topics.partitions, and its topics may have any count.
    // This test's job request would reach them, and their topics would size this app's
    // repartition topic.
    kafka = new KafkaBroker();
    kafka.start();
    registry = SharedServers.schemaRegistry();
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
      TopicSetup.createMissing(admin, Topics.all(PARTITIONS), (short) 1);
    }
    SchemaRegistration registration =
        new SchemaRegistration(
            new ConfluentRegistryClient(registry.confluentApiUrl()),
            Topics.all(),
            Duration.ofMinutes(1),
            Duration.ofMillis(200),
            new PrintStream(PrintStream.nullOutputStream()));
    registration.registerAll(Compatibility.BACKWARD);
    registration.awaitRegistered();
    dir = Files.createTempDirectory("jobs-it");
    Map<String, Object> settings = new HashMap<>();
    settings.put("bootstrap.servers", kafka.bootstrapServers());
    settings.put("schema.registry.url", registry.apicurioApiUrl());
    settings.put("application.id", "jobs-it-" + RUN);
    settings.put("state.dir", dir.toString());
    settings.put("http.host", "127.0.0.1");
    settings.put("http.port", "0");
    settings.put("commit.interval.ms", "50");
    settings.put("num.standby.replicas", "0");
    settings.put("topics.replication.factor", "1");
    // Not the topics' count: a filter is resolved by as many partitions as its topic has.
    settings.put("topics.partitions", Integer.toString(PARTITIONS + 1));
    settings.putAll(new TestTokens().settings(dir));
    app = new StreamsApp(new StreamsAppConfig(settings)).start(Duration.ofMinutes(5));
  }

  @AfterAll
  static void stop() throws Exception {
    if (app != null) {
      app.close();
    }
    if (kafka != null) {
      kafka.close();
    }
    org.apache.kafka.common.utils.Utils.delete(dir.toFile());
  }

  @Test
  void aFilteredJobIsNotifiedStartedSucceededAndCompleted() throws Exception {
    String model = "it-" + RUN;
    // One target in each partition: the job is resolved once both answered.
    List<String> old = List.of(inPartition(model, 0), inPartition(model, 1));
    String current = model + "-c";
    Instant now = Instant.now();
    for (String device : List.of(old.get(0), old.get(1), current)) {
      String firmware = device.equals(current) ? "2.4.0" : "2.3.1";
      produce(
          Topics.SHADOW_REQUESTS,
          device,
          ShadowRequest.newBuilder()
              .setRequestId(UUID.randomUUID().toString())
              .setDeviceId(device)
              .setOperation(ShadowOperation.UPDATE)
              .setSource(RequestSource.DEVICE)
              .setDocument(
                  "{\"state\":{\"reported\":{\"model\":\""
                      + model
                      + "\",\"firmware\":\""
                      + firmware
                      + "\"}}}")
              .setRequestedAt(now)
              .build());
    }
    // Resolved at creation: the shadows must be there first.
    await()
        .atMost(WAIT)
        .until(
            () ->
                shadows().get(current) != null
                    && shadows().get(old.get(0)) != null
                    && shadows().get(old.get(1)) != null);

    String jobId = "it-" + RUN;
    produce(
        Topics.JOB_REQUESTS,
        jobId,
        JobRequest.newBuilder()
            .setRequestId(UUID.randomUUID().toString())
            .setJobId(jobId)
            .setOperation(JobOperation.CREATE)
            .setDefinition(
                JobsDriver.job(jobId, List.of())
                    .setTargetFilter("model = " + model + " and firmware < 2.4.0")
                    .build())
            .setRequestedAt(now)
            .build());

    try (KafkaConsumer<String, JobResponse> responses = consumer(Topics.JOB_RESPONSES)) {
      List<JobResponse> notified = new ArrayList<>();
      await()
          .atMost(WAIT)
          .until(
              () -> {
                for (ConsumerRecord<String, JobResponse> record :
                    responses.poll(Duration.ofMillis(200))) {
                  if (record.value().getType() == JobResponseType.NOTIFY_NEXT
                      && record.key().startsWith(model)) {
                    notified.add(record.value());
                  }
                }
                return notified.size() >= 2;
              });
      assertThat(notified)
          .extracting(JobResponse::getDeviceId)
          .containsExactlyInAnyOrderElementsOf(old);
      assertThat(notified.get(0).getPayload()).contains("\"jobId\":\"" + jobId + "\"");
    }

    for (String device : old) {
      request(device, JobExecutionOperation.START_NEXT, null, null);
      request(
          device,
          JobExecutionOperation.UPDATE,
          jobId,
          "{\"status\":\"SUCCEEDED\",\"expectedVersion\":2}");
    }
    try (KafkaConsumer<String, Job> jobs = consumer(Topics.JOBS)) {
      List<Job> seen = new ArrayList<>();
      await()
          .atMost(WAIT)
          .until(
              () -> {
                jobs.poll(Duration.ofMillis(200))
                    .forEach(
                        record -> {
                          if (jobId.equals(record.key())) {
                            seen.add(record.value());
                          }
                        });
                return !seen.isEmpty()
                    && seen.get(seen.size() - 1).getStatus() == JobStatus.COMPLETED;
              });
      Job done = seen.get(seen.size() - 1);
      assertThat(done.getTargetsResolved()).isTrue();
      assertThat(done.getProcessDetails().getNumberOfTargets()).isEqualTo(2);
      assertThat(done.getProcessDetails().getNumberOfSucceededThings()).isEqualTo(2);
    }
  }

  /** A device id that Kafka's default partitioner puts in this partition. */
  private static String inPartition(String prefix, int partition) {
    for (int i = 0; ; i++) {
      String id = prefix + "-" + i;
      byte[] key = id.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      if (org.apache.kafka.common.utils.Utils.toPositive(
                  org.apache.kafka.common.utils.Utils.murmur2(key))
              % PARTITIONS
          == partition) {
        return id;
      }
    }
  }

  private static ReadOnlyKeyValueStore<String, DeviceShadow> shadows() {
    return app.streams()
        .store(
            StoreQueryParameters.fromNameAndType(
                ShadowTopology.SHADOW_STORE,
                QueryableStoreTypes.<String, DeviceShadow>keyValueStore()));
  }

  private static void request(
      String device, JobExecutionOperation operation, String jobId, String document)
      throws Exception {
    produce(
        Topics.JOB_EXECUTION_REQUESTS,
        device,
        JobExecutionRequest.newBuilder()
            .setRequestId(UUID.randomUUID().toString())
            .setDeviceId(device)
            .setOperation(operation)
            .setJobId(jobId)
            .setDocument(document)
            .setSource(RequestSource.DEVICE)
            .setRequestedAt(Instant.now())
            .build());
  }

  private static <V extends SpecificRecord> void produce(
      TopicDefinition<V> topic, String key, V value) throws Exception {
    Map<String, Object> props =
        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    try (KafkaProducer<String, V> producer =
        new KafkaProducer<>(
            props,
            new StringSerializer(),
            RegistrySerdes.valueSerde(topic, RegistryConfig.of(registry.apicurioApiUrl()))
                .serializer())) {
      producer.send(new ProducerRecord<>(topic.name(), key, value)).get();
    }
  }

  private static <V extends SpecificRecord> KafkaConsumer<String, V> consumer(
      TopicDefinition<V> topic) {
    KafkaConsumer<String, V> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG,
                "jobs-it-" + RUN + "-" + topic.name(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed"),
            new StringDeserializer(),
            RegistrySerdes.valueSerde(topic, RegistryConfig.of(registry.apicurioApiUrl()))
                .deserializer());
    consumer.subscribe(List.of(topic.name()));
    return consumer;
  }
}
