package org.iotbackbone.streamsapp;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.iotbackbone.schemas.AbortCriterion;
import org.iotbackbone.schemas.DeadLetter;
import org.iotbackbone.schemas.DeviceJobExecutions;
import org.iotbackbone.schemas.DeviceShadow;
import org.iotbackbone.schemas.ExponentialRate;
import org.iotbackbone.schemas.Job;
import org.iotbackbone.schemas.JobAbortAction;
import org.iotbackbone.schemas.JobDefinition;
import org.iotbackbone.schemas.JobEvent;
import org.iotbackbone.schemas.JobExecution;
import org.iotbackbone.schemas.JobExecutionOperation;
import org.iotbackbone.schemas.JobExecutionRequest;
import org.iotbackbone.schemas.JobFailureType;
import org.iotbackbone.schemas.JobOperation;
import org.iotbackbone.schemas.JobRequest;
import org.iotbackbone.schemas.JobResponse;
import org.iotbackbone.schemas.JobResponseType;
import org.iotbackbone.schemas.JobRollout;
import org.iotbackbone.schemas.JobStatusChange;
import org.iotbackbone.schemas.PresenceEvent;
import org.iotbackbone.schemas.PresenceStatus;
import org.iotbackbone.schemas.RequestSource;
import org.iotbackbone.schemas.ShadowOperation;
import org.iotbackbone.schemas.ShadowRequest;
import org.iotbackbone.schemas.topics.Topics;
import org.iotbackbone.streamsapp.internal.json.Json;
import org.iotbackbone.streamsapp.internal.ops.StreamsAppMetrics;

/** The production topology (shadows and jobs) in a TopologyTestDriver, with job helpers. */
final class JobsDriver implements AutoCloseable {

  static final Instant START = Instant.parse("2026-12-06T00:00:00Z");
  static final String DOCUMENT = "{\"firmware\":\"2.4.0\",\"url\":\"https://fw.example/2.4.0\"}";

  final TopologyTestDriver driver;
  final TestInputTopic<String, JobRequest> jobRequests;
  final TestInputTopic<String, JobExecutionRequest> executionRequests;
  final TestInputTopic<String, ShadowRequest> shadowRequests;
  final TestInputTopic<String, JobEvent> events;
  final TestInputTopic<String, PresenceEvent> presence;
  final TestOutputTopic<String, Job> jobs;
  final TestOutputTopic<String, JobStatusChange> statusChanges;
  final TestOutputTopic<String, DeviceJobExecutions> executions;
  final TestOutputTopic<String, JobResponse> responses;
  final TestOutputTopic<String, DeadLetter> deadLetters;
  private final Path stateDir;
  final StreamsAppMetrics metrics = new StreamsAppMetrics();

  JobsDriver() {
    JobsSerdes serdes = jobsSerdes();
    ShadowSerdes shadowSerdes = PlainAvroSerde.shadowSerdes();
    try {
      stateDir = Files.createTempDirectory("jobs-driver");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    driver =
        new TopologyTestDriver(
            JobsTopology.build(
                shadowSerdes,
                ShadowLimits.defaults(),
                CommandLimits.defaults(),
                serdes,
                JobLimits.defaults(),
                metrics),
            ShadowDriver.driverProperties("jobs-test", stateDir, metrics),
            START);
    StringSerializer keys = new StringSerializer();
    jobRequests =
        driver.createInputTopic(Topics.JOB_REQUESTS.name(), keys, serdes.requests().serializer());
    executionRequests =
        driver.createInputTopic(
            Topics.JOB_EXECUTION_REQUESTS.name(), keys, serdes.executionRequests().serializer());
    shadowRequests =
        driver.createInputTopic(
            Topics.SHADOW_REQUESTS.name(), keys, shadowSerdes.requests().serializer());
    events = driver.createInputTopic(Topics.JOB_EVENTS.name(), keys, serdes.events().serializer());
    presence =
        driver.createInputTopic(
            Topics.DEVICE_PRESENCE.name(), keys, shadowSerdes.presence().serializer());
    var strings = Serdes.String().deserializer();
    jobs = driver.createOutputTopic(Topics.JOBS.name(), strings, serdes.jobs().deserializer());
    statusChanges =
        driver.createOutputTopic(
            Topics.JOB_STATUS.name(), strings, serdes.statusChanges().deserializer());
    executions =
        driver.createOutputTopic(
            Topics.JOB_EXECUTIONS.name(), strings, serdes.executions().deserializer());
    responses =
        driver.createOutputTopic(
            Topics.JOB_RESPONSES.name(), strings, serdes.responses().deserializer());
    deadLetters =
        driver.createOutputTopic(
            Topics.DEAD_LETTER.name(),
            strings,
            new PlainAvroSerde<>(DeadLetter.class).deserializer());
  }

  static JobsSerdes jobsSerdes() {
    return new JobsSerdes(
        new PlainAvroSerde<>(JobRequest.class),
        new PlainAvroSerde<>(Job.class),
        new PlainAvroSerde<>(JobStatusChange.class),
        new PlainAvroSerde<>(JobEvent.class),
        new PlainAvroSerde<>(JobExecutionRequest.class),
        new PlainAvroSerde<>(DeviceJobExecutions.class),
        new PlainAvroSerde<>(JobResponse.class));
  }

  // ---- job definitions

  static JobDefinition.Builder job(String jobId, List<String> targets) {
    return JobDefinition.newBuilder()
        .setJobId(jobId)
        .setDocument(DOCUMENT)
        .setTargets(targets)
        .setAbortCriteria(List.of());
  }

  static List<String> devices(String prefix, int count) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ids.add(String.format("%s-%04d", prefix, i));
    }
    return ids;
  }

  static JobRollout constant(int perMinute) {
    return JobRollout.newBuilder().setMaximumPerMinute(perMinute).build();
  }

  static JobRollout exponential(int base, double factor, Integer notified, Integer succeeded) {
    return JobRollout.newBuilder()
        .setExponentialRate(
            ExponentialRate.newBuilder()
                .setBaseRatePerMinute(base)
                .setIncrementFactor(factor)
                .setNumberOfNotifiedThings(notified)
                .setNumberOfSucceededThings(succeeded)
                .build())
        .build();
  }

  static AbortCriterion abortAt(JobFailureType type, double percent, int minExecuted) {
    return AbortCriterion.newBuilder()
        .setFailureType(type)
        .setAction(JobAbortAction.CANCEL)
        .setThresholdPercentage(percent)
        .setMinNumberOfExecutedThings(minExecuted)
        .build();
  }

  // ---- inputs

  void create(JobDefinition definition) {
    jobRequests.pipeInput(
        definition.getJobId(),
        JobRequest.newBuilder()
            .setRequestId(UUID.randomUUID().toString())
            .setJobId(definition.getJobId())
            .setOperation(JobOperation.CREATE)
            .setDefinition(definition)
            .setRequestedAt(now())
            .build());
  }

  void cancel(String jobId, String comment) {
    jobRequests.pipeInput(
        jobId,
        JobRequest.newBuilder()
            .setRequestId(UUID.randomUUID().toString())
            .setJobId(jobId)
            .setOperation(JobOperation.CANCEL)
            .setComment(comment)
            .setRequestedAt(now())
            .build());
  }

  JobExecutionRequest deviceRequest(
      String device, JobExecutionOperation operation, String jobId, String document) {
    JobExecutionRequest request =
        JobExecutionRequest.newBuilder()
            .setRequestId(UUID.randomUUID().toString())
            .setDeviceId(device)
            .setOperation(operation)
            .setJobId(jobId)
            .setDocument(document)
            .setSource(RequestSource.DEVICE)
            .setRequestedAt(now())
            .build();
    executionRequests.pipeInput(device, request);
    return request;
  }

  void startNext(String device) {
    deviceRequest(device, JobExecutionOperation.START_NEXT, null, null);
  }

  void update(String device, String jobId, String status) {
    deviceRequest(device, JobExecutionOperation.UPDATE, jobId, "{\"status\":\"" + status + "\"}");
  }

  /** The device takes its next job and ends it with this status. */
  void finish(String device, String jobId, String status) {
    startNext(device);
    update(device, jobId, status);
  }

  void reported(String device, String reportedJson) {
    shadowRequests.pipeInput(
        device,
        ShadowRequest.newBuilder()
            .setRequestId(UUID.randomUUID().toString())
            .setDeviceId(device)
            .setOperation(ShadowOperation.UPDATE)
            .setSource(RequestSource.DEVICE)
            .setDocument("{\"state\":{\"reported\":" + reportedJson + "}}")
            .setRequestedAt(now())
            .build());
  }

  void offline(String device) {
    presence.pipeInput(
        device,
        PresenceEvent.newBuilder()
            .setDeviceId(device)
            .setStatus(PresenceStatus.DISCONNECTED)
            .setBroker("broker-1")
            .setOccurredAt(now())
            .build());
  }

  boolean connected(String device) {
    KeyValueStore<String, DeviceShadow> store =
        driver.getKeyValueStore(ShadowTopology.SHADOW_STORE);
    DeviceShadow shadow = store.get(device);
    return shadow != null && shadow.getPresence() != null && shadow.getPresence().getConnected();
  }

  /** One tick of the wall clock (the coordinator paces once a second). */
  void tick() {
    driver.advanceWallClockTime(Duration.ofSeconds(1));
  }

  void ticks(int count) {
    for (int i = 0; i < count; i++) {
      tick();
    }
  }

  Instant now() {
    return START;
  }

  // ---- outputs and state

  /** Responses of one type, drained together with all others (read the others first if needed). */
  static List<JobResponse> ofType(List<JobResponse> all, JobResponseType type) {
    return all.stream().filter(r -> r.getType() == type).toList();
  }

  Job job(String jobId) {
    KeyValueStore<String, Job> store = driver.getKeyValueStore(JobsTopology.JOBS_STORE);
    return store.get(jobId);
  }

  JobExecution execution(String device, String jobId) {
    KeyValueStore<String, DeviceJobExecutions> store =
        driver.getKeyValueStore(JobsTopology.DEVICE_JOBS_STORE);
    DeviceJobExecutions all = store.get(device);
    if (all == null) {
      return null;
    }
    return all.getExecutions().stream()
        .filter(e -> e.getJobId().equals(jobId))
        .findFirst()
        .orElse(null);
  }

  static JsonNode json(String text) {
    try {
      return Json.parse(text);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Override
  public void close() {
    driver.close();
    metrics.close();
    try (var files = Files.walk(stateDir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (java.io.IOException e) {
      // a temp dir left behind is harmless
    }
  }
}
