package org.iotbackbone.streamsapp.internal.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.iotbackbone.schemas.Job;
import org.iotbackbone.schemas.JobDefinition;
import org.iotbackbone.schemas.JobExecution;
import org.iotbackbone.schemas.JobExecutionStatus;
import org.iotbackbone.schemas.JobProcessDetails;
import org.iotbackbone.schemas.JobStatus;
import org.iotbackbone.streamsapp.JobLimits;
import org.iotbackbone.streamsapp.internal.json.Json;
import org.junit.jupiter.api.Test;

class JobJsonTest {

  private static final JobLimits LIMITS = JobLimits.defaults();

  private static final String FULL =
      """
      {"jobId":"fw-2-4-0","document":{"url":"https://fw.example/2.4.0","size":123},
       "description":"speakers",
       "targetFilter":"model = speaker-300 and firmware < 2.4.0",
       "jobExecutionsRolloutConfig":{"exponentialRate":{"baseRatePerMinute":10,
         "incrementFactor":2.5,"rateIncreaseCriteria":{"numberOfSucceededThings":50}}},
       "abortConfig":{"criteriaList":[{"failureType":"FAILED","action":"CANCEL",
         "thresholdPercentage":10.5,"minNumberOfExecutedThings":20}]},
       "timeoutConfig":{"inProgressTimeoutInMinutes":30}}
      """;

  @Test
  void theDefinitionReadsBackAsTheSameDefinition() {
    for (String body :
        List.of(
            FULL,
            "{\"jobId\":\"j\",\"document\":{},\"targets\":[\"a\",\"b\"],"
                + "\"jobExecutionsRolloutConfig\":{\"maximumPerMinute\":100}}")) {
      JobDefinition asked = JobDocuments.parseCreate(body, LIMITS);
      ObjectNode written = JobJson.definition(asked);
      written.put("jobId", asked.getJobId());
      assertThat(JobDocuments.parseCreate(Json.write(written), LIMITS)).isEqualTo(asked);
    }
  }

  @Test
  void aJobReadBackIsKnownAsOfItsDefinitionOnly() {
    JobDefinition asked = JobDocuments.parseCreate(FULL, LIMITS);
    // As the REST API reads it back: from text, where the long timeout is an int.
    JsonNode readBack = Json.parseObject(Json.write(JobJson.describe(job(asked).build())));
    assertThat(JobJson.describes(readBack, asked)).isTrue();
    JobDefinition other = JobDefinition.newBuilder(asked).setInProgressTimeoutMinutes(31L).build();
    assertThat(JobJson.describes(readBack, other)).isFalse();
    JobDefinition noDescription = JobDefinition.newBuilder(asked).setDescription(null).build();
    assertThat(JobJson.describes(readBack, noDescription)).isFalse();
    JobDefinition renamed = JobDefinition.newBuilder(asked).setJobId("fw-other").build();
    assertThat(JobJson.describes(readBack, renamed)).isFalse();
  }

  @Test
  void aJobIsDescribedWithAwsNamesAndEpochMilliseconds() throws Exception {
    Job job =
        job(JobDocuments.parseCreate(FULL, LIMITS))
            .setStatus(JobStatus.CANCELED)
            .setReasonCode("FAILED>=10.0%")
            .setCompletedAt(Instant.ofEpochMilli(3_000))
            .build();
    ObjectNode described = JobJson.describe(job);
    assertThat(described.path("jobId").asText()).isEqualTo("fw-2-4-0");
    assertThat(described.path("status").asText()).isEqualTo("CANCELED");
    assertThat(described.path("reasonCode").asText()).isEqualTo("FAILED>=10.0%");
    assertThat(described.path("document")).isEqualTo(Json.parse(FULL).path("document"));
    assertThat(described.path("targetFilter").asText()).startsWith("model = speaker-300");
    assertThat(described.has("targets")).isFalse();
    assertThat(described.path("targetsResolved").asBoolean()).isTrue();
    assertThat(described.path("currentRatePerMinute").asInt()).isEqualTo(10);
    assertThat(described.at("/jobExecutionsRolloutConfig/exponentialRate/incrementFactor"))
        .isEqualTo(Json.parse("2.5"));
    assertThat(described.at("/abortConfig/criteriaList/0/thresholdPercentage").asDouble())
        .isEqualTo(10.5);
    assertThat(described.at("/timeoutConfig/inProgressTimeoutInMinutes").asInt()).isEqualTo(30);
    assertThat(described.path("createdAt").asLong()).isEqualTo(1_000);
    assertThat(described.path("lastUpdatedAt").asLong()).isEqualTo(2_000);
    assertThat(described.path("completedAt").asLong()).isEqualTo(3_000);
    // Every count, named as AWS names them, zeros too.
    assertThat(described.path("jobProcessDetails").properties())
        .extracting(Map.Entry::getKey)
        .containsExactly(
            "numberOfTargets",
            "numberOfNotifiedThings",
            "numberOfQueuedThings",
            "numberOfInProgressThings",
            "numberOfSucceededThings",
            "numberOfFailedThings",
            "numberOfRejectedThings",
            "numberOfTimedOutThings",
            "numberOfCanceledThings",
            "numberOfRemovedThings");
    assertThat(described.at("/jobProcessDetails/numberOfSucceededThings").asLong()).isEqualTo(7);
  }

  @Test
  void aSummaryHasTheIdStatusAndTimesOnly() {
    Job running = job(JobDocuments.parseCreate(FULL, LIMITS)).build();
    assertThat(Json.write(JobJson.summary(running)))
        .isEqualTo(
            "{\"jobId\":\"fw-2-4-0\",\"status\":\"IN_PROGRESS\",\"createdAt\":1000,"
                + "\"lastUpdatedAt\":2000}");
  }

  @Test
  void anExecutionNamesWhatItsListDoesNotAndLeavesOutWhatItHasNot() {
    JobExecution queued =
        JobExecution.newBuilder()
            .setJobId("fw-1")
            .setStatus(JobExecutionStatus.QUEUED)
            .setVersionNumber(1)
            .setJobDocument("{}")
            .setQueuedAt(Instant.ofEpochMilli(10))
            .setLastUpdatedAt(Instant.ofEpochMilli(10))
            .build();
    assertThat(Json.write(JobJson.execution("deviceId", "lamp-1", queued)))
        .isEqualTo(
            "{\"deviceId\":\"lamp-1\",\"status\":\"QUEUED\",\"versionNumber\":1,"
                + "\"queuedAt\":10,\"lastUpdatedAt\":10}");
    JobExecution failed =
        JobExecution.newBuilder(queued)
            .setStatus(JobExecutionStatus.FAILED)
            .setVersionNumber(3)
            .setStartedAt(Instant.ofEpochMilli(20))
            .setLastUpdatedAt(Instant.ofEpochMilli(30))
            .setStatusDetails(Map.of("step", "flash", "error", "crc"))
            .build();
    assertThat(Json.write(JobJson.execution("jobId", "fw-1", failed)))
        .isEqualTo(
            "{\"jobId\":\"fw-1\",\"status\":\"FAILED\",\"versionNumber\":3,\"queuedAt\":10,"
                + "\"startedAt\":20,\"lastUpdatedAt\":30,"
                + "\"statusDetails\":{\"error\":\"crc\",\"step\":\"flash\"}}");
  }

  private static Job.Builder job(JobDefinition definition) {
    return Job.newBuilder()
        .setJobId(definition.getJobId())
        .setDefinition(definition)
        .setStatus(JobStatus.IN_PROGRESS)
        .setTargetsResolved(true)
        .setCurrentRatePerMinute(10)
        .setProcessDetails(
            JobProcessDetails.newBuilder()
                .setNumberOfTargets(9)
                .setNumberOfSucceededThings(7)
                .build())
        .setCreatedAt(Instant.ofEpochMilli(1_000))
        .setLastUpdatedAt(Instant.ofEpochMilli(2_000));
  }
}
