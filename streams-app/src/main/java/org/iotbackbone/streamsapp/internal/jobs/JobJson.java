package org.iotbackbone.streamsapp.internal.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.iotbackbone.schemas.AbortCriterion;
import org.iotbackbone.schemas.ExponentialRate;
import org.iotbackbone.schemas.Job;
import org.iotbackbone.schemas.JobDefinition;
import org.iotbackbone.schemas.JobExecution;
import org.iotbackbone.schemas.JobProcessDetails;
import org.iotbackbone.schemas.JobRollout;
import org.iotbackbone.streamsapp.internal.json.Json;

/**
 * The JSON the REST API answers for jobs and executions, in AWS IoT Jobs' names, the one place it
 * is written. The definition is written back in the names {@link JobDocuments} reads, so that what
 * a caller sent is what it reads. Times are epoch milliseconds.
 */
public final class JobJson {

  private JobJson() {}

  /** A job as {@code GET /jobs/{jobId}} describes it. */
  public static ObjectNode describe(Job job) {
    ObjectNode out = Json.object();
    out.put("jobId", job.getJobId());
    out.put("status", job.getStatus().name());
    if (job.getReasonCode() != null) {
      out.put("reasonCode", job.getReasonCode());
    }
    out.setAll(definition(job.getDefinition()));
    out.put("targetsResolved", job.getTargetsResolved());
    out.put("currentRatePerMinute", job.getCurrentRatePerMinute());
    out.set("jobProcessDetails", processDetails(job.getProcessDetails()));
    times(out, job);
    return out;
  }

  /**
   * What the caller asked for, in the fields of a {@code POST /jobs} body but {@code jobId}: read
   * back by {@link JobDocuments#parseCreate} it is the same definition.
   */
  public static ObjectNode definition(JobDefinition definition) {
    ObjectNode out = Json.object();
    if (definition.getDescription() != null) {
      out.put("description", definition.getDescription());
    }
    out.set("document", Json.parseObject(definition.getDocument()));
    if (definition.getTargetFilter() != null) {
      out.put("targetFilter", definition.getTargetFilter());
    } else {
      ArrayNode targets = out.putArray("targets");
      definition.getTargets().forEach(targets::add);
    }
    if (definition.getRollout() != null) {
      out.set("jobExecutionsRolloutConfig", rollout(definition.getRollout()));
    }
    if (!definition.getAbortCriteria().isEmpty()) {
      ArrayNode criteria = out.putObject("abortConfig").putArray("criteriaList");
      definition.getAbortCriteria().forEach(c -> criteria.add(criterion(c)));
    }
    if (definition.getInProgressTimeoutMinutes() != null) {
      out.putObject("timeoutConfig")
          .put("inProgressTimeoutInMinutes", definition.getInProgressTimeoutMinutes());
    }
    return out;
  }

  /** The fields {@link #definition} may write. */
  private static final List<String> DEFINITION_FIELDS =
      List.of(
          "description",
          "document",
          "targets",
          "targetFilter",
          "jobExecutionsRolloutConfig",
          "abortConfig",
          "timeoutConfig");

  /**
   * Whether a job as read back ({@link #describe}, from text) is of this definition: the same id
   * and every field of a definition the same, compared as text reads them (a long 60 written is an
   * int 60 read).
   */
  public static boolean describes(JsonNode described, JobDefinition definition) {
    ObjectNode asked = Json.parseObject(Json.write(definition(definition)));
    for (String field : DEFINITION_FIELDS) {
      if (!Objects.equals(asked.get(field), described.get(field))) {
        return false;
      }
    }
    return described.path("jobId").asText().equals(definition.getJobId());
  }

  /** A job as {@code GET /jobs} lists it. */
  public static ObjectNode summary(Job job) {
    ObjectNode out = Json.object();
    out.put("jobId", job.getJobId());
    out.put("status", job.getStatus().name());
    times(out, job);
    return out;
  }

  /**
   * An execution as the lists of executions show it, its first field naming what the list does not
   * say: {@code deviceId} in a job's list, {@code jobId} in a device's.
   *
   * @param idField {@code "deviceId"} or {@code "jobId"}
   */
  public static ObjectNode execution(String idField, String id, JobExecution execution) {
    ObjectNode out = Json.object();
    out.put(idField, id);
    out.put("status", execution.getStatus().name());
    out.put("versionNumber", execution.getVersionNumber());
    out.put("queuedAt", execution.getQueuedAt().toEpochMilli());
    if (execution.getStartedAt() != null) {
      out.put("startedAt", execution.getStartedAt().toEpochMilli());
    }
    out.put("lastUpdatedAt", execution.getLastUpdatedAt().toEpochMilli());
    if (!execution.getStatusDetails().isEmpty()) {
      ObjectNode details = out.putObject("statusDetails");
      // Sorted: the same execution always reads the same.
      new TreeMap<>(execution.getStatusDetails()).forEach(details::put);
    }
    return out;
  }

  private static ObjectNode rollout(JobRollout rollout) {
    ObjectNode out = Json.object();
    if (rollout.getMaximumPerMinute() != null) {
      out.put("maximumPerMinute", rollout.getMaximumPerMinute());
    }
    ExponentialRate rate = rollout.getExponentialRate();
    if (rate != null) {
      ObjectNode exponential = out.putObject("exponentialRate");
      exponential.put("baseRatePerMinute", rate.getBaseRatePerMinute());
      exponential.put("incrementFactor", rate.getIncrementFactor());
      ObjectNode criteria = exponential.putObject("rateIncreaseCriteria");
      if (rate.getNumberOfNotifiedThings() != null) {
        criteria.put("numberOfNotifiedThings", rate.getNumberOfNotifiedThings());
      }
      if (rate.getNumberOfSucceededThings() != null) {
        criteria.put("numberOfSucceededThings", rate.getNumberOfSucceededThings());
      }
    }
    return out;
  }

  private static ObjectNode criterion(AbortCriterion criterion) {
    ObjectNode out = Json.object();
    out.put("failureType", criterion.getFailureType().name());
    out.put("action", criterion.getAction().name());
    out.put("thresholdPercentage", criterion.getThresholdPercentage());
    out.put("minNumberOfExecutedThings", criterion.getMinNumberOfExecutedThings());
    return out;
  }

  /** Every count of the record, in its order and AWS's names (the schema's field names). */
  private static ObjectNode processDetails(JobProcessDetails counts) {
    ObjectNode out = Json.object();
    for (Schema.Field field : counts.getSchema().getFields()) {
      out.put(field.name(), (Long) counts.get(field.pos()));
    }
    return out;
  }

  private static void times(ObjectNode out, Job job) {
    out.put("createdAt", job.getCreatedAt().toEpochMilli());
    out.put("lastUpdatedAt", job.getLastUpdatedAt().toEpochMilli());
    Instant completed = job.getCompletedAt();
    if (completed != null) {
      out.put("completedAt", completed.toEpochMilli());
    }
  }
}
