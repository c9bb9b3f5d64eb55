package org.iotbackbone.streamsapp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.iotbackbone.schemas.DeadLetter;
import org.iotbackbone.schemas.DeadLetterReason;
import org.iotbackbone.schemas.JobExecutionOperation;
import org.iotbackbone.schemas.JobExecutionRequest;
import org.iotbackbone.schemas.JobStatus;
import org.iotbackbone.schemas.RequestSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Records that cannot be applied go to iot.deadletter, as the shadows' do, and nothing stops. */
class JobDeadLetterTest {

  private final JobsDriver jobs = new JobsDriver();

  @AfterEach
  void close() {
    jobs.close();
  }

  private DeadLetter onlyDeadLetter() {
    List<DeadLetter> all = jobs.deadLetters.readValuesToList();
    assertThat(all).hasSize(1);
    return all.get(0);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "rate|jobExecutionsRolloutConfig.maximumPerMinute: must be 1 to 1000: 0",
        "factor|jobExecutionsRolloutConfig.exponentialRate.incrementFactor: must be 1.1 to 5: 9.0",
        "filter|targetFilter: filter: at position 7: expected an operator",
        "both|targets: give either targets (device ids) or targetFilter, not both",
        "device|targets[1]: not a device id",
        "document|document: must be a JSON object",
        "threshold|abortConfig.criteriaList[0].thresholdPercentage: must be 0 to 100: 101.0",
        "timeout|timeoutConfig.inProgressTimeoutInMinutes: must be 1 to 10080: 0"
      })
  void aJobThatDoesNotValidateIsDeadLetteredNamingTheField(String what, String message) {
    var job = JobsDriver.job("bad", List.of("robot-1", "robot-2"));
    switch (what) {
      case "rate" -> job.setRollout(JobsDriver.constant(0));
      case "factor" -> job.setRollout(JobsDriver.exponential(10, 9.0, 5, null));
      case "filter" -> job.setTargets(List.of()).setTargetFilter("model speaker-300");
      case "both" -> job.setTargetFilter("model = x");
      case "device" -> job.setTargets(List.of("robot-1", "robot/2"));
      case "document" -> job.setDocument("[1]");
      case "threshold" ->
          job.setAbortCriteria(
              List.of(JobsDriver.abortAt(org.iotbackbone.schemas.JobFailureType.ALL, 101, 1)));
      case "timeout" -> job.setInProgressTimeoutMinutes(0L);
      default -> throw new IllegalArgumentException(what);
    }
    jobs.create(job.build());
    DeadLetter letter = onlyDeadLetter();
    assertThat(letter.getReasonCode()).isEqualTo(DeadLetterReason.INVALID_REQUEST);
    assertThat(letter.getMessage()).contains(message);
    assertThat(jobs.job("bad")).isNull();
    assertThat(jobs.statusChanges.isEmpty()).isTrue();
  }

  @Test
  void aJobIdThatExistsIsDeadLetteredAndTheJobUnchanged() {
    jobs.create(JobsDriver.job("fw", List.of("robot-1")).build());
    jobs.create(JobsDriver.job("fw", List.of("robot-2", "robot-3")).build());
    assertThat(onlyDeadLetter().getMessage()).contains("job fw exists");
    assertThat(jobs.job("fw").getProcessDetails().getNumberOfTargets()).isEqualTo(1);
  }

  @Test
  void cancelingAnUnknownOrEndedJobIsDeadLettered() {
    jobs.cancel("nope", null);
    assertThat(onlyDeadLetter().getMessage()).contains("no job nope");
    jobs.create(JobsDriver.job("fw", List.of("robot-1")).build());
    jobs.cancel("fw", null);
    assertThat(jobs.job("fw").getStatus()).isEqualTo(JobStatus.CANCELED);
    assertThat(jobs.job("fw").getReasonCode()).isEqualTo("CANCELED_BY_REQUEST");
    jobs.cancel("fw", null);
    assertThat(onlyDeadLetter().getMessage()).contains("only an IN_PROGRESS job can be canceled");
  }

  @Test
  void badExecutionRequestsAreDeadLetteredAndTheNextOneIsApplied() {
    jobs.create(JobsDriver.job("fw", List.of("robot-1")).build());
    jobs.tick();
    jobs.deviceRequest("robot-1", JobExecutionOperation.UNKNOWN, "fw", null);
    assertThat(onlyDeadLetter().getMessage()).contains("unknown operation");
    jobs.deviceRequest("robot-1", JobExecutionOperation.UPDATE, null, "{\"status\":\"FAILED\"}");
    assertThat(onlyDeadLetter().getMessage()).contains("without a valid jobId");
    jobs.executionRequests.pipeInput(
        "robot-2",
        JobExecutionRequest.newBuilder()
            .setRequestId("r")
            .setDeviceId("robot-1")
            .setOperation(JobExecutionOperation.START_NEXT)
            .setSource(RequestSource.DEVICE)
            .setRequestedAt(jobs.now())
            .build());
    DeadLetter mismatch = onlyDeadLetter();
    assertThat(mismatch.getReasonCode()).isEqualTo(DeadLetterReason.INVALID_REQUEST);
    assertThat(mismatch.getMessage()).contains("key and deviceId differ");
    jobs.startNext("robot-1");
    assertThat(jobs.execution("robot-1", "fw").getStatus().name()).isEqualTo("IN_PROGRESS");
  }
}
