package org.iotbackbone.streamsapp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.iotbackbone.schemas.JobResponse;
import org.iotbackbone.schemas.JobResponseType;
import org.iotbackbone.schemas.JobStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Rollout pacing (docs/design.md, "Jobs"): constant and exponential rates. */
class JobRolloutTest {

  private final JobsDriver jobs = new JobsDriver();

  @AfterEach
  void close() {
    jobs.close();
  }

  private int notifiedThisTick() {
    jobs.tick();
    List<JobResponse> all = jobs.responses.readValuesToList();
    return JobsDriver.ofType(all, JobResponseType.NOTIFY_NEXT).size();
  }

  @Test
  void aConstantRateNotifiesAtMostMaximumPerMinute() {
    jobs.create(
        JobsDriver.job("fw-const", JobsDriver.devices("speaker", 200))
            .setRollout(JobsDriver.constant(60))
            .build());
    int inAMinute = 0;
    for (int second = 0; second < 60; second++) {
      int now = notifiedThisTick();
      assertThat(now).as("second " + second).isEqualTo(1);
      inAMinute += now;
    }
    assertThat(inAMinute).isEqualTo(60);
    assertThat(jobs.job("fw-const").getProcessDetails().getNumberOfNotifiedThings()).isEqualTo(60);
    assertThat(jobs.job("fw-const").getProcessDetails().getNumberOfQueuedThings()).isEqualTo(60);
    assertThat(jobs.execution("speaker-0059", "fw-const")).isNotNull();
    assertThat(jobs.execution("speaker-0060", "fw-const")).as("not notified yet").isNull();
  }

  @Test
  void aHigherConstantRateNotifiesItsShareEverySecondWithoutBursting() {
    jobs.create(
        JobsDriver.job("fw-600", JobsDriver.devices("speaker", 100))
            .setRollout(JobsDriver.constant(600))
            .build());
    assertThat(notifiedThisTick()).isEqualTo(10);
    assertThat(notifiedThisTick()).isEqualTo(10);
    // A late tick banks at most one second's worth.
    jobs.driver.advanceWallClockTime(java.time.Duration.ofSeconds(30));
    jobs.responses.readValuesToList();
    assertThat(jobs.job("fw-600").getProcessDetails().getNumberOfNotifiedThings()).isEqualTo(30);
  }

  @Test
  void anExponentialRateRisesByItsFactorEachTimeTheNotifiedCriterionIsMet() {
    jobs.create(
        JobsDriver.job("fw-exp", JobsDriver.devices("speaker", 300))
            .setRollout(JobsDriver.exponential(60, 2.0, 3, null))
            .build());
    // 60 per minute: one a second until 3 are notified, then 120 (2 a second), then 240 (4).
    assertThat(notifiedThisTick()).isEqualTo(1);
    assertThat(notifiedThisTick()).isEqualTo(1);
    assertThat(notifiedThisTick()).isEqualTo(1);
    assertThat(jobs.job("fw-exp").getCurrentRatePerMinute()).isEqualTo(120);
    assertThat(notifiedThisTick()).isEqualTo(2);
    assertThat(notifiedThisTick()).isEqualTo(2);
    assertThat(jobs.job("fw-exp").getCurrentRatePerMinute()).isEqualTo(240);
    assertThat(notifiedThisTick()).isEqualTo(4);
  }

  @Test
  void anExponentialRateOnSucceededThingsWaitsForSuccesses() {
    jobs.create(
        JobsDriver.job("fw-succ", JobsDriver.devices("speaker", 100))
            .setRollout(JobsDriver.exponential(60, 3.0, null, 2))
            .build());
    jobs.ticks(5);
    assertThat(jobs.job("fw-succ").getCurrentRatePerMinute())
        .as("notified, none succeeded")
        .isEqualTo(60);
    jobs.finish("speaker-0000", "fw-succ", "SUCCEEDED");
    jobs.finish("speaker-0001", "fw-succ", "SUCCEEDED");
    jobs.responses.readValuesToList();
    assertThat(notifiedThisTick()).isEqualTo(1);
    assertThat(jobs.job("fw-succ").getCurrentRatePerMinute()).isEqualTo(180);
    assertThat(notifiedThisTick()).isEqualTo(3);
  }

  @Test
  void theRateNeverPassesAThousandPerMinute() {
    jobs.create(
        JobsDriver.job("fw-cap", JobsDriver.devices("speaker", 2000))
            .setRollout(JobsDriver.exponential(600, 5.0, 10, null))
            .build());
    jobs.ticks(3);
    assertThat(jobs.job("fw-cap").getCurrentRatePerMinute()).isEqualTo(1000);
    jobs.responses.readValuesToList();
    assertThat(notifiedThisTick()).isEqualTo(16);
  }

  @Test
  void aJobWhoseExecutionsAllEndedIsCompleted() {
    List<String> devices = JobsDriver.devices("lamp", 3);
    jobs.create(JobsDriver.job("fw-done", devices).build());
    jobs.tick();
    devices.forEach(device -> jobs.finish(device, "fw-done", "SUCCEEDED"));
    assertThat(jobs.job("fw-done").getStatus()).isEqualTo(JobStatus.COMPLETED);
    assertThat(jobs.statusChanges.readValuesToList())
        .extracting(change -> change.getStatus())
        .containsExactly(JobStatus.IN_PROGRESS, JobStatus.COMPLETED);
    assertThat(jobs.job("fw-done").getProcessDetails().getNumberOfSucceededThings()).isEqualTo(3);
  }
}
