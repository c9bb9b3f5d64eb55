package org.iotbackbone.deploy.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every PrometheusRule under {@code strimzi/} passes Prometheus's own check: its rule groups (the
 * resource's {@code spec}, a rules file as it stands) through {@code promtool check rules}, which
 * parses every expression and template and refuses duplicate or malformed rules. The CRD check
 * (CrdSchemasTest) sees only the resource's shape, not the PromQL in it.
 *
 * <p>promtool comes with Debian's {@code prometheus} package ({@code .ci/run} installs it); without
 * it the test is skipped on a developer's machine and fails in CI.
 */
class PromtoolRulesTest {

  @TempDir Path dir;

  private static Path promtool;

  @BeforeAll
  static void findPromtool() {
    Optional<Path> found = find();
    TestEnvironment.require(
        found.isPresent(), "promtool is not installed (apt-get install prometheus)");
    promtool = found.orElseThrow();
  }

  @Test
  void everyPrometheusRulePassesPromtool() throws Exception {
    List<ObjectNode> rules = new ArrayList<>();
    for (Path file : ResourceFiles.yamlFiles(TestEnvironment.strimziDir())) {
      ResourceFiles.resources(file).stream()
          .filter(r -> r.path("kind").asString("").equals("PrometheusRule"))
          .forEach(rules::add);
    }
    assertThat(rules).as("PrometheusRules under strimzi/").isNotEmpty();
    for (ObjectNode rule : rules) {
      String name = rule.path("metadata").path("name").asString("");
      Result result = check(name, Yaml.toJson(rule.path("spec")));
      assertThat(result.exit()).as(name + ": " + result.output()).isZero();
      assertThat(result.output()).as(name).contains("SUCCESS");
    }
  }

  /**
   * The alerts fire when they should and stay quiet when they should: {@code promtool test rules}
   * with {@code src/test/resources/monitoring/alerts-test.yml} (made-up series, the alerts expected
   * at given times) on the platform rule's groups, written without their annotations so that the
   * cases list labels only (the annotations' templates are checked above).
   */
  @Test
  void theAlertsFireOnTheirCases() throws Exception {
    ObjectNode spec = (ObjectNode) platformRule().path("spec").deepCopy();
    spec.path("groups")
        .forEach(
            group ->
                group.path("rules").forEach(rule -> ((ObjectNode) rule).remove("annotations")));
    Files.writeString(dir.resolve("rules.yml"), Yaml.toJson(spec));
    Path cases = dir.resolve("alerts-test.yml");
    Files.copy(
        TestEnvironment.strimziDir().resolve("src/test/resources/monitoring/alerts-test.yml"),
        cases);
    Result result = promtool("test", "rules", cases.toString());
    assertThat(result.exit()).as(result.output()).isZero();
    assertThat(result.output()).contains("SUCCESS");
  }

  /** The check bites: a wrong expression, a bad template and a bad duration are refused. */
  @Test
  void promtoolRefusesBrokenRules() throws Exception {
    for (String broken :
        List.of(
            "{\"groups\": [{\"name\": \"g\", \"rules\": [{\"alert\": \"A\", \"expr\": \"sum by"
                + " (job (up)\"}]}]}",
            "{\"groups\": [{\"name\": \"g\", \"rules\": [{\"alert\": \"A\", \"expr\": \"up ==\""
                + " , \"for\": \"5m\"}]}]}",
            "{\"groups\": [{\"name\": \"g\", \"rules\": [{\"alert\": \"A\", \"expr\": \"up\","
                + " \"annotations\": {\"summary\": \"{{ $labels.job \"}}]}]}",
            "{\"groups\": [{\"name\": \"g\", \"rules\": [{\"alert\": \"A\", \"expr\": \"up\","
                + " \"for\": \"five minutes\"}]}]}")) {
      Result result = check("broken", broken);
      assertThat(result.exit()).as(broken + "\n" + result.output()).isNotZero();
    }
  }

  /** The PrometheusRule of base/monitoring. */
  private static ObjectNode platformRule() {
    return ResourceFiles.resources(
            TestEnvironment.strimziDir().resolve("base/monitoring/prometheus-rules.yaml"))
        .get(0);
  }

  private Result check(String name, String rulesFile) throws IOException, InterruptedException {
    Path file = dir.resolve(name + ".rules.yml");
    Files.writeString(file, rulesFile); // JSON is YAML
    return promtool("check", "rules", file.toString());
  }

  private static Result promtool(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(promtool.toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("promtool ends").isTrue();
    return new Result(process.exitValue(), output);
  }

  private record Result(int exit, String output) {}

  /** Debian's /usr/bin/promtool, else promtool on the PATH. */
  private static Optional<Path> find() {
    Stream<Path> candidates =
        Stream.concat(
            Stream.of(Path.of("/usr/bin/promtool")),
            Stream.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                .filter(d -> !d.isEmpty())
                .map(d -> Path.of(d, "promtool")));
    return candidates.filter(Files::isExecutable).findFirst();
  }
}
