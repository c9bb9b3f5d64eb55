package org.iotbackbone.streamsapp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import org.iotbackbone.schemas.JobExecutionOperation;
import org.iotbackbone.schemas.JobExecutionStatus;
import org.iotbackbone.schemas.JobResponse;
import org.iotbackbone.schemas.JobResponseType;
import org.iotbackbone.schemas.JobStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A device's executions (docs/design.md, "Jobs"): start-next, get, update with versions, timeout,
 * cancel, and what is refused.
 */
class JobExecutionRulesTest {

  private final JobsDriver jobs = new JobsDriver();

  @AfterEach
  void close() {
    jobs.close();
  }

  private void createAndNotify(String jobId, List<String> devices, Long timeoutMinutes) {
    jobs.create(JobsDriver.job(jobId, devices).setInProgressTimeoutMinutes(timeoutMinutes).build());
    jobs.tick();
  }

  private JobResponse onlyAnswer() {
    List<JobResponse> answers =
        jobs.responses.readValuesToList().stream()
            .filter(r -> r.getType() != JobResponseType.NOTIFY_NEXT)
            .toList();
    assertThat(answers).hasSize(1);
    return answers.get(0);
  }

  @Test
  void startNextTakesTheQueuedJobWithItsDocumentAndVersionsRise() {
    createAndNotify("fw", List.of("robot-1"), null);
    JobResponse notify = jobs.responses.readValuesToList().get(0);
    assertThat(notify.getType()).isEqualTo(JobResponseType.NOTIFY_NEXT);
    JsonNode notified = JobsDriver.json(notify.getPayload());
    assertThat(notified.at("/execution/jobId").asText()).isEqualTo("fw");
    assertThat(notified.at("/execution/status").asText()).isEqualTo("QUEUED");
    assertThat(notified.at("/execution/versionNumber").asLong()).isEqualTo(1);
    assertThat(notified.at("/execution/jobDocument/firmware").asText()).isEqualTo("2.4.0");

    jobs.deviceRequest(
        "robot-1",
        JobExecutionOperation.START_NEXT,
        null,
        "{\"statusDetails\":{\"step\":\"download\"},\"clientToken\":\"t-1\"}");
    JobResponse started = onlyAnswer();
    assertThat(started.getType()).isEqualTo(JobResponseType.ACCEPTED);
    assertThat(started.getOperation()).isEqualTo(JobExecutionOperation.START_NEXT);
    JsonNode body = JobsDriver.json(started.getPayload());
    assertThat(body.at("/execution/status").asText()).isEqualTo("IN_PROGRESS");
    assertThat(body.at("/execution/versionNumber").asLong()).isEqualTo(2);
    assertThat(body.at("/execution/statusDetails/step").asText()).isEqualTo("download");
    assertThat(body.at("/execution/jobDocument/url").asText()).startsWith("https://");
    assertThat(body.path("clientToken").asText()).isEqualTo("t-1");

    jobs.deviceRequest(
        "robot-1",
        JobExecutionOperation.UPDATE,
        "fw",
        "{\"status\":\"SUCCEEDED\",\"expectedVersion\":2}");
    JobResponse updated = onlyAnswer();
    assertThat(updated.getType()).isEqualTo(JobResponseType.ACCEPTED);
    assertThat(updated.getJobId()).isEqualTo("fw");
    assertThat(JobsDriver.json(updated.getPayload()).at("/executionState/versionNumber").asLong())
        .isEqualTo(3);
    assertThat(jobs.job("fw").getStatus()).isEqualTo(JobStatus.COMPLETED);
  }

  @Test
  void aStaleExpectedVersionIsRejectedWith409AndChangesNothing() {
    createAndNotify("fw", List.of("robot-1"), null);
    jobs.startNext("robot-1");
    jobs.responses.readValuesToList();
    jobs.deviceRequest(
        "robot-1",
        JobExecutionOperation.UPDATE,
        "fw",
        "{\"status\":\"SUCCEEDED\",\"expectedVersion\":1,\"clientToken\":\"c\"}");
    JobResponse rejected = onlyAnswer();
    assertThat(rejected.getType()).isEqualTo(JobResponseType.REJECTED);
    assertThat(rejected.getCode()).isEqualTo(409);
    JsonNode body = JobsDriver.json(rejected.getPayload());
    assertThat(body.path("code").asInt()).isEqualTo(409);
    assertThat(body.path("message").asText()).startsWith("VersionMismatch");
    assertThat(body.path("clientToken").asText()).isEqualTo("c");
    assertThat(jobs.execution("robot-1", "fw").getStatus())
        .isEqualTo(JobExecutionStatus.IN_PROGRESS);
    assertThat(jobs.execution("robot-1", "fw").getVersionNumber()).isEqualTo(2);
  }

  @Test
  void anUpdateFromAFinalStatusIsRejectedWith409() {
    createAndNotify("fw", List.of("robot-1"), null);
    jobs.finish("robot-1", "fw", "FAILED");
    jobs.responses.readValuesToList();
    jobs.update("robot-1", "fw", "SUCCEEDED");
    JobResponse rejected = onlyAnswer();
    assertThat(rejected.getCode()).isEqualTo(409);
    assertThat(JobsDriver.json(rejected.getPayload()).path("message").asText())
        .startsWith("InvalidStateTransition");
    assertThat(jobs.execution("robot-1", "fw").getStatus()).isEqualTo(JobExecutionStatus.FAILED);
    assertThat(jobs.job("fw").getProcessDetails().getNumberOfFailedThings()).isEqualTo(1);
  }

  @Test
  void aDeviceTheJobDoesNotTargetIsAnswered404() {
    createAndNotify("fw", List.of("robot-1"), null);
    jobs.responses.readValuesToList();
    jobs.update("robot-2", "fw", "SUCCEEDED");
    assertThat(onlyAnswer().getCode()).isEqualTo(404);
    jobs.deviceRequest("robot-2", JobExecutionOperation.GET, "fw", null);
    assertThat(onlyAnswer().getCode()).isEqualTo(404);
    assertThat(jobs.execution("robot-2", "fw")).isNull();
    assertThat(jobs.job("fw").getProcessDetails().getNumberOfSucceededThings()).isZero();
  }

  @Test
  void anUnknownStatusOrBadJsonIsAnswered400() {
    createAndNotify("fw", List.of("robot-1"), null);
    jobs.responses.readValuesToList();
    jobs.update("robot-1", "fw", "DONE");
    JobResponse unknown = onlyAnswer();
    assertThat(unknown.getCode()).isEqualTo(400);
    assertThat(JobsDriver.json(unknown.getPayload()).path("message").asText())
        .contains("status: must be IN_PROGRESS, SUCCEEDED, FAILED or REJECTED");
    jobs.update("robot-1", "fw", "QUEUED");
    assertThat(onlyAnswer().getCode()).as("a status only the service sets").isEqualTo(400);
    jobs.deviceRequest("robot-1", JobExecutionOperation.UPDATE, "fw", "{not json");
    assertThat(onlyAnswer().getCode()).isEqualTo(400);
    jobs.deviceRequest(
        "robot-1",
        JobExecutionOperation.UPDATE,
        "fw",
        "{\"status\":\"SUCCEEDED\",\"expectedVersion\":\"x\"}");
    assertThat(onlyAnswer().getCode()).isEqualTo(400);
    assertThat(jobs.execution("robot-1", "fw").getStatus()).isEqualTo(JobExecutionStatus.QUEUED);
  }

  @Test
  void anExecutionInProgressLongerThanTheTimeoutBecomesTimedOut() {
    createAndNotify("fw", List.of("robot-1", "robot-2"), 2L);
    jobs.startNext("robot-1");
    jobs.startNext("robot-2");
    jobs.driver.advanceWallClockTime(Duration.ofSeconds(60));
    jobs.update("robot-2", "fw", "SUCCEEDED");
    assertThat(jobs.execution("robot-1", "fw").getStatus())
        .isEqualTo(JobExecutionStatus.IN_PROGRESS);
    jobs.driver.advanceWallClockTime(Duration.ofSeconds(61));
    assertThat(jobs.execution("robot-1", "fw").getStatus()).isEqualTo(JobExecutionStatus.TIMED_OUT);
    assertThat(jobs.execution("robot-2", "fw").getStatus())
        .as("ended before its timeout")
        .isEqualTo(JobExecutionStatus.SUCCEEDED);
    var counts = jobs.job("fw").getProcessDetails();
    assertThat(counts.getNumberOfTimedOutThings()).isEqualTo(1);
    assertThat(counts.getNumberOfSucceededThings()).isEqualTo(1);
    assertThat(jobs.job("fw").getStatus()).isEqualTo(JobStatus.COMPLETED);
    jobs.responses.readValuesToList();
    jobs.update("robot-1", "fw", "SUCCEEDED");
    assertThat(onlyAnswer().getCode()).as("too late").isEqualTo(409);
  }

  @Test
  void cancelCancelsQueuedExecutionsTellsInProgressOnesAndNotifiesNobodyNew() {
    jobs.create(
        JobsDriver.job("fw", List.of("robot-1", "robot-2", "robot-3"))
            .setRollout(JobsDriver.constant(120))
            .build());
    jobs.tick(); // two a second: robot-1 and robot-2
    jobs.startNext("robot-1");
    jobs.responses.readValuesToList();
    jobs.cancel("fw", "bad build");

    assertThat(jobs.job("fw").getStatus()).isEqualTo(JobStatus.CANCELED);
    assertThat(jobs.job("fw").getReasonCode()).isEqualTo("bad build");
    assertThat(jobs.execution("robot-2", "fw").getStatus()).isEqualTo(JobExecutionStatus.CANCELED);
    assertThat(jobs.execution("robot-1", "fw").getStatus())
        .isEqualTo(JobExecutionStatus.IN_PROGRESS);
    List<JobResponse> told = jobs.responses.readValuesToList();
    List<JobResponse> toRobot1 =
        told.stream().filter(r -> r.getDeviceId().equals("robot-1")).toList();
    assertThat(toRobot1).hasSize(1);
    assertThat(toRobot1.get(0).getType()).isEqualTo(JobResponseType.NOTIFY_NEXT);
    assertThat(toRobot1.get(0).getPayload())
        .as("the canceled job is no longer offered")
        .isEqualTo("{}");
    jobs.ticks(3);
    assertThat(jobs.execution("robot-3", "fw")).as("never notified").isNull();
    assertThat(jobs.job("fw").getProcessDetails().getNumberOfNotifiedThings()).isEqualTo(2);

    jobs.update("robot-1", "fw", "SUCCEEDED");
    assertThat(jobs.execution("robot-1", "fw").getStatus()).isEqualTo(JobExecutionStatus.SUCCEEDED);
    assertThat(jobs.statusChanges.readValuesToList())
        .extracting(change -> change.getStatus())
        .containsExactly(JobStatus.IN_PROGRESS, JobStatus.CANCELED);
  }

  @Test
  void anOfflineDeviceIsNotifiedAndGetsItsPendingJobWhenItAsks() {
    // robot-1 went offline before the job: its presence does not hold the notification back.
    jobs.reported("robot-1", "{\"model\":\"r1\"}");
    jobs.offline("robot-1");
    assertThat(jobs.connected("robot-1")).isFalse();
    createAndNotify("fw", List.of("robot-1"), null);
    assertThat(JobsDriver.ofType(jobs.responses.readValuesToList(), JobResponseType.NOTIFY_NEXT))
        .hasSize(1);
    jobs.ticks(120); // a long time offline: the execution waits, QUEUED
    assertThat(jobs.execution("robot-1", "fw").getStatus()).isEqualTo(JobExecutionStatus.QUEUED);

    jobs.deviceRequest("robot-1", JobExecutionOperation.GET, "fw", "{\"clientToken\":\"back\"}");
    JsonNode got = JobsDriver.json(onlyAnswer().getPayload());
    assertThat(got.at("/execution/status").asText()).isEqualTo("QUEUED");
    assertThat(got.at("/execution/jobDocument/firmware").asText()).isEqualTo("2.4.0");
    jobs.startNext("robot-1");
    JsonNode started = JobsDriver.json(onlyAnswer().getPayload());
    assertThat(started.at("/execution/jobId").asText()).isEqualTo("fw");
    assertThat(started.at("/execution/status").asText()).isEqualTo("IN_PROGRESS");
  }

  @Test
  void startNextWithNothingPendingAnswersAnEmptyExecution() {
    jobs.startNext("robot-9");
    JobResponse answer = onlyAnswer();
    assertThat(answer.getType()).isEqualTo(JobResponseType.ACCEPTED);
    assertThat(JobsDriver.json(answer.getPayload()).has("execution")).isFalse();
  }
}
