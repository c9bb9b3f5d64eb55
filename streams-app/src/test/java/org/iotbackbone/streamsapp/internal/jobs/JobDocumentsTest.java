package org.iotbackbone.streamsapp.internal.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.iotbackbone.schemas.JobDefinition;
import org.iotbackbone.schemas.JobFailureType;
import org.iotbackbone.streamsapp.JobLimits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JobDocumentsTest {

  private static final JobLimits LIMITS = JobLimits.defaults();

  private static final String FULL =
      """
      {"jobId":"fw-2-4-0","document":{"url":"https://fw.example/2.4.0"},
       "description":"speakers",
       "targetFilter":"model = speaker-300 and firmware < 2.4.0",
       "jobExecutionsRolloutConfig":{"exponentialRate":{"baseRatePerMinute":10,
         "incrementFactor":2,"rateIncreaseCriteria":{"numberOfSucceededThings":50}}},
       "abortConfig":{"criteriaList":[{"failureType":"FAILED","action":"CANCEL",
         "thresholdPercentage":10,"minNumberOfExecutedThings":20}]},
       "timeoutConfig":{"inProgressTimeoutInMinutes":30}}
      """;

  @Test
  void readsTheDesignsCreateBody() {
    JobDefinition job = JobDocuments.parseCreate(FULL, LIMITS);
    assertThat(job.getJobId()).isEqualTo("fw-2-4-0");
    assertThat(job.getDocument()).isEqualTo("{\"url\":\"https://fw.example/2.4.0\"}");
    assertThat(job.getTargets()).isEmpty();
    assertThat(job.getRollout().getExponentialRate().getNumberOfSucceededThings()).isEqualTo(50);
    assertThat(job.getAbortCriteria().get(0).getFailureType()).isEqualTo(JobFailureType.FAILED);
    assertThat(job.getInProgressTimeoutMinutes()).isEqualTo(30L);
  }

  @Test
  void readsTargetsAndAConstantRate() {
    JobDefinition job =
        JobDocuments.parseCreate(
            "{\"jobId\":\"j\",\"document\":{},\"targets\":[\"a\",\"b\"],"
                + "\"jobExecutionsRolloutConfig\":{\"maximumPerMinute\":100}}",
            LIMITS);
    assertThat(job.getTargets()).containsExactly("a", "b");
    assertThat(job.getRollout().getMaximumPerMinute()).isEqualTo(100);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "{\"jobId\":\"j\",\"document\":{},\"targets\":[\"a\"],\"colour\":1}|colour: unknown field",
        "{\"document\":{},\"targets\":[\"a\"]}|jobId: missing",
        "{\"jobId\":\"j\",\"targets\":[\"a\"]}|document: missing",
        "{\"jobId\":\"j\",\"document\":[1],\"targets\":[\"a\"]}|document: must be an object",
        "{\"jobId\":\"j\",\"document\":{},\"targets\":\"a\"}|targets: must be an array",
        "{\"jobId\":\"j\",\"document\":{},\"targets\":[1]}|targets[0]: must be a string",
        "{\"jobId\":\"j\",\"document\":{}}|targets: give either targets",
        "{\"jobId\":\"j\",\"document\":{},\"targetFilter\":\"model =\"}|targetFilter: filter: at position 8",
        "{\"jobId\":\"j\",\"document\":{},\"targets\":[\"a\"],\"jobExecutionsRolloutConfig\":{\"maximumPerMinute\":5000}}|jobExecutionsRolloutConfig.maximumPerMinute: must be 1 to 1000",
        "{\"jobId\":\"j\",\"document\":{},\"targets\":[\"a\"],\"jobExecutionsRolloutConfig\":{\"maximumPerMinute\":1.5}}|jobExecutionsRolloutConfig.maximumPerMinute: must be an integer",
        "{\"jobId\":\"j\",\"document\":{},\"targets\":[\"a\"],\"jobExecutionsRolloutConfig\":{\"exponentialRate\":{\"baseRatePerMinute\":1,\"incrementFactor\":2}}}|jobExecutionsRolloutConfig.exponentialRate.rateIncreaseCriteria: missing",
        "{\"jobId\":\"j\",\"document\":{},\"targets\":[\"a\"],\"jobExecutionsRolloutConfig\":{\"exponentialRate\":{\"baseRatePerMinute\":1,\"incrementFactor\":2,\"rateIncreaseCriteria\":{\"numberOfThings\":1}}}}|jobExecutionsRolloutConfig.exponentialRate.rateIncreaseCriteria.numberOfThings: unknown field",
        "{\"jobId\":\"j\",\"document\":{},\"targets\":[\"a\"],\"abortConfig\":{\"criteriaList\":[{\"failureType\":\"OOPS\",\"action\":\"CANCEL\",\"thresholdPercentage\":1,\"minNumberOfExecutedThings\":1}]}}|abortConfig.criteriaList[0].failureType: must be one of [FAILED, REJECTED, TIMED_OUT, ALL]",
        "{\"jobId\":\"j\",\"document\":{},\"targets\":[\"a\"],\"abortConfig\":{\"criteriaList\":[{\"failureType\":\"ALL\",\"action\":\"CANCEL\",\"thresholdPercentage\":1,\"minNumberOfExecutedThings\":0}]}}|abortConfig.criteriaList[0].minNumberOfExecutedThings: must be at least 1",
        "{\"jobId\":\"j\",\"document\":{},\"targets\":[\"a\"],\"timeoutConfig\":{\"inProgressTimeoutInMinutes\":0}}|timeoutConfig.inProgressTimeoutInMinutes: must be 1 to 10080",
        "{\"jobId\":\"j/k\",\"document\":{},\"targets\":[\"a\"]}|jobId: must be 1 to 64",
        "[]|body: must be an object",
        "{|body: not JSON"
      })
  void badBodiesAreRefusedNamingTheField(String body, String message) {
    assertThatThrownBy(() -> JobDocuments.parseCreate(body, LIMITS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  @Test
  void aBodyOverTheLimitIsRefused() {
    String big = "{\"jobId\":\"j\",\"document\":{\"x\":\"" + "y".repeat(2_000_000) + "\"}}";
    assertThatThrownBy(() -> JobDocuments.parseCreate(big, LIMITS))
        .hasMessageStartingWith("body: ")
        .hasMessageContaining("more than the limit");
  }

  @Test
  void readsACancelBody() {
    assertThat(JobDocuments.parseCancel("")).isNull();
    assertThat(JobDocuments.parseCancel("{}")).isNull();
    assertThat(JobDocuments.parseCancel("{\"comment\":\"bad batch\"}")).isEqualTo("bad batch");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "{\"comment\":1}|comment: must be a string",
        "{\"reason\":\"x\"}|reason: unknown field",
        "[]|body: must be an object",
        "{|body: not JSON"
      })
  void badCancelBodiesAreRefusedNamingTheField(String body, String message) {
    assertThatThrownBy(() -> JobDocuments.parseCancel(body))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(message);
  }

  @Test
  void aCommentOverAwsBoundIsRefused() {
    String body = "{\"comment\":\"" + "x".repeat(JobDocuments.MAX_COMMENT_CHARS + 1) + "\"}";
    assertThatThrownBy(() -> JobDocuments.parseCancel(body))
        .hasMessageStartingWith("comment: 2029 characters");
  }
}
