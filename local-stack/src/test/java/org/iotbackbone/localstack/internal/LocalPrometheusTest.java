package org.iotbackbone.localstack.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.iotbackbone.servers.Distribution;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stack's Prometheus configuration, from endpoints.env's METRICS_*_URLS keys. */
class LocalPrometheusTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void everyMetricsKeyIsAJobNamedAfterItsPart() {
    Map<String, String> variables = new LinkedHashMap<>();
    variables.put("KAFKA_BOOTSTRAP", "127.0.0.1:9092");
    variables.put("METRICS_STREAMS_URLS", "http://127.0.0.1:8081/metrics");
    variables.put(
        "METRICS_BRIDGE_URLS", "http://127.0.0.1:8080/metrics, http://127.0.0.2:8080/prom");
    variables.put("METRICS_MQTT_BROKER_URLS", "http://localhost:9001/metrics");
    variables.put("METRICS_CONNECT_URLS", "");
    variables.put("BRIDGE_URL", "http://127.0.0.1:8080");

    Map<String, List<URI>> targets = LocalPrometheus.targets(variables);

    assertThat(targets).containsOnlyKeys("bridge", "mqtt-broker", "streams");
    assertThat(targets.get("bridge"))
        .containsExactly(
            URI.create("http://127.0.0.1:8080/metrics"), URI.create("http://127.0.0.2:8080/prom"));
  }

  @Test
  void aMetricsUrlThatIsNoHttpUrlIsRefusedNamingItsKey() {
    for (String bad :
        List.of(
            "127.0.0.1:9404", "ftp://127.0.0.1:1/metrics", "http://host/metrics", "http://a b")) {
      assertThatThrownBy(() -> LocalPrometheus.targets(Map.of("METRICS_KAFKA_URLS", bad)))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("METRICS_KAFKA_URLS")
          .hasMessageContaining(bad);
    }
  }

  @Test
  void eachTargetKeepsItsOwnPathAndScheme() {
    JsonNode config =
        LocalPrometheus.config(
            Map.of(
                "bridge",
                List.of(
                    URI.create("http://127.0.0.1:8080/metrics"),
                    URI.create("https://127.0.0.1:9/x"))),
            dir.resolve("rules.yml"));

    assertThat(config.at("/rule_files/0").asText()).isEqualTo(dir.resolve("rules.yml").toString());
    JsonNode job = config.at("/scrape_configs/0");
    assertThat(job.path("job_name").asText()).isEqualTo("bridge");
    assertThat(job.at("/static_configs/0/targets/0").asText()).isEqualTo("127.0.0.1:8080");
    assertThat(job.at("/static_configs/0/labels/__metrics_path__").asText()).isEqualTo("/metrics");
    assertThat(job.at("/static_configs/1/labels/__metrics_path__").asText()).isEqualTo("/x");
    assertThat(job.at("/static_configs/1/labels/__scheme__").asText()).isEqualTo("https");
  }

  /**
   * What ./iot up --monitoring writes passes Prometheus's own check (promtool check config, which
   * also checks the rule files it names): the repository's rules, the contract's four parts.
   */
  @Test
  void theWrittenConfigAndTheRepositorysRulesPassPromtool() throws Exception {
    Path promtool = promtool();
    Path rules = dir.resolve("rules.yml");
    Files.writeString(
        rules,
        JSON.writeValueAsString(
            new MonitoringFiles(Distribution.repositoryRoot(LocalPrometheusTest.class))
                .ruleGroups()));
    Map<String, String> variables = new LinkedHashMap<>();
    for (String part : List.of("BRIDGE", "STREAMS", "KAFKA", "CONNECT")) {
      variables.put("METRICS_" + part + "_URLS", "http://127.0.0.1:9/metrics");
    }
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(
        config,
        JSON.writeValueAsString(LocalPrometheus.config(LocalPrometheus.targets(variables), rules)));

    String output = run(promtool, "check", "config", config.toString());
    assertThat(output).contains("SUCCESS").contains(rules.toString());
  }

  private static Path promtool() {
    Path promtool = LocalPrometheus.DEBIAN_BINARY.resolveSibling("promtool");
    boolean installed = Files.isExecutable(promtool);
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      assertThat(installed).as(promtool + " is installed (CI=true; .ci/run installs it)").isTrue();
    }
    Assumptions.assumeTrue(installed, promtool + " is not installed (apt-get install prometheus)");
    return promtool;
  }

  private static String run(Path program, String... args) throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>(List.of(program.toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    return output;
  }
}
