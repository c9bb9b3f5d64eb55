package org.iotbackbone.simulator.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.iotbackbone.simulator.Rollout;

/**
 * The fleet job of a rollout run, seen from the REST API as a cloud integration sees it: created
 * with {@code POST /jobs} from the scenario's {@link Rollout} settings, then described with {@code
 * GET /jobs/{id}} once a second, each answer kept (its status, reasonCode and jobProcessDetails)
 * for the report's plot beside what the devices did.
 */
public final class JobRun {

  private static final ObjectMapper JSON = new ObjectMapper();
  // How long a job the app sheds (503) is sent again before the run gives up: the app answers 503
  // while it starts, rebalances or is overloaded, each a matter of seconds.
  private static final Duration CREATE_PATIENCE = Duration.ofSeconds(30);

  /**
   * The counts of {@code jobProcessDetails} by execution status, in the report's order (beside
   * them: {@code numberOfTargets} and {@code numberOfNotifiedThings}).
   */
  public static final List<String> COUNTS =
      List.of(
          "numberOfQueuedThings",
          "numberOfInProgressThings",
          "numberOfSucceededThings",
          "numberOfFailedThings",
          "numberOfRejectedThings",
          "numberOfTimedOutThings",
          "numberOfCanceledThings",
          "numberOfRemovedThings");

  private final RestApi rest;
  private final String jobId;
  private final String body;
  private final long startNanos;
  private final List<ObjectNode> snapshots = new ArrayList<>();
  private volatile JsonNode last;
  private volatile long createdAtMillis = -1;
  private volatile String lastError;
  private ScheduledExecutorService poller;

  /**
   * @param authorization the {@code Authorization} header ({@code Bearer <token>}), or null
   * @param body the job's {@code POST /jobs} body ({@link #body})
   * @param startNanos the run's start ({@link System#nanoTime()}), from which the snapshots' times
   *     count
   */
  public JobRun(String restUrl, String authorization, String jobId, String body, long startNanos) {
    this.rest = new RestApi(restUrl, authorization);
    this.jobId = jobId;
    this.body = body;
    this.startNanos = startNanos;
  }

  /**
   * The {@code POST /jobs} body of a rollout: its targets are {@code devices} (listed), or the
   * settings' filter and the run's own devices ({@code RUN_FIELD = runMark}) when it has one.
   */
  public static String body(
      Rollout rollout, String jobId, String runMark, List<String> devices, String description) {
    ObjectNode job = JSON.createObjectNode();
    job.put("jobId", jobId);
    job.put("description", description);
    ObjectNode document = job.putObject("document");
    document.put("operation", "firmware-update");
    document.put("model", Rollout.MODEL);
    document.put("firmware", rollout.firmware());
    document.put(
        "url", "https://firmware.invalid/" + Rollout.MODEL + "/" + rollout.firmware() + ".bin");
    if (rollout.listsTargets()) {
      ArrayNode targets = job.putArray("targets");
      devices.forEach(targets::add);
    } else {
      job.put(
          "targetFilter",
          "(" + rollout.targetFilter() + ") and " + Rollout.RUN_FIELD + " = \"" + runMark + "\"");
    }
    ObjectNode rolloutConfig = job.putObject("jobExecutionsRolloutConfig");
    if (rollout.incrementFactor() == 0) {
      rolloutConfig.put("maximumPerMinute", rollout.ratePerMinute());
    } else {
      ObjectNode exponential = rolloutConfig.putObject("exponentialRate");
      exponential.put("baseRatePerMinute", rollout.ratePerMinute());
      exponential.put("incrementFactor", rollout.incrementFactor());
      exponential
          .putObject("rateIncreaseCriteria")
          .put("numberOfNotifiedThings", rollout.incrementEveryNotified());
    }
    if (!rollout.abortFailureType().equals("NONE")) {
      ObjectNode criterion = job.putObject("abortConfig").putArray("criteriaList").addObject();
      criterion.put("failureType", rollout.abortFailureType());
      criterion.put("action", "CANCEL");
      criterion.put("thresholdPercentage", rollout.abortThresholdPercent());
      criterion.put("minNumberOfExecutedThings", rollout.abortMinExecuted());
    }
    if (rollout.timeoutMinutes() > 0) {
      job.putObject("timeoutConfig").put("inProgressTimeoutInMinutes", rollout.timeoutMinutes());
    }
    return job.toString();
  }

  public String jobId() {
    return jobId;
  }

  /**
   * Creates the job: {@code POST /jobs}, answered 201 (the job) or 202 (accepted, not yet visible).
   * A 503 is sent again after its {@code Retry-After}, for up to {@link #CREATE_PATIENCE} ({@link
   * RestApi#retryAfterMillis}): the app mostly answers so before it takes the job; when its write
   * to Kafka was late and landed after all, the second create is answered 409 and the run ends
   * saying so.
   *
   * @throws IllegalArgumentException naming the answer when the API refuses the job (4xx)
   * @throws IllegalStateException naming the answer when the API fails
   */
  public void create() throws InterruptedException {
    HttpRequest request =
        rest.request("jobs")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    long deadline = System.nanoTime() + CREATE_PATIENCE.toNanos();
    HttpResponse<String> response;
    while (true) {
      try {
        response = rest.http().send(request, HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        throw new IllegalStateException("POST " + rest.base() + "jobs failed: " + e, e);
      }
      if (response.statusCode() != 503) {
        break;
      }
      long waitMillis = RestApi.retryAfterMillis(response.headers().firstValue("Retry-After"));
      if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis) > deadline) {
        break;
      }
      Thread.sleep(waitMillis);
    }
    if (response.statusCode() != 201 && response.statusCode() != 202) {
      // A 4xx names what of the settings the API refused (a filter that does not parse, a token
      // without jobs:write): the operator's to mend, said in one line.
      throw (response.statusCode() / 100 == 4
          ? new IllegalArgumentException(refusal(response))
          : new IllegalStateException(refusal(response)));
    }
    createdAtMillis = millisSinceStart();
  }

  private String refusal(HttpResponse<String> response) {
    return "POST "
        + rest.base()
        + "jobs answered "
        + response.statusCode()
        + ": "
        + response.body()
        + " (the job: "
        + body.substring(0, Math.min(body.length(), 500))
        + ")";
  }

  /** Describes the job once a second from now on, until {@link #close()}. */
  public synchronized void startPolling() {
    if (poller == null) {
      poller =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "simulator-job-" + jobId);
                t.setDaemon(true);
                return t;
              });
      poller.scheduleAtFixedRate(this::poll, 0, 1, TimeUnit.SECONDS);
    }
  }

  /** Stops polling and describes the job a last time; then nothing (idempotent). */
  public void close() throws InterruptedException {
    ScheduledExecutorService running;
    synchronized (this) {
      running = poller;
      poller = null;
    }
    if (running != null) {
      running.shutdownNow();
      running.awaitTermination(15, TimeUnit.SECONDS);
    }
    if (running != null && createdAtMillis >= 0) {
      poll();
    }
  }

  /** When the job was created, in milliseconds since the run started; -1 before. */
  public long createdAtMillis() {
    return createdAtMillis;
  }

  /**
   * Describes the job once ({@code GET /jobs/{id}}) and keeps the answer; a failed call is kept as
   * the last error and retried at the next.
   */
  public void poll() {
    try {
      HttpResponse<String> response =
          rest.http()
              .send(
                  rest.request("jobs/" + jobId).GET().build(),
                  HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        lastError = "GET /jobs/" + jobId + " answered " + response.statusCode();
        return;
      }
      record(millisSinceStart(), JSON.readTree(response.body()));
    } catch (IOException e) {
      lastError = "GET /jobs/" + jobId + " failed: " + e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Keeps a description of the job, taken {@code atMillis} after the run started. */
  synchronized void record(long atMillis, JsonNode job) {
    last = job;
    ObjectNode snapshot = JSON.createObjectNode();
    snapshot.put("t", atMillis / 1000.0);
    snapshot.put("status", job.path("status").asText());
    JsonNode details = job.path("jobProcessDetails");
    for (String count : COUNTS) {
      snapshot.put(count, details.path(count).asLong());
    }
    snapshot.put("numberOfTargets", details.path("numberOfTargets").asLong());
    snapshot.put("numberOfNotifiedThings", details.path("numberOfNotifiedThings").asLong());
    if (job.has("currentRatePerMinute")) {
      snapshot.put("currentRatePerMinute", job.path("currentRatePerMinute").asDouble());
    }
    snapshots.add(snapshot);
  }

  /** Whether the job has ended: COMPLETED, or CANCELED (by a caller or its abort criterion). */
  public boolean ended() {
    JsonNode job = last;
    return job != null && !job.path("status").asText().equals("IN_PROGRESS");
  }

  /** The last description of the job, or null before the first. */
  public JsonNode last() {
    return last;
  }

  /** The job for the report: its last description's main fields and every snapshot. */
  public synchronized ObjectNode summary() {
    ObjectNode summary = JSON.createObjectNode();
    summary.put("jobId", jobId);
    if (createdAtMillis >= 0) {
      summary.put("createdAtSeconds", createdAtMillis / 1000.0);
    }
    JsonNode job = last;
    if (job != null) {
      for (String field : List.of("status", "reasonCode", "comment", "targetFilter")) {
        if (job.hasNonNull(field)) {
          summary.put(field, job.path(field).asText());
        }
      }
      if (job.path("targets").isArray()) {
        summary.put("targets", job.path("targets").size());
      }
      summary.set("jobProcessDetails", job.path("jobProcessDetails"));
      for (String field : List.of("createdAt", "lastUpdatedAt", "completedAt")) {
        if (job.hasNonNull(field)) {
          summary.put(field, job.path(field).asLong());
        }
      }
    }
    if (lastError != null) {
      summary.put("lastError", lastError);
    }
    ArrayNode series = summary.putArray("perSecond");
    snapshots.forEach(series::add);
    return summary;
  }

  private long millisSinceStart() {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }
}
