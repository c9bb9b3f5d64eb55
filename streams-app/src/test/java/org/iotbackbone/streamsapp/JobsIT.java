package org.iotbackbone.streamsapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
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
 * notified, started and succeeded through Kafka, the job COMPLETED on iot.jobs and iot.job.status;
 * and the jobs' REST API with real tokens: jobs created over listed devices and a filter,
 * described, listed and their executions paged, a device's jobs, a cancel, and the bad requests.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class JobsIT {

  private static final Duration WAIT = Duration.ofSeconds(120);
  // Two partitions: the filter is resolved by more than one task.
  private static final int PARTITIONS = 2;
  private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
  private static final TestTokens TOKENS = new TestTokens();

  private static KafkaBroker kafka;
  private static SchemaRegistry registry;
  // Two instances: the REST API's reads are forwarded to the owner of their key, and its lists
  // merged from both; the Kafka flow goes through whichever owns each partition.
  private static final List<StreamsApp> APPS = new ArrayList<>();
  private static final List<Path> DIRS = new ArrayList<>();

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
    for (int i = 0; i < 2; i++) {
      Path dir = Files.createTempDirectory("jobs-it");
      DIRS.add(dir);
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
      settings.putAll(TOKENS.settings(dir));
      // One after the other: the second joins a running group, one rebalance.
      APPS.add(new StreamsApp(new StreamsAppConfig(settings)).start(Duration.ofMinutes(5)));
    }
  }

  @AfterAll
  static void stop() throws Exception {
    APPS.forEach(StreamsApp::close);
    if (kafka != null) {
      kafka.close();
    }
    for (Path dir : DIRS) {
      org.apache.kafka.common.utils.Utils.delete(dir.toFile());
    }
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
        .until(() -> hasShadow(current) && hasShadow(old.get(0)) && hasShadow(old.get(1)));

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

  @Test
  void theRestApiCreatesDescribesListsPagesAndCancelsJobs() throws Exception {
    // Each instance answers for both: it forwards a key's read to its owner, and merges lists.
    JobsRest api = new JobsRest(APPS.get(0), TOKENS.allScopes());
    JobsRest other = new JobsRest(APPS.get(1), TOKENS.allScopes());
    String prefix = "rest-" + RUN;
    List<String> listed = spreadOverInstances(prefix, 3);
    String model = "rest-model-" + RUN;
    for (String device : List.of(prefix + "-x", prefix + "-y")) {
      HttpResponse<String> shadow =
          api.post(
              "/devices/" + device + "/shadow",
              "{\"state\":{\"reported\":{\"model\":\"" + model + "\"}}}");
      assertThat(shadow.statusCode()).as(shadow.body()).isEqualTo(200);
    }

    String jobId = prefix + "-listed";
    HttpResponse<String> created =
        other.post(
            "/jobs",
            "{\"jobId\":\""
                + jobId
                + "\",\"document\":{\"url\":\"https://fw.example/2.4.0\"},"
                + "\"description\":\"three listed\",\"targets\":[\""
                + String.join("\",\"", listed)
                + "\"],\"timeoutConfig\":{\"inProgressTimeoutInMinutes\":60}}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    assertThat(created.headers().firstValue("Location")).hasValue("/jobs/" + jobId);
    JsonNode job = JobsRest.json(created);
    assertThat(job.path("status").asText()).isEqualTo("IN_PROGRESS");
    assertThat(job.path("targets")).hasSize(3);
    assertThat(job.at("/document/url").asText()).isEqualTo("https://fw.example/2.4.0");
    assertThat(job.at("/jobProcessDetails/numberOfTargets").asInt()).isEqualTo(3);
    HttpResponse<String> again =
        api.post("/jobs", "{\"jobId\":\"" + jobId + "\",\"document\":{},\"targets\":[\"a\"]}");
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(JobsRest.json(again).path("field").asText()).isEqualTo("jobId");

    String filtered = prefix + "-filtered";
    HttpResponse<String> byFilter =
        api.post(
            "/jobs",
            "{\"jobId\":\""
                + filtered
                + "\",\"document\":{},\"targetFilter\":\"model = "
                + model
                + "\",\"jobExecutionsRolloutConfig\":{\"maximumPerMinute\":600}}");
    assertThat(byFilter.statusCode()).as(byFilter.body()).isEqualTo(201);
    assertThat(JobsRest.json(byFilter).path("targetFilter").asText()).isEqualTo("model = " + model);

    // Notified at the job's rate: every target gets an execution, QUEUED.
    List<String> pages = new ArrayList<>();
    await()
        .atMost(WAIT)
        .until(() -> devicesOf(api, "/jobs/" + jobId + "/executions?limit=2", pages).size() == 3);
    assertThat(devicesOf(api, "/jobs/" + jobId + "/executions?limit=2", pages))
        .containsExactlyElementsOf(listed);
    assertThat(pages).as("two pages of at most two").hasSize(2);
    assertThat(devicesOf(other, "/jobs/" + jobId + "/executions?limit=1", pages))
        .containsExactlyElementsOf(listed);
    await()
        .atMost(WAIT)
        .until(
            () -> devicesOf(api, "/jobs/" + filtered + "/executions", new ArrayList<>()),
            devices -> devices.equals(List.of(prefix + "-x", prefix + "-y")));
    JsonNode resolved = JobsRest.json(api.get("/jobs/" + filtered));
    assertThat(resolved.path("targetsResolved").asBoolean()).isTrue();
    assertThat(resolved.at("/jobProcessDetails/numberOfTargets").asInt()).isEqualTo(2);

    // One device starts and succeeds through Kafka, as the bridge would bring it.
    String first = listed.get(0);
    request(first, JobExecutionOperation.START_NEXT, null, null);
    request(
        first,
        JobExecutionOperation.UPDATE,
        jobId,
        "{\"status\":\"SUCCEEDED\",\"statusDetails\":{\"step\":\"done\"}}");
    JsonNode succeeded =
        await()
            .atMost(WAIT)
            .until(
                () -> JobsRest.json(api.get("/devices/" + first + "/jobs")).path("executions"),
                executions -> executions.path(0).path("status").asText().equals("SUCCEEDED"));
    assertThat(succeeded).hasSize(1);
    assertThat(succeeded.path(0).path("jobId").asText()).isEqualTo(jobId);
    assertThat(succeeded.path(0).path("versionNumber").asInt()).isEqualTo(3);
    assertThat(succeeded.path(0).at("/statusDetails/step").asText()).isEqualTo("done");
    assertThat(succeeded.path(0).has("startedAt")).isTrue();
    assertThat(JobsRest.json(other.get("/devices/" + first + "/jobs")).path("executions"))
        .isEqualTo(succeeded);

    // Every job, one to a page, in id order, each once.
    List<String> jobs = new ArrayList<>();
    String token = null;
    do {
      JsonNode page =
          JobsRest.json(other.get("/jobs?limit=1" + (token == null ? "" : "&nextToken=" + token)));
      page.path("jobs").forEach(listedJob -> jobs.add(listedJob.path("jobId").asText()));
      token = page.path("nextToken").asText(null);
    } while (token != null);
    assertThat(jobs).contains(jobId, filtered).isSorted().doesNotHaveDuplicates();
    assertThat(devicesOf(api, "/jobs?limit=250", pages, "jobs", "jobId")).isEqualTo(jobs);

    HttpResponse<String> canceled =
        api.post("/jobs/" + jobId + "/cancel", "{\"comment\":\"enough for today\"}");
    assertThat(canceled.statusCode()).as(canceled.body()).isEqualTo(200);
    assertThat(JobsRest.json(canceled).path("status").asText()).isEqualTo("CANCELED");
    assertThat(JobsRest.json(canceled).path("reasonCode").asText()).isEqualTo("enough for today");
    assertThat(JobsRest.json(canceled).has("completedAt")).isTrue();
    assertThat(api.post("/jobs/" + jobId + "/cancel", "").statusCode()).isEqualTo(409);
    assertThat(devicesOf(api, "/jobs?status=CANCELED", new ArrayList<>(), "jobs", "jobId"))
        .contains(jobId)
        .doesNotContain(filtered);
    await()
        .atMost(WAIT)
        .until(
            () ->
                devicesOf(api, "/jobs/" + jobId + "/executions?status=CANCELED", new ArrayList<>()),
            devices -> devices.equals(listed.subList(1, 3)));
  }

  @Test
  void badJobRequestsAreRefusedNamingWhatIsWrong() throws Exception {
    JobsRest api = new JobsRest(APPS.get(0), TOKENS.allScopes());
    HttpResponse<String> unknownField =
        api.post("/jobs", "{\"jobId\":\"bad\",\"document\":{},\"targets\":[\"a\"],\"colour\":1}");
    assertField(unknownField, 400, "colour");
    assertField(
        api.post("/jobs", "{\"jobId\":\"bad\",\"document\":{},\"targets\":[\"a\",\"b c\"]}"),
        400,
        "targets[1]");
    assertField(api.get("/jobs?limit=0"), 400, "limit");
    assertField(api.get("/jobs?limit=251"), 400, "limit");
    assertField(api.get("/jobs?nextToken=nonsense"), 400, "nextToken");
    assertField(api.get("/jobs?status=DONE"), 400, "status");
    assertField(api.get("/jobs/x/executions?status=DONE"), 400, "status");
    assertField(api.get("/devices/d1/jobs?limt=3"), 400, "limt");
    assertField(api.get("/jobs/bad%20id"), 400, "jobId");
    assertField(api.post("/jobs/nobody-" + RUN + "/cancel", "{\"why\":1}"), 400, "why");
    assertThat(api.get("/jobs/nobody-" + RUN).statusCode()).isEqualTo(404);
    assertThat(api.get("/jobs/nobody-" + RUN + "/executions").statusCode()).isEqualTo(404);
    assertThat(api.post("/jobs/nobody-" + RUN + "/cancel", "").statusCode()).isEqualTo(404);
    String huge = "x".repeat(700_000);
    assertThat(api.post("/jobs", "{\"description\":\"" + huge + "\"}").statusCode()).isEqualTo(413);

    HttpResponse<String> noToken = api.as(null).get("/jobs");
    assertThat(noToken.statusCode()).isEqualTo(401);
    HttpResponse<String> readOnly = api.as(TOKENS.bearer("jobs:read", null)).post("/jobs", "{}");
    assertThat(readOnly.statusCode()).isEqualTo(403);
    assertThat(readOnly.headers().firstValue("WWW-Authenticate").orElseThrow())
        .contains("scope=\"jobs:write\"");
    assertThat(api.as(TOKENS.bearer("jobs:read", "speaker-*")).get("/jobs").statusCode())
        .isEqualTo(403);
    assertThat(
            api.as(TOKENS.bearer("jobs:read", "speaker-*"))
                .get("/devices/speaker-" + RUN + "/jobs")
                .statusCode())
        .isEqualTo(200);
  }

  /**
   * Device ids in id order whose executions are kept by both instances (each has one partition of
   * the device side), so that a page of a job's executions is merged from both.
   */
  private static List<String> spreadOverInstances(String prefix, int count) {
    Set<HostInfo> hosts = new HashSet<>();
    for (StreamsMetadata instance :
        APPS.get(0).streams().streamsMetadataForStore(JobsTopology.DEVICE_JOBS_STORE)) {
      if (instance.stateStoreNames().contains(JobsTopology.DEVICE_JOBS_STORE)) {
        hosts.add(instance.hostInfo());
      }
    }
    List<String> ids = new ArrayList<>();
    Set<HostInfo> owners = new HashSet<>();
    for (int i = 0; ids.size() < count && i < 100; i++) {
      String id = String.format("%s-%02d", prefix, i);
      HostInfo owner =
          APPS.get(0)
              .streams()
              .queryMetadataForKey(JobsTopology.DEVICE_JOBS_STORE, id, Serdes.String().serializer())
              .activeHost();
      boolean last = ids.size() == count - 1;
      if (!last || owners.size() == hosts.size() || !owners.contains(owner)) {
        ids.add(id);
        owners.add(owner);
      }
    }
    assertThat(hosts).as("the instances with a partition of the device side").hasSize(2);
    assertThat(owners).as("the instances keeping the executions").isEqualTo(hosts);
    return ids;
  }

  private static void assertField(HttpResponse<String> answer, int status, String field)
      throws Exception {
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
    JsonNode body = JobsRest.json(answer);
    assertThat(body.path("code").asInt()).isEqualTo(status);
    assertThat(body.path("field").asText()).isEqualTo(field);
    assertThat(body.path("message").asText()).startsWith(field + ": ");
  }

  /** The device ids of every page of a job's executions, and the pages' tokens. */
  private static List<String> devicesOf(JobsRest api, String path, List<String> pages)
      throws Exception {
    return devicesOf(api, path, pages, "executions", "deviceId");
  }

  /** The ids of every page of a list, following its tokens; each page's size into pages. */
  private static List<String> devicesOf(
      JobsRest api, String path, List<String> pages, String field, String idField)
      throws Exception {
    pages.clear();
    List<String> ids = new ArrayList<>();
    String token = null;
    do {
      String separator = path.contains("?") ? "&" : "?";
      HttpResponse<String> answer =
          api.get(path + (token == null ? "" : separator + "nextToken=" + token));
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
      JsonNode page = JobsRest.json(answer);
      page.path(field).forEach(item -> ids.add(item.path(idField).asText()));
      pages.add(Integer.toString(page.path(field).size()));
      token = page.path("nextToken").asText(null);
    } while (token != null);
    return ids;
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

  /** Whether an instance holds the device's shadow in its store (each holds its partitions). */
  private static boolean hasShadow(String device) {
    for (StreamsApp app : APPS) {
      try {
        ReadOnlyKeyValueStore<String, DeviceShadow> shadows =
            app.streams()
                .store(
                    StoreQueryParameters.fromNameAndType(
                        ShadowTopology.SHADOW_STORE,
                        QueryableStoreTypes.<String, DeviceShadow>keyValueStore()));
        if (shadows.get(device) != null) {
          return true;
        }
      } catch (InvalidStateStoreException e) {
        // rebalancing: asked again
      }
    }
    return false;
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
