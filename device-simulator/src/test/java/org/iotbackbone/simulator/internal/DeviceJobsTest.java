package org.iotbackbone.simulator.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.iotbackbone.simulator.Count;
import org.iotbackbone.simulator.Rollout;
import org.iotbackbone.simulator.Scenario;
import org.junit.jupiter.api.Test;

/**
 * The device's side of a job against the payloads of docs/design.md (MQTT topics: notify-next,
 * start-next, update and their answers, in the shapes the streams app's device side writes them).
 */
class DeviceJobsTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String BASE = "devices/d-1/jobs/";

  private final List<String[]> published = new ArrayList<>();
  private final List<Runnable> later = new ArrayList<>();
  private final List<Long> delays = new ArrayList<>();
  private final Deque<Double> draws = new ArrayDeque<>();
  private final Metrics metrics = new Metrics();

  private DeviceJobs device(Map<String, String> settings) {
    Rollout rollout = Scenario.of(settings, "test").rollout();
    return new DeviceJobs(
        "d-1",
        rollout,
        (topic, body) -> published.add(new String[] {topic, body.toString()}),
        (task, millis) -> {
          later.add(task);
          delays.add(millis);
        },
        () -> draws.isEmpty() ? 0.5 : draws.pop(),
        metrics);
  }

  private static Map<String, String> settings(String failure, String silent) {
    return Map.of(
        "job.enabled",
        "true",
        "job.work.millis",
        "4000",
        "job.failure.percent",
        failure,
        "job.silent.percent",
        silent);
  }

  private static JsonNode json(String text) throws Exception {
    return JSON.readTree(text);
  }

  private static String execution(String jobId, String status, int version) {
    return "{\"jobId\":\""
        + jobId
        + "\",\"status\":\""
        + status
        + "\",\"statusDetails\":{},\"versionNumber\":"
        + version
        + ",\"queuedAt\":1,\"lastUpdatedAt\":2,\"jobDocument\":{\"firmware\":\"2.4.1\"}}";
  }

  private JsonNode lastBody() throws Exception {
    return json(published.get(published.size() - 1)[1]);
  }

  private String lastTopic() {
    return published.get(published.size() - 1)[0];
  }

  private void runLater() {
    List<Runnable> due = new ArrayList<>(later);
    later.clear();
    due.forEach(Runnable::run);
  }

  @Test
  void aNotifiedDeviceTakesItsJobReportsProgressAndSucceeds() throws Exception {
    DeviceJobs device = device(settings("0", "0"));
    assertThat(device.topicFilters())
        .containsExactly(BASE + "notify-next", BASE + "start-next/+", BASE + "+/update/+");

    device.onMessage(
        BASE + "notify-next", json("{\"execution\":" + execution("fw", "QUEUED", 1) + "}"));
    assertThat(lastTopic()).isEqualTo(BASE + "start-next");
    assertThat(lastBody().path("statusDetails").path("step").asText()).isEqualTo("downloading");
    assertThat(lastBody().path("clientToken").asText()).isNotEmpty();
    assertThat(metrics.total(Count.JOBS_NOTIFIED)).isEqualTo(1);

    device.onMessage(
        BASE + "start-next/accepted",
        json("{\"execution\":" + execution("fw", "IN_PROGRESS", 2) + ",\"timestamp\":3}"));
    assertThat(metrics.total(Count.JOBS_STARTED)).isEqualTo(1);
    // Works from half to 1.5 times job.work.millis (the draw 0.5: exactly it), progress half way.
    assertThat(delays).containsExactly(2000L);
    runLater();
    assertThat(lastTopic()).isEqualTo(BASE + "fw/update");
    assertThat(lastBody().path("status").asText()).isEqualTo("IN_PROGRESS");
    assertThat(lastBody().path("expectedVersion").asLong()).isEqualTo(2);

    device.onMessage(
        BASE + "fw/update/accepted",
        json(
            "{\"executionState\":{\"status\":\"IN_PROGRESS\",\"statusDetails\":{\"step\":"
                + "\"installing\"},\"versionNumber\":3},\"timestamp\":4}"));
    runLater();
    assertThat(lastBody().path("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(lastBody().path("expectedVersion").asLong()).isEqualTo(3);

    device.onMessage(
        BASE + "fw/update/accepted",
        json(
            "{\"executionState\":{\"status\":\"SUCCEEDED\",\"statusDetails\":{},"
                + "\"versionNumber\":4},\"timestamp\":5}"));
    assertThat(metrics.total(Count.JOBS_SUCCEEDED)).isEqualTo(1);
    assertThat(metrics.total(Count.JOBS_FAILED)).isZero();
    // It reports the firmware the job's document installed.
    assertThat(lastTopic()).isEqualTo("devices/d-1/shadow/update");
    assertThat(lastBody().at("/state/reported/firmware").asText()).isEqualTo("2.4.1");
  }

  @Test
  void aDeviceFailsAtTheScenariosRate() throws Exception {
    DeviceJobs device = device(settings("20", "0"));
    device.onMessage(
        BASE + "notify-next", json("{\"execution\":" + execution("fw", "QUEUED", 1) + "}"));
    // silent? 0.9 no; work time draw 0.5; then fails when the draw is under 20%.
    draws.addAll(List.of(0.9, 0.5, 0.1));
    device.onMessage(
        BASE + "start-next/accepted",
        json("{\"execution\":" + execution("fw", "IN_PROGRESS", 2) + "}"));
    runLater();
    device.onMessage(
        BASE + "fw/update/accepted",
        json("{\"executionState\":{\"status\":\"IN_PROGRESS\",\"versionNumber\":3}}"));
    runLater();
    assertThat(lastBody().path("status").asText()).isEqualTo("FAILED");
    device.onMessage(
        BASE + "fw/update/accepted",
        json("{\"executionState\":{\"status\":\"FAILED\",\"versionNumber\":4}}"));
    assertThat(metrics.total(Count.JOBS_FAILED)).isEqualTo(1);
  }

  @Test
  void aSilentDeviceTakesItsJobAndNeverAnswersAgain() throws Exception {
    DeviceJobs device = device(settings("0", "10"));
    device.onMessage(
        BASE + "notify-next", json("{\"execution\":" + execution("fw", "QUEUED", 1) + "}"));
    draws.add(0.05);
    device.onMessage(
        BASE + "start-next/accepted",
        json("{\"execution\":" + execution("fw", "IN_PROGRESS", 2) + "}"));
    int before = published.size();
    runLater();
    // A second job offered: it does not take it either.
    device.onMessage(
        BASE + "notify-next", json("{\"execution\":" + execution("fw2", "QUEUED", 1) + "}"));

    assertThat(published).hasSize(before);
    assertThat(metrics.total(Count.JOBS_STARTED)).isEqualTo(1);
    assertThat(metrics.total(Count.JOBS_SILENT)).isEqualTo(1);
    assertThat(metrics.total(Count.JOBS_NOTIFIED)).isEqualTo(2);
  }

  @Test
  void aJobOfferedWhileBusyIsAskedForWhenTheFirstHasEnded() throws Exception {
    DeviceJobs device = device(settings("0", "0"));
    device.onMessage(
        BASE + "notify-next", json("{\"execution\":" + execution("a", "QUEUED", 1) + "}"));
    device.onMessage(
        BASE + "start-next/accepted",
        json("{\"execution\":" + execution("a", "IN_PROGRESS", 2) + "}"));
    // Redelivered (QoS 1) and then the next job offered: counted once each, no second start-next.
    device.onMessage(
        BASE + "notify-next", json("{\"execution\":" + execution("a", "IN_PROGRESS", 2) + "}"));
    int before = published.size();
    device.onMessage(
        BASE + "notify-next", json("{\"execution\":" + execution("b", "QUEUED", 1) + "}"));
    assertThat(published).hasSize(before);
    assertThat(metrics.total(Count.JOBS_NOTIFIED)).isEqualTo(2);

    device.onMessage(
        BASE + "a/update/accepted",
        json("{\"executionState\":{\"status\":\"SUCCEEDED\",\"versionNumber\":3}}"));
    assertThat(lastTopic()).isEqualTo(BASE + "start-next");
  }

  @Test
  void anEmptyNotifyOrAnEmptyStartChangesNothing() throws Exception {
    DeviceJobs device = device(settings("0", "0"));
    device.onMessage(BASE + "notify-next", json("{}"));
    assertThat(published).isEmpty();

    device.onMessage(
        BASE + "notify-next", json("{\"execution\":" + execution("a", "QUEUED", 1) + "}"));
    // Canceled meanwhile: start-next finds nothing pending.
    device.onMessage(BASE + "start-next/accepted", json("{\"timestamp\":5}"));
    assertThat(metrics.total(Count.JOBS_STARTED)).isZero();
    // Idle again: the next offer is taken.
    device.onMessage(
        BASE + "notify-next", json("{\"execution\":" + execution("b", "QUEUED", 1) + "}"));
    assertThat(published.stream().filter(p -> p[0].endsWith("start-next")).count()).isEqualTo(2);
  }

  @Test
  void aThrottledRequestIsSentAgainAndARefusedOneGivenUp() throws Exception {
    DeviceJobs device = device(settings("0", "0"));
    device.onMessage(
        BASE + "notify-next", json("{\"execution\":" + execution("a", "QUEUED", 1) + "}"));
    device.onMessage(
        BASE + "start-next/rejected",
        json("{\"code\":429,\"message\":\"Throttled: too many requests\",\"timestamp\":1}"));
    assertThat(delays).containsExactly(DeviceJobs.RETRY_MILLIS);
    runLater();
    assertThat(published.stream().filter(p -> p[0].endsWith("start-next")).count()).isEqualTo(2);

    device.onMessage(
        BASE + "start-next/accepted",
        json("{\"execution\":" + execution("a", "IN_PROGRESS", 2) + "}"));
    device.onMessage(
        BASE + "a/update/rejected",
        json("{\"code\":409,\"message\":\"VersionMismatch: expectedVersion 2\",\"timestamp\":1}"));
    assertThat(metrics.total(Count.JOBS_REJECTED)).isEqualTo(2);
    assertThat(metrics.total(Count.JOBS_ABANDONED)).isEqualTo(1);
    // Given up: the delayed end is not sent.
    int before = published.size();
    runLater();
    assertThat(published).hasSize(before);
  }

  @Test
  void beforeAFilteredJobADeviceReportsItsModelFirmwareAndRun() {
    ObjectNode body = DeviceJobs.reportedBeforeTheJob("sim-abc");
    assertThat(body.at("/state/reported/model").asText()).isEqualTo(Rollout.MODEL);
    assertThat(body.at("/state/reported/firmware").asText()).isEqualTo("2.3.0");
    assertThat(body.at("/state/reported/" + Rollout.RUN_FIELD).asText()).isEqualTo("sim-abc");
  }
}
