package org.iotbackbone.streamsapp.internal.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.iotbackbone.schemas.AbortCriterion;
import org.iotbackbone.schemas.ExponentialRate;
import org.iotbackbone.schemas.JobAbortAction;
import org.iotbackbone.schemas.JobDefinition;
import org.iotbackbone.schemas.JobFailureType;
import org.iotbackbone.schemas.JobRollout;
import org.iotbackbone.streamsapp.JobLimits;
import org.iotbackbone.streamsapp.internal.json.Json;

/**
 * Reads a {@code POST /jobs} body (docs/design.md, "Jobs": AWS IoT Jobs' names) into a {@link
 * JobDefinition}, then checks it with {@link JobValidation}: every problem names its field, for a
 * 400 answer. Unknown fields are refused, so that a misspelt option is never silently ignored.
 */
public final class JobDocuments {

  /** The largest request body, in UTF-8 bytes: the document's limit and room for the rest. */
  public static int maxBodyBytes(JobLimits limits) {
    return limits.maxDocumentBytes() + 64 * limits.maxTargets() + 16 * 1024;
  }

  private JobDocuments() {}

  /**
   * The job a create request asks for.
   *
   * @throws IllegalArgumentException naming the field, when the body is not a valid job
   */
  public static JobDefinition parseCreate(String body, JobLimits limits) {
    int size = body.getBytes(StandardCharsets.UTF_8).length;
    if (size > maxBodyBytes(limits)) {
      throw new IllegalArgumentException(
          "body: " + size + " bytes, more than the limit of " + maxBodyBytes(limits));
    }
    JsonNode root;
    try {
      root = Json.parse(body);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("body: not JSON: " + e.getOriginalMessage());
    }
    object(root, "body");
    known(
        root,
        "",
        Set.of(
            "jobId",
            "document",
            "description",
            "targets",
            "targetFilter",
            "jobExecutionsRolloutConfig",
            "abortConfig",
            "timeoutConfig"));
    JobDefinition.Builder job =
        JobDefinition.newBuilder()
            .setJobId(text(root, "jobId", "jobId", true))
            .setDescription(text(root, "description", "description", false))
            .setTargetFilter(text(root, "targetFilter", "targetFilter", false))
            .setTargets(targets(root.get("targets")))
            .setRollout(rollout(root.get("jobExecutionsRolloutConfig")))
            .setAbortCriteria(criteria(root.get("abortConfig")))
            .setInProgressTimeoutMinutes(timeout(root.get("timeoutConfig")));
    JsonNode document = root.get("document");
    if (document == null || document.isNull()) {
      throw new IllegalArgumentException("document: missing");
    }
    object(document, "document");
    job.setDocument(Json.write(document));
    JobDefinition definition = job.build();
    JobValidation.problem(definition, limits)
        .ifPresent(
            problem -> {
              throw new IllegalArgumentException(problem);
            });
    return definition;
  }

  /** The most characters of a cancel's comment, AWS IoT Jobs' bound. */
  public static final int MAX_COMMENT_CHARS = 2028;

  /**
   * The comment of a {@code POST /jobs/{jobId}/cancel} body, {@code {"comment"?}}; null without one
   * (an empty body too).
   *
   * @throws IllegalArgumentException naming the field, when the body is not such an object
   */
  public static String parseCancel(String body) {
    if (body.isBlank()) {
      return null;
    }
    JsonNode root;
    try {
      root = Json.parse(body);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("body: not JSON: " + e.getOriginalMessage());
    }
    object(root, "body");
    known(root, "", Set.of("comment"));
    String comment = text(root, "comment", "comment", false);
    if (comment != null && comment.length() > MAX_COMMENT_CHARS) {
      throw new IllegalArgumentException(
          "comment: " + comment.length() + " characters, more than " + MAX_COMMENT_CHARS);
    }
    return comment;
  }

  private static List<String> targets(JsonNode targets) {
    if (targets == null || targets.isNull()) {
      return List.of();
    }
    if (!targets.isArray()) {
      throw new IllegalArgumentException("targets: must be an array of device ids");
    }
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < targets.size(); i++) {
      if (!targets.get(i).isTextual()) {
        throw new IllegalArgumentException("targets[" + i + "]: must be a string");
      }
      ids.add(targets.get(i).asText());
    }
    return ids;
  }

  private static JobRollout rollout(JsonNode config) {
    String at = "jobExecutionsRolloutConfig";
    if (config == null || config.isNull()) {
      return null;
    }
    object(config, at);
    known(config, at + ".", Set.of("maximumPerMinute", "exponentialRate"));
    JsonNode exponential = config.get("exponentialRate");
    ExponentialRate rate = null;
    if (exponential != null && !exponential.isNull()) {
      String e = at + ".exponentialRate";
      object(exponential, e);
      known(
          exponential,
          e + ".",
          Set.of("baseRatePerMinute", "incrementFactor", "rateIncreaseCriteria"));
      JsonNode criteria = exponential.get("rateIncreaseCriteria");
      if (criteria == null || criteria.isNull()) {
        throw new IllegalArgumentException(e + ".rateIncreaseCriteria: missing");
      }
      object(criteria, e + ".rateIncreaseCriteria");
      known(
          criteria,
          e + ".rateIncreaseCriteria.",
          Set.of("numberOfNotifiedThings", "numberOfSucceededThings"));
      rate =
          ExponentialRate.newBuilder()
              .setBaseRatePerMinute(integer(exponential, "baseRatePerMinute", e, true))
              .setIncrementFactor(number(exponential, "incrementFactor", e))
              .setNumberOfNotifiedThings(
                  integer(criteria, "numberOfNotifiedThings", e + ".rateIncreaseCriteria", false))
              .setNumberOfSucceededThings(
                  integer(criteria, "numberOfSucceededThings", e + ".rateIncreaseCriteria", false))
              .build();
    }
    return JobRollout.newBuilder()
        .setMaximumPerMinute(integer(config, "maximumPerMinute", at, false))
        .setExponentialRate(rate)
        .build();
  }

  private static List<AbortCriterion> criteria(JsonNode config) {
    String at = "abortConfig";
    if (config == null || config.isNull()) {
      return List.of();
    }
    object(config, at);
    known(config, at + ".", Set.of("criteriaList"));
    JsonNode list = config.get("criteriaList");
    if (list == null || !list.isArray()) {
      throw new IllegalArgumentException(at + ".criteriaList: must be an array");
    }
    List<AbortCriterion> criteria = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      String c = at + ".criteriaList[" + i + "]";
      JsonNode criterion = list.get(i);
      object(criterion, c);
      known(
          criterion,
          c + ".",
          Set.of("failureType", "action", "thresholdPercentage", "minNumberOfExecutedThings"));
      criteria.add(
          AbortCriterion.newBuilder()
              .setFailureType(
                  symbol(
                      JobFailureType.class,
                      text(criterion, "failureType", c + ".failureType", true),
                      c + ".failureType"))
              .setAction(
                  symbol(
                      JobAbortAction.class,
                      text(criterion, "action", c + ".action", true),
                      c + ".action"))
              .setThresholdPercentage(number(criterion, "thresholdPercentage", c))
              .setMinNumberOfExecutedThings(
                  integer(criterion, "minNumberOfExecutedThings", c, true))
              .build());
    }
    return criteria;
  }

  private static Long timeout(JsonNode config) {
    String at = "timeoutConfig";
    if (config == null || config.isNull()) {
      return null;
    }
    object(config, at);
    known(config, at + ".", Set.of("inProgressTimeoutInMinutes"));
    Integer minutes = integer(config, "inProgressTimeoutInMinutes", at, false);
    return minutes == null ? null : minutes.longValue();
  }

  // ---- field readers: each names the field it refuses

  private static void object(JsonNode node, String field) {
    if (!node.isObject()) {
      throw new IllegalArgumentException(field + ": must be an object");
    }
  }

  private static void known(JsonNode node, String prefix, Set<String> fields) {
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      if (!fields.contains(field.getKey())) {
        throw new IllegalArgumentException(prefix + field.getKey() + ": unknown field");
      }
    }
  }

  private static String text(JsonNode node, String name, String field, boolean required) {
    JsonNode value = node.get(name);
    if (value == null || value.isNull()) {
      if (required) {
        throw new IllegalArgumentException(field + ": missing");
      }
      return null;
    }
    if (!value.isTextual()) {
      throw new IllegalArgumentException(field + ": must be a string");
    }
    return value.asText();
  }

  private static Integer integer(JsonNode node, String name, String at, boolean required) {
    JsonNode value = node.get(name);
    String field = at + "." + name;
    if (value == null || value.isNull()) {
      if (required) {
        throw new IllegalArgumentException(field + ": missing");
      }
      return null;
    }
    if (!value.isIntegralNumber() || !value.canConvertToInt()) {
      throw new IllegalArgumentException(field + ": must be an integer");
    }
    return value.asInt();
  }

  private static double number(JsonNode node, String name, String at) {
    JsonNode value = node.get(name);
    String field = at + "." + name;
    if (value == null || !value.isNumber()) {
      throw new IllegalArgumentException(field + ": must be a number");
    }
    return value.asDouble();
  }

  private static <E extends Enum<E>> E symbol(Class<E> type, String value, String field) {
    for (E constant : type.getEnumConstants()) {
      if (!constant.name().equals("UNKNOWN") && constant.name().equals(value)) {
        return constant;
      }
    }
    List<String> allowed = new ArrayList<>();
    for (E constant : type.getEnumConstants()) {
      if (!constant.name().equals("UNKNOWN")) {
        allowed.add(constant.name());
      }
    }
    throw new IllegalArgumentException(field + ": must be one of " + allowed + ": " + value);
  }
}
