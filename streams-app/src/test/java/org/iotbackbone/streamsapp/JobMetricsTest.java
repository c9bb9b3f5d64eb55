package org.iotbackbone.streamsapp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.iotbackbone.schemas.JobExecutionOperation;
import org.iotbackbone.schemas.JobFailureType;
import org.iotbackbone.streamsapp.internal.ops.StreamsAppMetrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The jobs' counters, driven through the production topology in TopologyTestDriver: job requests by
 * outcome, job statuses and aborts, notifications, executions by status, devices' requests by
 * outcome and code.
 */
class JobMetricsTest {

  private final JobsDriver jobs = new JobsDriver();
  private final StreamsAppMetrics metrics = jobs.metrics;

  @AfterEach
  void close() {
    jobs.close();
  }

  @Test
  void everyKnownSeriesIsExposedAtZeroBeforeTheFirstJob() {
    assertThat(metrics.scrape())
        .contains(
            "jobs_requests_total{operation=\"CREATE\",outcome=\"refused\"} 0.0",
            "jobs_total{status=\"CANCELED\"} 0.0",
            "jobs_aborted_total 0.0",
            "job_notifications_total 0.0",
            "job_executions_total{status=\"TIMED_OUT\"} 0.0",
            "job_device_requests_total{code=\"\",operation=\"START_NEXT\",outcome=\"accepted\"} 0.0",
            "streams_deadletters_total{origin=\"iot.job.requests\",reason=\"INVALID_REQUEST\"} 0.0");
  }

  @Test
  void requestsStatusesNotificationsAndExecutionsAreCounted() {
    jobs.create(JobsDriver.job("fw", List.of("a", "b")).build());
    jobs.create(JobsDriver.job("fw", List.of("a")).build()); // the id exists: refused
    jobs.cancel("nobody", null); // no such job: refused
    jobs.tick();
    jobs.finish("a", "fw", "SUCCEEDED");
    jobs.update("a", "fw", "FAILED"); // final already: 409
    jobs.deviceRequest("b", JobExecutionOperation.GET, "other", null); // 404
    jobs.finish("b", "fw", "FAILED");

    assertThat(metrics.count("jobs.requests", "operation", "CREATE", "outcome", "accepted"))
        .isEqualTo(1);
    assertThat(metrics.count("jobs.requests", "operation", "CREATE", "outcome", "refused"))
        .isEqualTo(1);
    assertThat(metrics.count("jobs.requests", "operation", "CANCEL", "outcome", "refused"))
        .isEqualTo(1);
    assertThat(metrics.count("job.notifications")).isEqualTo(2);
    assertThat(metrics.count("job.executions", "status", "QUEUED")).isEqualTo(2);
    assertThat(metrics.count("job.executions", "status", "IN_PROGRESS")).isEqualTo(2);
    assertThat(metrics.count("job.executions", "status", "SUCCEEDED")).isEqualTo(1);
    assertThat(metrics.count("job.executions", "status", "FAILED")).isEqualTo(1);
    assertThat(device("START_NEXT", "accepted", "")).isEqualTo(2);
    assertThat(device("UPDATE", "accepted", "")).isEqualTo(2);
    assertThat(device("UPDATE", "rejected", "409")).isEqualTo(1);
    assertThat(device("GET", "rejected", "404")).isEqualTo(1);
    jobs.tick();
    assertThat(metrics.count("jobs", "status", "IN_PROGRESS")).isEqualTo(1);
    assertThat(metrics.count("jobs", "status", "COMPLETED")).isEqualTo(1);
    assertThat(metrics.count("jobs.aborted")).isZero();
  }

  @Test
  void aJobCanceledByItsAbortCriteriaIsCountedAsAborted() {
    jobs.create(
        JobsDriver.job("fw", JobsDriver.devices("d", 4))
            .setAbortCriteria(List.of(JobsDriver.abortAt(JobFailureType.FAILED, 50, 2)))
            .build());
    jobs.tick();
    jobs.finish("d-0000", "fw", "FAILED");
    jobs.finish("d-0001", "fw", "FAILED");

    assertThat(metrics.count("jobs", "status", "CANCELED")).isEqualTo(1);
    assertThat(metrics.count("jobs.aborted")).isEqualTo(1);
    // The two not started were QUEUED: canceled on the device side.
    assertThat(metrics.count("job.executions", "status", "CANCELED")).isEqualTo(2);
  }

  @Test
  void aCallersCancelIsNotAnAbort() {
    jobs.create(JobsDriver.job("fw", List.of("a")).build());
    jobs.cancel("fw", "not today");
    assertThat(metrics.count("jobs.requests", "operation", "CANCEL", "outcome", "accepted"))
        .isEqualTo(1);
    assertThat(metrics.count("jobs", "status", "CANCELED")).isEqualTo(1);
    assertThat(metrics.count("jobs.aborted")).isZero();
  }

  private double device(String operation, String outcome, String code) {
    return metrics.count(
        "job.device.requests", "operation", operation, "outcome", outcome, "code", code);
  }
}
