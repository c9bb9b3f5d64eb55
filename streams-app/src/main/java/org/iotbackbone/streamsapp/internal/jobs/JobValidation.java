package org.iotbackbone.streamsapp.internal.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Pattern;
import org.iotbackbone.schemas.AbortCriterion;
import org.iotbackbone.schemas.ExponentialRate;
import org.iotbackbone.schemas.JobAbortAction;
import org.iotbackbone.schemas.JobDefinition;
import org.iotbackbone.schemas.JobFailureType;
import org.iotbackbone.schemas.JobRollout;
import org.iotbackbone.streamsapp.JobLimits;
import org.iotbackbone.streamsapp.internal.json.Json;
import org.iotbackbone.streamsapp.internal.streams.DeviceIds;

/**
 * Checks a job definition against docs/design.md, "Jobs": the first problem found, naming the field
 * in AWS IoT Jobs' spelling, so that the REST API can answer 400 with it and the topology can
 * dead-letter with it.
 */
public final class JobValidation {

  /** A job id: 1 to 64 of {@code [A-Za-z0-9_-]}, as AWS allows. */
  public static final Pattern JOB_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  private JobValidation() {}

  /** The first problem of the definition, or empty when it is a valid job. */
  public static Optional<String> problem(JobDefinition job, JobLimits limits) {
    if (job.getJobId() == null || !JOB_ID.matcher(job.getJobId()).matches()) {
      return Optional.of("jobId: must be 1 to 64 of [A-Za-z0-9_-]");
    }
    Optional<String> document = document(job.getDocument(), limits);
    if (document.isPresent()) {
      return document;
    }
    Optional<String> targets = targets(job, limits);
    if (targets.isPresent()) {
      return targets;
    }
    if (job.getRollout() != null) {
      Optional<String> rollout = rollout(job.getRollout());
      if (rollout.isPresent()) {
        return rollout;
      }
    }
    for (int i = 0; i < job.getAbortCriteria().size(); i++) {
      Optional<String> criterion = criterion(job.getAbortCriteria().get(i), i);
      if (criterion.isPresent()) {
        return criterion;
      }
    }
    Long timeout = job.getInProgressTimeoutMinutes();
    if (timeout != null && (timeout < 1 || timeout > 10_080)) {
      return Optional.of(
          "timeoutConfig.inProgressTimeoutInMinutes: must be 1 to 10080: " + timeout);
    }
    return Optional.empty();
  }

  private static Optional<String> document(String document, JobLimits limits) {
    if (document == null) {
      return Optional.of("document: missing");
    }
    int size = document.getBytes(StandardCharsets.UTF_8).length;
    if (size > limits.maxDocumentBytes()) {
      return Optional.of(
          "document: " + size + " bytes, more than the limit of " + limits.maxDocumentBytes());
    }
    try {
      JsonNode node = Json.parse(document);
      if (!node.isObject()) {
        return Optional.of("document: must be a JSON object");
      }
    } catch (JsonProcessingException e) {
      return Optional.of("document: not JSON: " + e.getOriginalMessage());
    }
    return Optional.empty();
  }

  private static Optional<String> targets(JobDefinition job, JobLimits limits) {
    boolean listed = !job.getTargets().isEmpty();
    boolean filtered = job.getTargetFilter() != null;
    if (listed == filtered) {
      return Optional.of("targets: give either targets (device ids) or targetFilter, not both");
    }
    if (filtered) {
      try {
        TargetFilter.parse(job.getTargetFilter());
      } catch (FilterException e) {
        return Optional.of("targetFilter: " + e.getMessage());
      }
      return Optional.empty();
    }
    if (job.getTargets().size() > limits.maxTargets()) {
      return Optional.of(
          "targets: "
              + job.getTargets().size()
              + " device ids, more than the limit of "
              + limits.maxTargets());
    }
    for (int i = 0; i < job.getTargets().size(); i++) {
      if (!DeviceIds.isValid(job.getTargets().get(i))) {
        return Optional.of("targets[" + i + "]: not a device id (1 to 64 of [A-Za-z0-9_-])");
      }
    }
    return Optional.empty();
  }

  private static Optional<String> rollout(JobRollout rollout) {
    String prefix = "jobExecutionsRolloutConfig.";
    Integer constant = rollout.getMaximumPerMinute();
    ExponentialRate exponential = rollout.getExponentialRate();
    if ((constant == null) == (exponential == null)) {
      return Optional.of(prefix + "maximumPerMinute: give it or exponentialRate, exactly one");
    }
    if (constant != null) {
      return rate(prefix + "maximumPerMinute", constant);
    }
    prefix += "exponentialRate.";
    Optional<String> base = rate(prefix + "baseRatePerMinute", exponential.getBaseRatePerMinute());
    if (base.isPresent()) {
      return base;
    }
    double factor = exponential.getIncrementFactor();
    if (!(factor >= 1.1 && factor <= 5)) {
      return Optional.of(prefix + "incrementFactor: must be 1.1 to 5: " + factor);
    }
    Integer notified = exponential.getNumberOfNotifiedThings();
    Integer succeeded = exponential.getNumberOfSucceededThings();
    if ((notified == null) == (succeeded == null)) {
      return Optional.of(
          prefix
              + "rateIncreaseCriteria: give numberOfNotifiedThings or numberOfSucceededThings,"
              + " exactly one");
    }
    int threshold = notified != null ? notified : succeeded;
    if (threshold < 1) {
      return Optional.of(
          prefix
              + "rateIncreaseCriteria."
              + (notified != null ? "numberOfNotifiedThings" : "numberOfSucceededThings")
              + ": must be at least 1: "
              + threshold);
    }
    return Optional.empty();
  }

  private static Optional<String> rate(String field, int rate) {
    if (rate < 1 || rate > JobLimits.MAX_RATE_PER_MINUTE) {
      return Optional.of(field + ": must be 1 to " + JobLimits.MAX_RATE_PER_MINUTE + ": " + rate);
    }
    return Optional.empty();
  }

  private static Optional<String> criterion(AbortCriterion criterion, int index) {
    String prefix = "abortConfig.criteriaList[" + index + "].";
    if (criterion.getFailureType() == JobFailureType.UNKNOWN) {
      return Optional.of(prefix + "failureType: must be FAILED, REJECTED, TIMED_OUT or ALL");
    }
    if (criterion.getAction() != JobAbortAction.CANCEL) {
      return Optional.of(prefix + "action: must be CANCEL");
    }
    double threshold = criterion.getThresholdPercentage();
    if (!(threshold >= 0 && threshold <= 100)) {
      return Optional.of(prefix + "thresholdPercentage: must be 0 to 100: " + threshold);
    }
    if (criterion.getMinNumberOfExecutedThings() < 1) {
      return Optional.of(
          prefix
              + "minNumberOfExecutedThings: must be at least 1: "
              + criterion.getMinNumberOfExecutedThings());
    }
    return Optional.empty();
  }
}
