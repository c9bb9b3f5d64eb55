package org.iotbackbone.localstack.internal.fuzz;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a run found: the seed and count (so that it replays), the inputs and outcomes per door, the
 * failures, whether every part still runs and whether a normal device still gets through.
 *
 * @param partProblems each part of the stack and what is wrong with it after the run (empty when
 *     healthy); empty map when the stack's records were not available
 * @param samples the first inputs of each outcome, by "door: outcome"
 * @param normalDevice the steps a normal device could not do after the run
 */
public record FuzzReport(
    long seed,
    int count,
    double seconds,
    Map<String, Long> inputs,
    Map<String, Map<String, Long>> outcomes,
    Map<String, List<String>> samples,
    long failureCount,
    List<Failure> failures,
    Map<String, Optional<String>> partProblems,
    List<String> normalDevice) {

  /**
   * An input not accounted for, or a part that misbehaved.
   *
   * @param door where the input went in ({@code platform} for the checks after the run)
   * @param input its number in the door (with the seed, it replays); -1 when none
   * @param check which promise it broke: {@code lost}, {@code acl}, {@code server-error}, {@code
   *     hang}, {@code json-body}, {@code error-body}, {@code broker-closes}, {@code
   *     broker-accepts}, {@code no-shadow-answer}, {@code part-alive}, {@code normal-device}
   * @param what the input and what happened
   */
  public record Failure(String door, long input, String check, String what) {}

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** No input unaccounted for, every part alive and healthy, the normal device through. */
  public boolean passed() {
    return failureCount == 0
        && partProblems.values().stream().allMatch(Optional::isEmpty)
        && normalDevice.isEmpty();
  }

  /** The failures of one check ({@code lost}, {@code server-error}, {@code hang}, ...). */
  public List<Failure> failuresOf(String check) {
    return failures.stream().filter(f -> f.check().equals(check)).toList();
  }

  /** The inputs sent, over all doors. */
  public long totalInputs() {
    return inputs.values().stream().mapToLong(Long::longValue).sum();
  }

  /** The summary as JSON. */
  public String json() {
    ObjectNode root = JSON.createObjectNode();
    root.put("seed", seed);
    root.put("count", count);
    root.put("replay", "./iot fuzz --seed " + seed + " --count " + count);
    root.put("seconds", Math.round(seconds * 10) / 10.0);
    root.put("passed", passed());
    root.set("inputs", JSON.valueToTree(inputs));
    root.set("outcomes", JSON.valueToTree(outcomes));
    root.set("outcomeSamples", JSON.valueToTree(samples));
    root.put("failures", failureCount);
    ArrayNode samples = root.putArray("failureSamples");
    for (Failure failure : failures) {
      ObjectNode f = samples.addObject();
      f.put("door", failure.door());
      f.put("input", failure.input());
      f.put("check", failure.check());
      f.put("what", failure.what());
    }
    ObjectNode parts = root.putObject("parts");
    partProblems.forEach((part, problem) -> parts.put(part, problem.orElse("healthy")));
    root.set(
        "normalDevice", JSON.valueToTree(normalDevice.isEmpty() ? List.of("ok") : normalDevice));
    try {
      return JSON.writeValueAsString(root);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A few lines for a terminal. */
  public String text() {
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            "fuzz seed %d count %d: %d inputs in %.1f s%n", seed, count, totalInputs(), seconds));
    outcomes.forEach(
        (door, counts) -> {
          out.append("  ")
              .append(door)
              .append(" (")
              .append(inputs.getOrDefault(door, 0L))
              .append(" inputs)\n");
          counts.forEach((outcome, n) -> out.append(String.format("    %8d  %s%n", n, outcome)));
        });
    partProblems.forEach(
        (part, problem) ->
            out.append(String.format("  part %-16s %s%n", part, problem.orElse("healthy"))));
    out.append("  normal device: ")
        .append(normalDevice.isEmpty() ? "ok" : String.join("; ", normalDevice))
        .append('\n');
    failures.stream()
        .limit(20)
        .forEach(
            f ->
                out.append("  FAILED ")
                    .append(f.check())
                    .append(": ")
                    .append(f.what())
                    .append('\n'));
    if (failureCount > 20) {
      out.append("  ... ").append(failureCount - 20).append(" more failures in the JSON report\n");
    }
    out.append(passed() ? "PASSED" : "FAILED")
        .append(": replay with ./iot fuzz --seed ")
        .append(seed)
        .append(" --count ")
        .append(count)
        .append('\n');
    return out.toString();
  }
}
