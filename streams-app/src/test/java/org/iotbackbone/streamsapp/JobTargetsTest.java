package org.iotbackbone.streamsapp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.iotbackbone.schemas.JobEvent;
import org.iotbackbone.schemas.JobEventType;
import org.iotbackbone.schemas.JobResponse;
import org.iotbackbone.schemas.JobResponseType;
import org.iotbackbone.schemas.JobStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Targets: device ids, or a filter over the shadows' reported state resolved at creation. */
class JobTargetsTest {

  private final JobsDriver jobs = new JobsDriver();

  @AfterEach
  void close() {
    jobs.close();
  }

  @Test
  void aFilterTargetsTheDevicesWhoseReportedStateMatchesAtCreation() {
    jobs.reported("speaker-old", "{\"model\":\"speaker-300\",\"firmware\":\"2.3.9\"}");
    jobs.reported("speaker-older", "{\"model\":\"speaker-300\",\"firmware\":\"2.10.0\"}");
    jobs.reported("speaker-new", "{\"model\":\"speaker-300\",\"firmware\":\"2.4.0\"}");
    jobs.reported("speaker-other", "{\"model\":\"speaker-200\",\"firmware\":\"1.0.0\"}");
    jobs.reported("lamp-1", "{\"colour\":\"red\"}");
    jobs.create(
        JobsDriver.job("fw-filter", List.of())
            .setTargetFilter("model = speaker-300 and firmware < 2.4.0")
            .build());
    assertThat(jobs.job("fw-filter").getTargetsResolved()).isTrue();
    assertThat(jobs.job("fw-filter").getProcessDetails().getNumberOfTargets()).isEqualTo(1);
    // Resolved when created: a device that matches later is not a target.
    jobs.reported("speaker-late", "{\"model\":\"speaker-300\",\"firmware\":\"1.0.0\"}");
    jobs.tick();
    List<JobResponse> notified =
        JobsDriver.ofType(jobs.responses.readValuesToList(), JobResponseType.NOTIFY_NEXT);
    assertThat(notified).extracting(JobResponse::getDeviceId).containsExactly("speaker-old");
    jobs.finish("speaker-old", "fw-filter", "SUCCEEDED");
    assertThat(jobs.job("fw-filter").getStatus()).isEqualTo(JobStatus.COMPLETED);
  }

  @Test
  void aFilterThatMatchesNobodyCompletesTheJob() {
    jobs.reported("lamp-1", "{\"colour\":\"red\"}");
    jobs.create(JobsDriver.job("nobody", List.of()).setTargetFilter("model = x").build());
    assertThat(jobs.job("nobody").getStatus()).isEqualTo(JobStatus.COMPLETED);
    assertThat(jobs.job("nobody").getProcessDetails().getNumberOfTargets()).isZero();
  }

  @Test
  void aTargetResolvedAfterTheRolloutCaughtUpIsNotifiedAndAwaitedToo() {
    jobs.reported("speaker-1", "{\"model\":\"speaker-300\"}");
    jobs.create(
        JobsDriver.job("fw", List.of())
            .setTargetFilter("model = speaker-300")
            .setRollout(JobsDriver.constant(60))
            .build());
    jobs.tick();
    // Another partition's match, after the rollout notified every target it had.
    jobs.events.pipeInput(
        "fw",
        JobEvent.newBuilder()
            .setJobId("fw")
            .setType(JobEventType.TARGET)
            .setDeviceId("speaker-2")
            .setOccurredAt(jobs.now())
            .build());
    jobs.finish("speaker-1", "fw", "SUCCEEDED");
    assertThat(jobs.job("fw").getStatus())
        .as("a target not notified yet")
        .isEqualTo(JobStatus.IN_PROGRESS);
    jobs.tick();
    assertThat(JobsDriver.ofType(jobs.responses.readValuesToList(), JobResponseType.NOTIFY_NEXT))
        .extracting(JobResponse::getDeviceId)
        .contains("speaker-2");
    jobs.finish("speaker-2", "fw", "SUCCEEDED");
    assertThat(jobs.job("fw").getStatus()).isEqualTo(JobStatus.COMPLETED);
    assertThat(jobs.job("fw").getProcessDetails().getNumberOfSucceededThings()).isEqualTo(2);
  }

  @Test
  void listedTargetsAreNotifiedOnceEachInTheirOrder() {
    jobs.create(
        JobsDriver.job("fw-ids", List.of("b-1", "a-1", "b-1"))
            .setRollout(JobsDriver.constant(60))
            .build());
    assertThat(jobs.job("fw-ids").getProcessDetails().getNumberOfTargets()).isEqualTo(2);
    jobs.ticks(3);
    assertThat(JobsDriver.ofType(jobs.responses.readValuesToList(), JobResponseType.NOTIFY_NEXT))
        .extracting(JobResponse::getDeviceId)
        .containsExactly("b-1", "a-1");
  }

  @Test
  void aDeviceInTwoJobsIsOfferedThemOneAfterTheOther() {
    jobs.create(JobsDriver.job("first", List.of("robot-1")).build());
    jobs.create(JobsDriver.job("second", List.of("robot-1")).build());
    jobs.tick();
    jobs.finish("robot-1", "first", "SUCCEEDED");
    List<JobResponse> after = jobs.responses.readValuesToList();
    JobResponse lastNotify =
        JobsDriver.ofType(after, JobResponseType.NOTIFY_NEXT)
            .get(JobsDriver.ofType(after, JobResponseType.NOTIFY_NEXT).size() - 1);
    assertThat(JobsDriver.json(lastNotify.getPayload()).at("/execution/jobId").asText())
        .isEqualTo("second");
  }
}
