package org.iotbackbone.streamsapp.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.iotbackbone.schemas.Job;
import org.iotbackbone.schemas.JobDefinition;
import org.iotbackbone.schemas.JobExecutionOperation;
import org.iotbackbone.schemas.JobExecutionRequest;
import org.iotbackbone.schemas.JobOperation;
import org.iotbackbone.schemas.JobRequest;
import org.iotbackbone.schemas.JobResponse;
import org.iotbackbone.schemas.JobResponseType;
import org.iotbackbone.schemas.JobRollout;
import org.iotbackbone.schemas.JobStatus;
import org.iotbackbone.schemas.RequestSource;
import org.iotbackbone.schemas.serde.RegistryConfig;
import org.iotbackbone.schemas.topics.TopicSetup;
import org.iotbackbone.schemas.topics.Topics;
import org.iotbackbone.servers.CpuTime;
import org.iotbackbone.servers.KafkaBroker;
import org.iotbackbone.servers.SchemaRegistry;
import org.iotbackbone.servers.ServerOptions;
import org.iotbackbone.streamsapp.JobLimits;
import org.iotbackbone.streamsapp.JobsSerdes;
import org.iotbackbone.streamsapp.StreamsApp;
import org.iotbackbone.streamsapp.StreamsAppConfig;
import org.iotbackbone.streamsapp.internal.auth.TestTokens;

/**
 * The jobs benchmark (not a test; streams-app/README.md gives the command, docs/benchmarks.md the
 * figures). Like {@link ShadowBenchmark} it starts its own Kafka broker and registry and runs the
 * real {@link StreamsApp} ({@code exactly_once_v2}, default settings, 4 partitions); every figure
 * is read where a downstream consumer reads it ({@code read_committed}), with the CPU time of this
 * JVM (the app, and the benchmark's producer and readers) and of the servers.
 *
 * <ol>
 *   <li>shadows: one shadow update for each of {@code devices} devices, produced ahead, then
 *       processed: the shadow topology's rate in this run, the yardstick of the rest;
 *   <li>a job over {@code devices} targets: a filter that matches every shadow; from the CREATE
 *       produced to the job on {@code iot.jobs} with its targets resolved and counted; then its
 *       cancel (every target not notified yet dropped) to CANCELED on {@code iot.jobs};
 *   <li>rollout: {@code jobs} jobs at once, each listing its share of the devices and rolling out
 *       at the most a job may (1,000 per minute): offered {@code jobs} x 1,000 per minute in all,
 *       the notifications per second the service holds (notify-nexts on {@code iot.job.responses},
 *       from the 10th to the 90th percentile of their arrivals);
 *   <li>executions: every device's START_NEXT and UPDATE SUCCEEDED produced straight to {@code
 *       iot.job.execution.requests} as fast as the producer goes; answers per second (first to last
 *       accepted answer), and the time until every job is COMPLETED on {@code iot.jobs}.
 * </ol>
 *
 * <p>Run: {@code ./mvnw -Pbench -pl streams-app -am test-compile -DskipTests
 * -Dbench.main=org.iotbackbone.streamsapp.bench.JobsBenchmark -Dbench.args="DEVICES JOBS"} (default
 * {@code 100000 1000}: together the jobs offer more than the service holds here).
 */
public final class JobsBenchmark {

  private static final int PARTITIONS = 4;
  private static final Duration PHASE_LIMIT = Duration.ofMinutes(20);
  private static final String FILTER_JOB = "bench-filter";
  private static final String ROLLOUT_JOB = "bench-roll-";
  private static final String DOCUMENT = "{\"firmware\":\"2.4.0\",\"url\":\"https://fw.example/\"}";

  private JobsBenchmark() {}

  public static void main(String[] args) throws Exception {
    int devices = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int jobCount = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
    if (devices % jobCount != 0) {
      throw new IllegalArgumentException("DEVICES must be a multiple of JOBS");
    }
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
      }
      RegistryConfig registryConfig = RegistryConfig.of(registry.apicurioApiUrl());
      // {"temp":..,"on":true} reported by each device: the filter "on = true" matches them all.
      ShadowBenchmark.Requests shadows = new ShadowBenchmark.Requests(bootstrap, registryConfig);
      shadows.produce("dev", devices, devices, 0);
      JobsSerdes serdes = JobsSerdes.registry(registryConfig);
      Path stateDir = Files.createTempDirectory("jobs-bench");
      try (StreamsApp app = app(bootstrap, registry, stateDir);
          Producer producer = new Producer(bootstrap, serdes);
          ShadowBenchmark.OutputReader shadowOut =
              new ShadowBenchmark.OutputReader(bootstrap, Topics.SHADOW_STATE.name());
          Reader jobsOut = new Reader(bootstrap, Topics.JOBS.name())) {
        app.start(Duration.ofMinutes(5));
        ShadowBenchmark.Result shadowRate = shadowOut.await(devices, null);
        System.out.println(line("shadow updates (backlog)", shadowRate));

        // 2. One job over every device, by a filter.
        Map<String, Job> jobs = new HashMap<>();
        Consumer<ConsumerRecord<String, byte[]>> keepJob =
            r -> jobs.put(r.key(), serdes.jobs().deserializer().deserialize(r.topic(), r.value()));
        Phase resolve = Phase.start();
        producer.create(
            definition(FILTER_JOB, List.of())
                .setTargetFilter("on = true")
                .setRollout(JobRollout.newBuilder().setMaximumPerMinute(1000).build())
                .build());
        jobsOut.until(keepJob, () -> resolved(jobs.get(FILTER_JOB)));
        resolve = resolve.end(jobs.get(FILTER_JOB).getProcessDetails().getNumberOfTargets());
        System.out.println(phaseLine("job resolved over its filter (targets)", resolve));
        Phase cancel = Phase.start();
        producer.cancel(FILTER_JOB);
        jobsOut.until(keepJob, () -> jobs.get(FILTER_JOB).getStatus() == JobStatus.CANCELED);
        Job canceled = jobs.get(FILTER_JOB);
        cancel =
            cancel.end(
                canceled.getProcessDetails().getNumberOfTargets()
                    - canceled.getProcessDetails().getNumberOfNotifiedThings());
        System.out.println(phaseLine("job canceled (targets never notified)", cancel));

        // 3. Many jobs at once, each at the most a job may notify.
        int share = devices / jobCount;
        Rollout rollout;
        Executions executions;
        try (Reader responsesOut = new Reader(bootstrap, Topics.JOB_RESPONSES.name())) {
          Phase notify = Phase.start();
          for (int j = 0; j < jobCount; j++) {
            List<String> targets = new ArrayList<>(share);
            for (int i = 0; i < share; i++) {
              targets.add("dev-" + (j * share + i));
            }
            producer.create(definition(ROLLOUT_JOB + j, targets).build());
          }
          producer.flush();
          Set<String> notified = new HashSet<>();
          long[] arrivals = new long[devices];
          JobResponseCounter responses = new JobResponseCounter(serdes);
          responsesOut.until(
              r -> {
                JobResponse response = responses.read(r);
                if (response.getType() == JobResponseType.NOTIFY_NEXT
                    && response.getPayload().contains("\"jobId\":\"" + ROLLOUT_JOB)
                    && notified.add(response.getDeviceId())) {
                  arrivals[notified.size() - 1] = System.nanoTime();
                }
              },
              () -> notified.size() >= devices);
          notify = notify.end(devices);
          rollout = new Rollout(notify, arrivals, jobCount);
          System.out.println(rollout.line());

          // 4. Every device starts and succeeds.
          Phase drive = Phase.start();
          for (int d = 0; d < devices; d++) {
            String device = "dev-" + d;
            String job = ROLLOUT_JOB + (d / share);
            producer.deviceRequest(device, JobExecutionOperation.START_NEXT, null, "{}");
            producer.deviceRequest(
                device,
                JobExecutionOperation.UPDATE,
                job,
                "{\"status\":\"SUCCEEDED\",\"expectedVersion\":2}");
          }
          producer.flush();
          double producedSeconds = drive.seconds();
          long[] answered = new long[2 * devices];
          int[] counts = new int[3]; // accepted, rejected, accepted UPDATEs
          responsesOut.until(
              r -> {
                JobResponse response = responses.read(r);
                if (response.getType() == JobResponseType.NOTIFY_NEXT) {
                  return;
                }
                if (counts[0] + counts[1] < answered.length) {
                  answered[counts[0] + counts[1]] = System.nanoTime();
                }
                if (response.getType() == JobResponseType.ACCEPTED) {
                  counts[0]++;
                  if (response.getOperation() == JobExecutionOperation.UPDATE) {
                    counts[2]++;
                  }
                } else {
                  counts[1]++;
                }
              },
              () -> counts[0] + counts[1] >= 2 * devices);
          Phase answers = drive.end(2L * devices);
          jobsOut.until(keepJob, () -> completed(jobs, jobCount) == jobCount);
          Phase done = drive.end(devices);
          executions =
              new Executions(answers, done, answered, counts[0], counts[1], producedSeconds);
          System.out.println(executions.line());
        }
        report(devices, jobCount, shadowRate, resolve, cancel, rollout, executions);
      }
    }
    System.exit(0);
  }

  private static boolean resolved(Job job) {
    return job != null && job.getTargetsResolved();
  }

  private static int completed(Map<String, Job> jobs, int jobCount) {
    int completed = 0;
    for (int j = 0; j < jobCount; j++) {
      Job job = jobs.get(ROLLOUT_JOB + j);
      if (job != null && job.getStatus() == JobStatus.COMPLETED) {
        completed++;
      }
    }
    return completed;
  }

  private static JobDefinition.Builder definition(String jobId, List<String> targets) {
    return JobDefinition.newBuilder()
        .setJobId(jobId)
        .setDocument(DOCUMENT)
        .setTargets(targets)
        .setAbortCriteria(List.of());
  }

  private static void report(
      int devices,
      int jobCount,
      ShadowBenchmark.Result shadowRate,
      Phase resolve,
      Phase cancel,
      Rollout rollout,
      Executions executions) {
    System.out.println();
    System.out.printf(
        "%d devices, %d rollout jobs, exactly_once_v2, commit.interval.ms default, %d partitions%n",
        devices, jobCount, PARTITIONS);
    System.out.println(line("shadow updates (backlog)", shadowRate));
    System.out.println(phaseLine("job resolved over its filter (targets)", resolve));
    System.out.println(phaseLine("job canceled (targets never notified)", cancel));
    System.out.println(rollout.line());
    System.out.println(executions.line());
    System.out.printf(
        "notifications/shadow updates: %.2f of the rate; executions (start-next + update)/shadow"
            + " updates: %.2f%n",
        rollout.heldPerSecond() / shadowRate.perSecond(),
        executions.executionsPerSecond() / shadowRate.perSecond());
  }

  private static String line(String what, ShadowBenchmark.Result result) {
    return String.format(
        "%-44s %8.0f records/s  CPU per record: app JVM %.0f us, servers %.0f us",
        what, result.perSecond(), result.appMicrosPerRecord(), result.serverMicrosPerRecord());
  }

  private static String phaseLine(String what, Phase phase) {
    return String.format(
        "%-44s %8.1f s for %d  CPU per item: app JVM %.0f us, servers %.0f us",
        what,
        phase.seconds(),
        phase.items(),
        phase.appMicrosPerItem(),
        phase.serverMicrosPerItem());
  }

  private static StreamsApp app(String bootstrap, SchemaRegistry registry, Path stateDir) {
    Map<String, Object> settings = new HashMap<>();
    settings.put(StreamsAppConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    settings.put(StreamsAppConfig.SCHEMA_REGISTRY_URL_CONFIG, registry.apicurioApiUrl());
    settings.put(
        StreamsAppConfig.APPLICATION_ID_CONFIG,
        "jobs-bench-" + UUID.randomUUID().toString().substring(0, 8));
    settings.put(StreamsAppConfig.STATE_DIR_CONFIG, stateDir.toString());
    settings.put(StreamsAppConfig.HTTP_HOST_CONFIG, "127.0.0.1");
    settings.put(StreamsAppConfig.HTTP_PORT_CONFIG, "0");
    settings.put(StreamsAppConfig.TOPICS_REPLICATION_FACTOR_CONFIG, "1");
    settings.put(StreamsAppConfig.NUM_STANDBY_REPLICAS_CONFIG, "0");
    settings.putAll(new TestTokens().settings(stateDir));
    return new StreamsApp(new StreamsAppConfig(settings));
  }

  /** A span of wall-clock and CPU time over some items. */
  record Phase(long startNanos, CpuTime startCpu, long endNanos, CpuTime endCpu, long items) {
    static Phase start() {
      return new Phase(System.nanoTime(), CpuTime.now(), 0, null, 0);
    }

    Phase end(long count) {
      return new Phase(startNanos, startCpu, System.nanoTime(), CpuTime.now(), count);
    }

    double seconds() {
      return ((endCpu == null ? System.nanoTime() : endNanos) - startNanos) / 1e9;
    }

    double appMicrosPerItem() {
      return endCpu.selfMicrosPer(startCpu, Math.max(1, items));
    }

    double serverMicrosPerItem() {
      return endCpu.serverMicrosPer(startCpu, Math.max(1, items));
    }
  }

  /** The rollout phase: notifications per second, held between the 10th and 90th percentile. */
  record Rollout(Phase phase, long[] arrivals, int jobCount) {
    double heldPerSecond() {
      return steadyRate(arrivals, arrivals.length);
    }

    String line() {
      double offered = jobCount * JobLimits.MAX_RATE_PER_MINUTE / 60.0;
      return String.format(
          "rollout: %d jobs offered %.0f/s: %d notified in %.1f s, held %.0f/s (10th-90th"
              + " percentile)  CPU per notification: app JVM %.0f us, servers %.0f us",
          jobCount,
          offered,
          phase.items(),
          phase.seconds(),
          heldPerSecond(),
          phase.appMicrosPerItem(),
          phase.serverMicrosPerItem());
    }
  }

  /** The executions phase: devices' answers per second and the time to every job COMPLETED. */
  record Executions(
      Phase answers,
      Phase done,
      long[] arrivals,
      int accepted,
      int rejected,
      double producedSeconds) {
    double answersPerSecond() {
      return steadyRate(arrivals, accepted + rejected);
    }

    double executionsPerSecond() {
      return answersPerSecond() / 2;
    }

    String line() {
      return String.format(
          "executions: %d requests produced in %.1f s; %d accepted, %d rejected, answered in %.1f"
              + " s, %.0f answers/s (10th-90th percentile); every job COMPLETED after %.1f s"
              + "  CPU per execution (2 requests): app JVM %.0f us, servers %.0f us",
          answers.items(),
          producedSeconds,
          accepted,
          rejected,
          answers.seconds(),
          answersPerSecond(),
          done.seconds(),
          done.appMicrosPerItem(),
          done.serverMicrosPerItem());
    }
  }

  /** Items per second between the arrivals of the 10th and the 90th percentile. */
  static double steadyRate(long[] arrivals, int count) {
    long[] seen = Arrays.copyOf(arrivals, count);
    int low = count / 10;
    int high = Math.max(low + 1, count * 9 / 10) - 1;
    return (high - low) * 1e9 / Math.max(1, seen[high] - seen[low]);
  }

  /** Reads JobResponses. */
  private record JobResponseCounter(JobsSerdes serdes) {
    JobResponse read(ConsumerRecord<String, byte[]> record) {
      return serdes.responses().deserializer().deserialize(record.topic(), record.value());
    }
  }

  /** Job requests and device requests, as the REST API and the bridge produce them. */
  private static final class Producer implements AutoCloseable {
    private final KafkaProducer<String, byte[]> producer;
    private final JobsSerdes serdes;

    Producer(String bootstrap, JobsSerdes serdes) {
      this.serdes = serdes;
      Map<String, Object> props = new HashMap<>();
      props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      props.put(ProducerConfig.ACKS_CONFIG, "all");
      props.put(ProducerConfig.LINGER_MS_CONFIG, 1);
      props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
      props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4 * 1024 * 1024);
      producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    void create(JobDefinition definition) {
      job(definition.getJobId(), JobOperation.CREATE, definition);
    }

    void cancel(String jobId) {
      job(jobId, JobOperation.CANCEL, null);
    }

    private void job(String jobId, JobOperation operation, JobDefinition definition) {
      String topic = Topics.JOB_REQUESTS.name();
      JobRequest request =
          JobRequest.newBuilder()
              .setRequestId(UUID.randomUUID().toString())
              .setJobId(jobId)
              .setOperation(operation)
              .setDefinition(definition)
              .setRequestedAt(Instant.now())
              .build();
      producer.send(
          new ProducerRecord<>(
              topic, jobId, serdes.requests().serializer().serialize(topic, request)));
      producer.flush();
    }

    void deviceRequest(
        String device, JobExecutionOperation operation, String jobId, String document) {
      String topic = Topics.JOB_EXECUTION_REQUESTS.name();
      JobExecutionRequest request =
          JobExecutionRequest.newBuilder()
              .setRequestId(UUID.randomUUID().toString())
              .setDeviceId(device)
              .setOperation(operation)
              .setJobId(jobId)
              .setDocument(document)
              .setSource(RequestSource.DEVICE)
              .setRequestedAt(Instant.now())
              .build();
      producer.send(
          new ProducerRecord<>(
              topic, device, serdes.executionRequests().serializer().serialize(topic, request)));
    }

    void flush() {
      producer.flush();
    }

    @Override
    public void close() {
      producer.close();
    }
  }

  /** Reads a topic from its end as a downstream consumer would (read_committed). */
  private static final class Reader implements AutoCloseable {
    private final KafkaConsumer<String, byte[]> consumer;
    private final String topic;

    Reader(String bootstrap, String topic) {
      this.topic = topic;
      Map<String, Object> props = new HashMap<>();
      props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
      consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(info -> new TopicPartition(info.topic(), info.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToEnd(partitions);
      partitions.forEach(consumer::position);
    }

    /** Hands every record to {@code each} until {@code done}; fails after the phase limit. */
    void until(Consumer<ConsumerRecord<String, byte[]>> each, Supplier<Boolean> done) {
      long deadline = System.nanoTime() + PHASE_LIMIT.toNanos();
      while (!done.get()) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("no end on " + topic + " after " + PHASE_LIMIT);
        }
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
          if (record.value() != null) {
            each.accept(record);
          }
        }
      }
    }

    @Override
    public void close() {
      consumer.close();
    }
  }
}
