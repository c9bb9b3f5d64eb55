package org.iotbackbone.simulator.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.DoubleSupplier;
import org.iotbackbone.simulator.Count;
import org.iotbackbone.simulator.Rollout;

/**
 * One simulated device's side of fleet jobs (docs/design.md, the {@code devices/{id}/jobs/...}
 * topics): offered a job by a notify-next, it takes it with start-next (IN_PROGRESS), reports its
 * progress (an IN_PROGRESS update half way), and after the scenario's work time ends it SUCCEEDED
 * or FAILED, each update carrying the {@code expectedVersion} the last answer gave; a silent device
 * takes its job and never answers again. A job offered while it works on another is asked for when
 * that one has ended. A throttled request (429) is sent again a second later.
 *
 * <p>Pure logic over its two doors, what it publishes and what it schedules, so that the state
 * machine is tested against the documented payloads without a broker.
 */
final class DeviceJobs {

  /** Where the device's requests go: its MQTT client, at QoS 1. */
  interface Publisher {
    void publish(String topic, ObjectNode body);
  }

  /** Runs a task later: the fleet's scheduler. */
  interface Delays {
    void schedule(Runnable task, long millis);
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  /** How long a throttled device waits before it asks again. */
  static final long RETRY_MILLIS = 1_000;

  private final String id;
  private final String base;
  private final Rollout rollout;
  private final Publisher out;
  private final Delays delays;
  private final DoubleSupplier random;
  private final Metrics metrics;
  private final Set<String> offered = new HashSet<>();
  private long tokens;

  /** The job in hand, or null when idle. */
  private String current;

  private long version;
  private long workMillis;
  private String firmware;
  private boolean silent;

  /** The status of the last update sent, for its retry. */
  private String pendingStatus;

  /** A start-next is on its way. */
  private boolean asking;

  /** A job was offered while this device was busy: it asks for it when done. */
  private boolean offeredMeanwhile;

  /**
   * @param random draws from [0, 1): whether the device stays silent, fails, and how long it works
   */
  DeviceJobs(
      String id,
      Rollout rollout,
      Publisher out,
      Delays delays,
      DoubleSupplier random,
      Metrics metrics) {
    this.id = id;
    this.base = "devices/" + id + "/jobs/";
    this.rollout = rollout;
    this.out = out;
    this.delays = delays;
    this.random = random;
    this.metrics = metrics;
  }

  /** The topics the device subscribes to: notify-next and the answers to its requests. */
  List<String> topicFilters() {
    return List.of(base + "notify-next", base + "start-next/+", base + "+/update/+");
  }

  /** Whether a message on {@code topic} is for this side of the device. */
  boolean handles(String topic) {
    return topic.startsWith(base);
  }

  /** What the device reports before a job whose targets are a filter: its model and firmware. */
  static ObjectNode reportedBeforeTheJob(String runMark) {
    ObjectNode body = JSON.createObjectNode();
    ObjectNode reported = body.putObject("state").putObject("reported");
    reported.put("model", Rollout.MODEL);
    reported.put("firmware", Rollout.STARTING_FIRMWARE);
    reported.put(Rollout.RUN_FIELD, runMark);
    return body;
  }

  /** A message on one of {@link #topicFilters()}. */
  synchronized void onMessage(String topic, JsonNode body) {
    String rest = topic.substring(base.length());
    if (rest.equals("notify-next")) {
      onNotifyNext(body.path("execution"));
    } else if (rest.equals("start-next/accepted")) {
      onStarted(body.path("execution"));
    } else if (rest.equals("start-next/rejected")) {
      onStartRejected(body);
    } else if (rest.endsWith("/update/accepted")) {
      onUpdated(rest.substring(0, rest.indexOf('/')), body.path("executionState"));
    } else if (rest.endsWith("/update/rejected")) {
      onUpdateRejected(rest.substring(0, rest.indexOf('/')), body);
    }
  }

  private void onNotifyNext(JsonNode execution) {
    if (!execution.isObject()) {
      return; // {}: nothing pending, or the job in hand was canceled (it may still finish)
    }
    String jobId = execution.path("jobId").asText();
    if (offered.add(jobId)) {
      metrics.count(Count.JOBS_NOTIFIED);
    }
    if (current == null && !asking) {
      startNext();
    } else if (!jobId.equals(current)) {
      offeredMeanwhile = true;
    }
  }

  private void startNext() {
    asking = true;
    ObjectNode request = JSON.createObjectNode();
    request.putObject("statusDetails").put("step", "downloading");
    request.put("clientToken", token());
    out.publish(base + "start-next", request);
  }

  private void onStarted(JsonNode execution) {
    asking = false;
    if (!execution.isObject()) {
      // Nothing pending any more (canceled meanwhile): whatever was offered is gone too.
      offeredMeanwhile = false;
      return;
    }
    String jobId = execution.path("jobId").asText();
    if (current != null || !"IN_PROGRESS".equals(execution.path("status").asText())) {
      return;
    }
    current = jobId;
    version = execution.path("versionNumber").asLong();
    firmware = execution.path("jobDocument").path("firmware").asText(rollout.firmware());
    metrics.count(Count.JOBS_STARTED);
    if (random.getAsDouble() * 100 < rollout.silentPercent()) {
      silent = true;
      metrics.count(Count.JOBS_SILENT);
      return; // it never answers again, and takes no other job: the timeout's case
    }
    // From half to 1.5 times the work time; the progress report half way.
    workMillis = (long) (rollout.workMillis() * (0.5 + random.getAsDouble()));
    later(jobId, workMillis / 2, () -> update(jobId, "IN_PROGRESS", "installing"));
  }

  private void onStartRejected(JsonNode body) {
    asking = false;
    metrics.count(Count.JOBS_REJECTED);
    if (body.path("code").asInt() == 429) {
      delays.schedule(this::askAgain, RETRY_MILLIS);
    }
  }

  private synchronized void askAgain() {
    if (current == null && !asking) {
      startNext();
    }
  }

  private void onUpdated(String jobId, JsonNode state) {
    if (!jobId.equals(current)) {
      return;
    }
    version = state.path("versionNumber").asLong(version);
    String status = state.path("status").asText();
    if (status.equals("IN_PROGRESS")) {
      String end = random.getAsDouble() * 100 < rollout.failurePercent() ? "FAILED" : "SUCCEEDED";
      later(jobId, workMillis - workMillis / 2, () -> update(jobId, end, "done"));
    } else if (status.equals("SUCCEEDED") || status.equals("FAILED")) {
      metrics.count(status.equals("SUCCEEDED") ? Count.JOBS_SUCCEEDED : Count.JOBS_FAILED);
      if (status.equals("SUCCEEDED")) {
        ObjectNode report = JSON.createObjectNode();
        report.putObject("state").putObject("reported").put("firmware", firmware);
        out.publish("devices/" + id + "/shadow/update", report);
      }
      done();
    }
  }

  private void onUpdateRejected(String jobId, JsonNode body) {
    metrics.count(Count.JOBS_REJECTED);
    if (!jobId.equals(current)) {
      return;
    }
    if (body.path("code").asInt() == 429) {
      String status = pendingStatus;
      later(jobId, RETRY_MILLIS, () -> update(jobId, status, "retried"));
      return;
    }
    // 404, 409 (a final status, a version overtaken), 400: a retry changes nothing.
    metrics.count(Count.JOBS_ABANDONED);
    done();
  }

  private void update(String jobId, String status, String step) {
    pendingStatus = status;
    ObjectNode request = JSON.createObjectNode();
    request.put("status", status);
    request.putObject("statusDetails").put("step", step);
    request.put("expectedVersion", version);
    request.put("clientToken", token());
    out.publish(base + jobId + "/update", request);
  }

  /** Runs {@code step} after {@code millis} if the job is still in hand then. */
  private void later(String jobId, long millis, Runnable step) {
    delays.schedule(
        () -> {
          synchronized (this) {
            if (jobId.equals(current) && !silent) {
              step.run();
            }
          }
        },
        millis);
  }

  private void done() {
    current = null;
    if (offeredMeanwhile) {
      offeredMeanwhile = false;
      startNext();
    }
  }

  private String token() {
    return id.length() > 40 ? "j" + ++tokens : id + "-j" + ++tokens;
  }
}
