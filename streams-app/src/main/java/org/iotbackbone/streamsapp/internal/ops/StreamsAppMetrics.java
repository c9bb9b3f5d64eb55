package org.iotbackbone.streamsapp.internal.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.streams.KafkaStreams;
import org.iotbackbone.schemas.DeadLetterReason;
import org.iotbackbone.schemas.JobExecutionOperation;
import org.iotbackbone.schemas.JobExecutionStatus;
import org.iotbackbone.schemas.JobOperation;
import org.iotbackbone.schemas.JobStatus;
import org.iotbackbone.schemas.ShadowOperation;
import org.iotbackbone.schemas.topics.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streams app's metrics, in Prometheus form at {@code GET /metrics}; every meter is declared
 * here. Names (as Prometheus shows them):
 *
 * <ul>
 *   <li>{@code shadow_updates_total{operation,outcome,code}}: shadow requests answered, {@code
 *       outcome} {@code accepted} (code {@code ""}) or {@code rejected} with the rejection's code
 *       (400, 404, 409, 413, 415, 429), {@code operation} UPDATE, GET, DELETE or UNKNOWN; a
 *       redelivered request answered with its first answer counts as accepted;
 *   <li>{@code shadow_update_seconds} (histogram): from the request record's timestamp (when the
 *       bridge or the REST API produced it) to the new shadow stored, for requests that changed a
 *       shadow; the changelog and the answer are visible once the transaction commits, at most
 *       {@code commit.interval.ms} later;
 *   <li>{@code commands_total{status}}: commands that reached a status: PENDING (issued),
 *       DELIVERED, UNDELIVERED, ACCEPTED, SUCCEEDED, FAILED, REJECTED, and EXPIRED or TIMED_OUT
 *       (from the device or the bridge, or decided by the app's sweep);
 *   <li>{@code streams_deadletters_total{reason,origin}}: records sent to {@code iot.deadletter},
 *       by reason code and by origin, the input topic the record came from;
 *   <li>{@code jobs_requests_total{operation,outcome}}: job requests ({@code iot.job.requests}) the
 *       coordinator applied ({@code accepted}) or refused to the dead-letter topic ({@code
 *       refused}: invalid, a CREATE of a job id that exists, a CANCEL of a job that does not exist
 *       or is not IN_PROGRESS); {@code operation} CREATE, CANCEL or UNKNOWN;
 *   <li>{@code jobs_total{status}}: jobs that reached a status: IN_PROGRESS (created), COMPLETED,
 *       CANCELED (by a caller or by the abort criteria); {@code jobs_aborted_total}: those canceled
 *       by their abort criteria;
 *   <li>{@code job_notifications_total}: targets the rollouts notified (each one an execution
 *       created QUEUED and a notify-next to its device); its rate is the rollouts' aggregate rate;
 *   <li>{@code job_executions_total{status}}: executions that reached a status: QUEUED,
 *       IN_PROGRESS, SUCCEEDED, FAILED, REJECTED, TIMED_OUT, CANCELED, REMOVED;
 *   <li>{@code job_device_requests_total{operation,outcome,code}}: devices' job requests ({@code
 *       iot.job.execution.requests}) answered, {@code outcome} {@code accepted} (code {@code ""})
 *       or {@code rejected} with the code (400, 404, 409), {@code operation} START_NEXT, GET or
 *       UPDATE;
 *   <li>{@code streams_restore_remaining_records}: changelog offsets still to restore into this
 *       instance's stores (an upper bound of the records; 0 when nothing restores); {@code
 *       streams_restored_records_total}: records restored since start;
 *   <li>{@code streams_state}: 1 while Kafka Streams is RUNNING, else 0;
 *   <li>Micrometer's JVM and process binders ({@code jvm_memory_used_bytes}, {@code
 *       jvm_gc_pause_seconds}, {@code jvm_threads_live_threads}, {@code
 *       jvm_classes_loaded_classes}, {@code process_cpu_usage}, {@code system_cpu_usage}, {@code
 *       process_uptime_seconds}, ...);
 *   <li>Kafka Streams' and its clients' own metrics through Micrometer's {@link
 *       KafkaStreamsMetrics}: {@code kafka_consumer_fetch_manager_records_lag_max}, {@code
 *       kafka_stream_thread_commit_latency_avg}, {@code kafka_stream_thread_process_rate}, {@code
 *       kafka_stream_state_*} (RocksDB; the statistics-based ones need {@code
 *       metrics.recording.level=DEBUG}), {@code kafka_producer_*}, ... with the client's tags.
 * </ul>
 *
 * <p>The counters that processors increment count processing attempts: under exactly_once_v2 a
 * transaction that is aborted (a thread replaced after a failure, a task fenced in a rebalance)
 * processes its records again and counts them again, while its output is written once. They may run
 * a little ahead of the records on the output topics; rates are what to read from them.
 */
public final class StreamsAppMetrics implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(StreamsAppMetrics.class);

  /** The {@code code} of an accepted request: none (Prometheus treats it as no label). */
  static final String NO_CODE = "";

  private static final List<ShadowOperation> KNOWN_OPERATIONS =
      List.of(ShadowOperation.UPDATE, ShadowOperation.GET, ShadowOperation.DELETE);
  private static final List<String> KNOWN_COMMAND_STATUSES =
      List.of(
          "PENDING",
          "DELIVERED",
          "ACCEPTED",
          "SUCCEEDED",
          "FAILED",
          "REJECTED",
          "EXPIRED",
          "TIMED_OUT");

  /** The reasons the app's dead-letter handler gives. */
  private static final List<DeadLetterReason> KNOWN_REASONS =
      List.of(
          DeadLetterReason.DESERIALIZATION_FAILED,
          DeadLetterReason.INVALID_REQUEST,
          DeadLetterReason.INVALID_DEVICE_ID,
          DeadLetterReason.PROCESSING_FAILED,
          DeadLetterReason.WRITE_FAILED);

  /** The topology's input topics. */
  private static final List<String> INPUT_TOPICS =
      List.of(
          Topics.SHADOW_REQUESTS.name(),
          Topics.DEVICE_PRESENCE.name(),
          Topics.COMMANDS.name(),
          Topics.COMMAND_EVENTS.name(),
          Topics.JOB_REQUESTS.name(),
          Topics.JOB_EVENTS.name(),
          Topics.JOB_EXECUTION_REQUESTS.name());

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Timer shadowUpdate;
  private final Map<ShadowOperation, Counter> acceptedShadowUpdates = new ConcurrentHashMap<>();
  private final Counter jobNotifications;
  private final Counter jobsAborted;
  private final RestoreProgress restore;
  private final List<AutoCloseable> binders = new ArrayList<>();
  private KafkaStreamsMetrics kafka;
  private boolean closed;

  public StreamsAppMetrics() {
    shadowUpdate =
        Timer.builder("shadow.update")
            .description("From a shadow request's record timestamp to the new shadow stored")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(Duration.ofMinutes(1))
            .register(registry);
    Counter restored =
        Counter.builder("streams.restored.records")
            .description("Changelog records restored into this instance's stores since start")
            .register(registry);
    restore = new RestoreProgress(restored);
    // The label values known ahead start at 0, so that a panel or an alert on them reads 0, not
    // "no data", before the first one happens (Prometheus' advice for labelled counters).
    for (ShadowOperation operation : KNOWN_OPERATIONS) {
      shadowUpdates(operation, null);
    }
    KNOWN_COMMAND_STATUSES.forEach(this::commands);
    for (DeadLetterReason reason : KNOWN_REASONS) {
      INPUT_TOPICS.forEach(topic -> deadLetters(reason, topic));
    }
    for (JobOperation operation : List.of(JobOperation.CREATE, JobOperation.CANCEL)) {
      jobRequests(operation, true);
      jobRequests(operation, false);
    }
    for (JobStatus status : JobStatus.values()) {
      if (status != JobStatus.UNKNOWN) {
        jobs(status);
      }
    }
    for (JobExecutionStatus status : JobExecutionStatus.values()) {
      if (status != JobExecutionStatus.UNKNOWN) {
        jobExecutions(status);
      }
    }
    for (JobExecutionOperation operation : JobExecutionOperation.values()) {
      if (operation != JobExecutionOperation.UNKNOWN) {
        jobDeviceRequests(operation, null);
      }
    }
    jobNotifications =
        Counter.builder("job.notifications")
            .description("Targets the job rollouts notified (an execution created QUEUED each)")
            .register(registry);
    jobsAborted =
        Counter.builder("jobs.aborted")
            .description("Jobs canceled by their abort criteria")
            .register(registry);
    Gauge.builder("streams.restore.remaining.records", restore, RestoreProgress::remaining)
        .description("Changelog records still to restore into this instance's stores")
        .register(registry);
  }

  /** The registry, for tests and for binders of the process. */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** The Prometheus text exposition. */
  public String scrape() {
    return registry.scrape();
  }

  /** Registers the JVM and process metrics (once per process: they read process-wide beans). */
  public void bindJvm() {
    new JvmMemoryMetrics().bindTo(registry);
    JvmGcMetrics gc = new JvmGcMetrics();
    gc.bindTo(registry);
    binders.add(gc);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  /**
   * Registers Kafka Streams' and its clients' metrics, {@code streams_state}, and the restore
   * listener; call before {@code streams.start()} (Streams takes a restore listener only then).
   */
  public void bind(KafkaStreams streams) {
    streams.setGlobalStateRestoreListener(restore);
    // Micrometer's binder looks for new Kafka metrics once a minute. A rebalance makes tasks and
    // stores, whose metrics (end-to-end latency, RocksDB) would show a minute late: the binder is
    // made again each time Streams is RUNNING, so they are in the next scrape.
    streams.setStateListener(
        (now, before) -> {
          if (now == KafkaStreams.State.RUNNING) {
            bindKafka(streams);
          }
        });
    bindKafka(streams);
    Gauge.builder(
            "streams.state", streams, s -> s.state() == KafkaStreams.State.RUNNING ? 1.0 : 0.0)
        .description("1 while Kafka Streams is RUNNING, else 0")
        .register(registry);
  }

  private synchronized void bindKafka(KafkaStreams streams) {
    if (closed) {
      return;
    }
    if (kafka != null) {
      kafka.close(); // removes its meters; the new binder registers what exists now
    }
    kafka = new KafkaStreamsMetrics(streams);
    kafka.bindTo(registry);
  }

  /** A shadow request answered: accepted, or rejected with {@code code}. */
  public void shadowAnswered(ShadowOperation operation, Integer rejectedWith) {
    if (rejectedWith == null) {
      // The counter of every accepted update, looked up once: building and registering it again
      // for each answer was 1% of the stream thread (JFR, 2026-12-06).
      acceptedShadowUpdates
          .computeIfAbsent(
              operation == null ? ShadowOperation.UNKNOWN : operation,
              op -> shadowUpdates(op, null))
          .increment();
      return;
    }
    shadowUpdates(operation, rejectedWith).increment();
  }

  private Counter shadowUpdates(ShadowOperation operation, Integer rejectedWith) {
    return Counter.builder("shadow.updates")
        .description("Shadow requests answered, by operation, outcome and rejection code")
        .tag("operation", operation == null ? ShadowOperation.UNKNOWN.name() : operation.name())
        .tag("outcome", rejectedWith == null ? "accepted" : "rejected")
        .tag("code", rejectedWith == null ? NO_CODE : rejectedWith.toString())
        .register(registry);
  }

  /**
   * A request changed a shadow: its record had timestamp {@code recordMs}, stored at {@code nowMs}.
   */
  public void shadowWritten(long recordMs, long nowMs) {
    // A producer clock ahead of this one would make it negative: counted as 0, not dropped.
    shadowUpdate.record(Duration.ofMillis(Math.max(0, nowMs - recordMs)));
  }

  /** A command reached {@code status}. */
  public void command(String status) {
    commands(status).increment();
  }

  private Counter commands(String status) {
    return Counter.builder("commands")
        .description("Commands that reached each status")
        .tag("status", status.toUpperCase(Locale.ROOT))
        .register(registry);
  }

  /** A record of {@code inputTopic} (null: unknown) sent to the dead-letter topic. */
  public void deadLetter(DeadLetterReason reason, String inputTopic) {
    deadLetters(reason, inputTopic == null ? "unknown" : inputTopic).increment();
  }

  private Counter deadLetters(DeadLetterReason reason, String origin) {
    return Counter.builder("streams.deadletters")
        .description("Records sent to iot.deadletter, by reason and input topic")
        .tag("reason", reason.name())
        .tag("origin", origin)
        .register(registry);
  }

  /** A job request applied ({@code accepted}) or refused to the dead-letter topic. */
  public void jobRequest(JobOperation operation, boolean accepted) {
    jobRequests(operation, accepted).increment();
  }

  private Counter jobRequests(JobOperation operation, boolean accepted) {
    return Counter.builder("jobs.requests")
        .description("Job requests applied or refused, by operation")
        .tag("operation", operation == null ? JobOperation.UNKNOWN.name() : operation.name())
        .tag("outcome", accepted ? "accepted" : "refused")
        .register(registry);
  }

  /** A job reached {@code status}; {@code aborted} when its abort criteria canceled it. */
  public void job(JobStatus status, boolean aborted) {
    jobs(status).increment();
    if (aborted) {
      jobsAborted.increment();
    }
  }

  private Counter jobs(JobStatus status) {
    return Counter.builder("jobs")
        .description("Jobs that reached each status")
        .tag("status", status.name())
        .register(registry);
  }

  /** The rollouts notified {@code count} targets. */
  public void jobsNotified(int count) {
    jobNotifications.increment(count);
  }

  /** An execution reached {@code status}. */
  public void jobExecution(JobExecutionStatus status) {
    jobExecutions(status).increment();
  }

  private Counter jobExecutions(JobExecutionStatus status) {
    return Counter.builder("job.executions")
        .description("Job executions that reached each status")
        .tag("status", status.name())
        .register(registry);
  }

  /** A device's job request answered: accepted, or rejected with {@code code}. */
  public void jobDeviceAnswered(JobExecutionOperation operation, Integer rejectedWith) {
    jobDeviceRequests(operation, rejectedWith).increment();
  }

  private Counter jobDeviceRequests(JobExecutionOperation operation, Integer rejectedWith) {
    return Counter.builder("job.device.requests")
        .description("Devices' job requests answered, by operation, outcome and rejection code")
        .tag("operation", operation.name())
        .tag("outcome", rejectedWith == null ? "accepted" : "rejected")
        .tag("code", rejectedWith == null ? NO_CODE : rejectedWith.toString())
        .register(registry);
  }

  /** The sum of a counter's counts over all its tags, for tests and logs. */
  public double total(String name) {
    return registry.find(name).counters().stream().mapToDouble(Counter::count).sum();
  }

  /** A counter's current count (0 when it was never incremented), for tests and logs. */
  public double count(String name, String... tags) {
    Counter counter = registry.find(name).tags(tags).counter();
    return counter == null ? 0 : counter.count();
  }

  /** Stops the binders that hold resources (GC listeners, the Kafka metrics refresher). */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (kafka != null) {
      binders.add(kafka);
    }
    for (AutoCloseable binder : binders) {
      try {
        binder.close();
      } catch (Exception e) {
        // Closing metrics must not stop the app's shutdown.
        LOG.warn("closing a metrics binder failed: {}", e.toString());
      }
    }
    binders.clear();
    registry.close();
  }
}
