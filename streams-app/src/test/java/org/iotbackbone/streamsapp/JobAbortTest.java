package org.iotbackbone.streamsapp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.iotbackbone.schemas.JobExecutionStatus;
import org.iotbackbone.schemas.JobFailureType;
import org.iotbackbone.schemas.JobResponseType;
import org.iotbackbone.schemas.JobStatus;
import org.iotbackbone.schemas.JobStatusChange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Abort criteria by failure type, threshold and minimum executed (docs/design.md, "Jobs"). */
class JobAbortTest {

  private final JobsDriver jobs = new JobsDriver();

  @AfterEach
  void close() {
    jobs.close();
  }

  /** 20 targets, 10 notified at once (600 a minute), each criterion on the failures it counts. */
  private void createWith(JobFailureType type, double percent, int minExecuted) {
    jobs.create(
        JobsDriver.job("fw", JobsDriver.devices("speaker", 20))
            .setRollout(JobsDriver.constant(600))
            .setAbortCriteria(List.of(JobsDriver.abortAt(type, percent, minExecuted)))
            .setInProgressTimeoutMinutes(1L)
            .build());
    jobs.tick();
  }

  /** Ends one device's execution the way the failure type counts. */
  private void fail(String device, String how) {
    if (how.equals("TIMED_OUT")) {
      jobs.startNext(device);
    } else {
      jobs.finish(device, "fw", how);
    }
  }

  @ParameterizedTest
  @CsvSource({
    "FAILED, FAILED",
    "REJECTED, REJECTED",
    "TIMED_OUT, TIMED_OUT",
    "ALL, FAILED",
    "ALL, REJECTED",
    "ALL, TIMED_OUT"
  })
  void aCriterionCancelsTheJobOnceItsFailuresReachTheThreshold(JobFailureType type, String how) {
    createWith(type, 20.0, 5);
    for (int i = 0; i < 4; i++) {
      jobs.finish(String.format("speaker-%04d", i), "fw", "SUCCEEDED");
    }
    fail("speaker-0004", how);
    if (how.equals("TIMED_OUT")) {
      jobs.driver.advanceWallClockTime(java.time.Duration.ofSeconds(61));
    }
    assertThat(jobs.execution("speaker-0004", "fw").getStatus().name()).isEqualTo(how);
    // 1 of 5 executed is 20%: the threshold.
    assertThat(jobs.job("fw").getStatus()).isEqualTo(JobStatus.CANCELED);
    assertThat(jobs.job("fw").getReasonCode()).isEqualTo(type + ">=20.0%");
    List<JobStatusChange> changes = jobs.statusChanges.readValuesToList();
    assertThat(changes.get(changes.size() - 1).getStatus()).isEqualTo(JobStatus.CANCELED);
    assertThat(changes.get(changes.size() - 1).getReasonCode()).isEqualTo(type + ">=20.0%");
    // Notified and QUEUED: canceled; never notified: nobody new is told, however long we wait.
    assertThat(jobs.execution("speaker-0009", "fw").getStatus())
        .isEqualTo(JobExecutionStatus.CANCELED);
    long notified = jobs.job("fw").getProcessDetails().getNumberOfNotifiedThings();
    // The timeout's tick notified the next ten before the timed-out execution reached the count.
    assertThat(notified).isEqualTo(how.equals("TIMED_OUT") ? 20 : 10);
    jobs.responses.readValuesToList();
    jobs.ticks(5);
    assertThat(JobsDriver.ofType(jobs.responses.readValuesToList(), JobResponseType.NOTIFY_NEXT))
        .isEmpty();
    if (notified < 20) {
      assertThat(jobs.execution("speaker-0019", "fw")).isNull();
    }
    var counts = jobs.job("fw").getProcessDetails();
    assertThat(counts.getNumberOfNotifiedThings()).isEqualTo(notified);
    assertThat(counts.getNumberOfSucceededThings()).isEqualTo(4);
    assertThat(counts.getNumberOfCanceledThings()).isEqualTo(notified - 5);
    assertThat(counts.getNumberOfQueuedThings() + counts.getNumberOfInProgressThings()).isZero();
  }

  @Test
  void failuresOfAnotherTypeDoNotCount() {
    createWith(JobFailureType.REJECTED, 20.0, 5);
    for (int i = 0; i < 4; i++) {
      jobs.finish(String.format("speaker-%04d", i), "fw", "SUCCEEDED");
    }
    jobs.finish("speaker-0004", "fw", "FAILED");
    assertThat(jobs.job("fw").getStatus()).isEqualTo(JobStatus.IN_PROGRESS);
  }

  @Test
  void belowTheMinimumExecutedNothingIsAborted() {
    createWith(JobFailureType.FAILED, 10.0, 5);
    jobs.finish("speaker-0000", "fw", "FAILED");
    jobs.finish("speaker-0001", "fw", "FAILED");
    jobs.finish("speaker-0002", "fw", "FAILED");
    jobs.finish("speaker-0003", "fw", "FAILED");
    assertThat(jobs.job("fw").getStatus())
        .as("4 executed, 5 needed")
        .isEqualTo(JobStatus.IN_PROGRESS);
    jobs.finish("speaker-0004", "fw", "FAILED");
    assertThat(jobs.job("fw").getStatus()).isEqualTo(JobStatus.CANCELED);
  }

  @Test
  void belowTheThresholdTheRolloutGoesOn() {
    createWith(JobFailureType.FAILED, 30.0, 5);
    for (int i = 0; i < 8; i++) {
      jobs.finish(String.format("speaker-%04d", i), "fw", i < 6 ? "SUCCEEDED" : "FAILED");
    }
    // 1 of 7, then 2 of 8 is 25%: never 30% once 5 were executed.
    assertThat(jobs.job("fw").getStatus()).isEqualTo(JobStatus.IN_PROGRESS);
    jobs.responses.readValuesToList();
    jobs.tick();
    assertThat(jobs.job("fw").getProcessDetails().getNumberOfNotifiedThings()).isEqualTo(20);
  }

  @Test
  void anInProgressExecutionOfAnAbortedJobMayStillFinish() {
    createWith(JobFailureType.FAILED, 50.0, 1);
    jobs.startNext("speaker-0005");
    jobs.finish("speaker-0000", "fw", "FAILED");
    assertThat(jobs.job("fw").getStatus()).isEqualTo(JobStatus.CANCELED);
    assertThat(jobs.execution("speaker-0005", "fw").getStatus())
        .isEqualTo(JobExecutionStatus.IN_PROGRESS);
    jobs.update("speaker-0005", "fw", "SUCCEEDED");
    assertThat(jobs.execution("speaker-0005", "fw").getStatus())
        .isEqualTo(JobExecutionStatus.SUCCEEDED);
    assertThat(jobs.job("fw").getProcessDetails().getNumberOfSucceededThings()).isEqualTo(1);
    assertThat(jobs.job("fw").getStatus()).isEqualTo(JobStatus.CANCELED);
  }
}
