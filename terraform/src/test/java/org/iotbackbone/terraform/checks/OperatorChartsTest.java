package org.iotbackbone.terraform.checks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operators module installs the operators at the versions whose CRDs the Kubernetes files are
 * validated against: each chart names its CRD set (local.charts' crd_set), the set's version is the
 * chart's, the set exists in shared/crds, every set there has a chart, and strimzi/README.md names
 * the same versions.
 */
class OperatorChartsTest {

  /**
   * kube-prometheus-stack's chart versions and the Prometheus Operator each ships (the chart's
   * appVersion; prometheus-community/helm-charts#7152 made 88.0.0 the one with 0.93.0). A new chart
   * version goes here after reading its Chart.yaml.
   */
  private static final Map<String, String> KUBE_PROMETHEUS_STACK_OPERATOR =
      Map.of("88.0.0", "0.93.0");

  private static JsonNode charts;

  @BeforeAll
  static void read() {
    ConfigChecker checker = new ConfigChecker(Hcl2Json.require());
    charts =
        checker
            .directory(TestEnvironment.terraformDir().resolve("modules/operators"))
            .locals
            .get("charts");
    assertThat(charts).as("local.charts in modules/operators").isNotNull();
  }

  @Test
  void everyOperatorTheKubernetesFilesNeedIsInstalled() {
    List<String> names = new ArrayList<>();
    charts.properties().forEach(e -> names.add(e.getKey()));
    assertThat(names)
        .containsExactlyInAnyOrder(
            "cert_manager", "strimzi", "emqx_operator", "scylla_operator", "kube_prometheus_stack");
    charts.forEach(
        chart ->
            assertThat(chart.path("version").asText())
                .as("%s's version is exact", chart.path("chart").asText())
                .matches("v?\\d+\\.\\d+\\.\\d+"));
  }

  @Test
  void eachChartsCrdSetIsItsOwnVersion() {
    for (String key : List.of("strimzi", "emqx_operator", "scylla_operator")) {
      JsonNode chart = charts.get(key);
      String version = chart.path("version").asText().replaceFirst("^v", "");
      assertThat(chart.path("crd_set").asText()).as(key).endsWith("-" + version);
    }
    JsonNode stack = charts.get("kube_prometheus_stack");
    String operator = KUBE_PROMETHEUS_STACK_OPERATOR.get(stack.path("version").asText());
    assertThat(operator)
        .as(
            "the Prometheus Operator of kube-prometheus-stack %s (add it to this test)",
            stack.path("version").asText())
        .isNotNull();
    assertThat(stack.path("crd_set").asText()).isEqualTo("prometheus-operator-" + operator);
  }

  @Test
  void theCrdSetsAreTheOnesTheKubernetesFilesAreValidatedWith() throws IOException {
    Path crds = crdsDir();
    Assumptions.assumeTrue(
        Files.isDirectory(crds),
        "no CRD folder at " + crds + " (kept beside the repository; strimzi/README.md)");
    List<String> sets = new ArrayList<>();
    charts.forEach(
        chart -> {
          if (chart.hasNonNull("crd_set")) {
            sets.add(chart.get("crd_set").asText());
          }
        });
    List<String> folders;
    try (Stream<Path> list = Files.list(crds)) {
      folders = list.filter(Files::isDirectory).map(p -> p.getFileName().toString()).toList();
    }
    assertThat(sets).containsExactlyInAnyOrderElementsOf(folders);
  }

  @Test
  void strimziReadmeNamesTheSameVersions() throws IOException {
    String readme = Files.readString(TestEnvironment.repoRoot().resolve("strimzi/README.md"));
    assertThat(readme)
        .contains("Strimzi " + charts.at("/strimzi/version").asText())
        .contains("EMQX Operator " + charts.at("/emqx_operator/version").asText())
        .contains(
            "Scylla Operator "
                + charts.at("/scylla_operator/version").asText().replaceFirst("^v", ""))
        .contains(
            "Prometheus Operator "
                + KUBE_PROMETHEUS_STACK_OPERATOR.get(
                    charts.at("/kube_prometheus_stack/version").asText()));
  }

  /** The nearest shared/crds beside the repository or one of its parents (as strimzi's tests). */
  private static Path crdsDir() {
    String dir = System.getProperty("iotbackbone.crdsDir");
    if (dir != null && !dir.isBlank()) {
      return Path.of(dir).toAbsolutePath().normalize();
    }
    for (Path parent = TestEnvironment.repoRoot().getParent();
        parent != null;
        parent = parent.getParent()) {
      Path candidate = parent.resolve("shared").resolve("crds");
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    return TestEnvironment.repoRoot().resolve("../shared/crds").normalize();
  }
}
