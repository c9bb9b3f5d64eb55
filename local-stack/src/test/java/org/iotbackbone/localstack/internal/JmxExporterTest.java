package org.iotbackbone.localstack.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * The JMX exporter of {@code ./iot up} runs the very rules of the Kubernetes ConfigMaps: the file
 * it writes is their entry, read here with another YAML parser.
 */
class JmxExporterTest {

  /** The repository: the module's parent (Surefire runs in the module's directory). */
  private static final Path REPO = Path.of("").toAbsolutePath().getParent();

  @TempDir Path dir;

  @SuppressWarnings("unchecked")
  private static String configMapEntry(JmxExporter exporter) throws IOException {
    try (Reader reader = Files.newBufferedReader(REPO.resolve(exporter.configMap()))) {
      Map<String, Object> map = new Yaml().load(reader);
      return (String) ((Map<String, Object>) map.get("data")).get(exporter.key());
    }
  }

  @Test
  void theLocalConfigurationIsTheConfigMapsEntry() throws IOException {
    for (JmxExporter exporter : List.of(JmxExporter.KAFKA, JmxExporter.CONNECT)) {
      Path file = dir.resolve(exporter.key());
      String option = exporter.agentOption(REPO, file, "127.0.0.1", 9404);

      assertThat(Files.readString(file)).isEqualTo(configMapEntry(exporter));
      assertThat(option)
          .startsWith("-javaagent:")
          .contains("jmx_prometheus_javaagent")
          .endsWith("=127.0.0.1:9404:" + file.toAbsolutePath());
      assertThat(Path.of(option.substring("-javaagent:".length(), option.indexOf('='))))
          .isRegularFile();
    }
  }

  /**
   * What the agent exports of the JVM by itself (seen in a scrape of 1.0.1): a rule naming one of
   * these fails every scrape with "duplicate metric name" (the ConfigMap of Kafka had one).
   */
  private static final List<String> AGENT_JVM_METRICS =
      List.of(
          "jvm_threads_current",
          "jvm_threads_daemon",
          "jvm_threads_peak",
          "jvm_threads_state",
          "jvm_threads_started_total",
          "jvm_threads_deadlocked",
          "jvm_memory_used_bytes",
          "jvm_memory_committed_bytes",
          "jvm_memory_max_bytes",
          "jvm_memory_init_bytes",
          "jvm_gc_collection_seconds",
          "jvm_classes_currently_loaded",
          "jvm_classes_loaded_total",
          "jvm_buffer_pool_used_bytes",
          "jvm_runtime_info",
          "process_cpu_seconds_total",
          "process_open_fds",
          "process_resident_memory_bytes");

  @Test
  void noRuleNamesASeriesTheAgentExportsItself() throws IOException {
    for (JmxExporter exporter : List.of(JmxExporter.KAFKA, JmxExporter.CONNECT)) {
      List<String> names =
          exporter
              .rules(REPO)
              .lines()
              .map(String::trim)
              .filter(line -> line.startsWith("name: "))
              .map(line -> line.substring("name: ".length()))
              .toList();
      assertThat(names)
          .as(exporter.configMap().toString())
          .doesNotContainAnyElementsOf(AGENT_JVM_METRICS);
    }
  }

  @Test
  void connectsRulesExportTheSinksMetricsAndItsLag() throws IOException {
    assertThat(JmxExporter.CONNECT.rules(REPO))
        .contains(
            "name: kafka_connect_scylla_sink_$3",
            "name: kafka_connect_scylla_sink_dead_letters_total",
            "name: kafka_consumer_fetch_manager_records_lag_max");
  }

  @Test
  void aFileThatIsNotSuchAConfigMapIsRefusedNamingIt() throws IOException {
    Path notAMap = dir.resolve("deployment.yaml");
    Files.writeString(notAMap, "apiVersion: apps/v1\nkind: Deployment\n");
    Path noKey = dir.resolve("other.yaml");
    Files.writeString(noKey, "kind: ConfigMap\ndata:\n  other.yml: |\n    rules: []\n");
    Path noRules = dir.resolve("empty.yaml");
    Files.writeString(
        noRules, "kind: ConfigMap\ndata:\n  m.yml: |\n    lowercaseOutputName: true\n");

    assertThatThrownBy(() -> new JmxExporter(notAMap, "m.yml").rules(dir))
        .hasMessageContaining(notAMap.toString())
        .hasMessageContaining("not a ConfigMap");
    assertThatThrownBy(() -> new JmxExporter(noKey, "m.yml").rules(dir))
        .hasMessageContaining("no data entry 'm.yml'");
    assertThatThrownBy(() -> new JmxExporter(noRules, "m.yml").rules(dir))
        .hasMessageContaining("'m.yml' has no rules");
    assertThatThrownBy(() -> new JmxExporter(Path.of("missing.yaml"), "m.yml").rules(dir))
        .hasMessageContaining("cannot read the metrics ConfigMap");
  }

  @Test
  void eachPartsMetricsUrlsBecomeItsVariable() {
    Map<String, String> variables =
        EndpointsFile.metricsVariables(
            Map.of(
                "kafka", Map.of(EndpointsFile.METRICS_URL, "http://127.0.0.1:1/metrics"),
                "connect", Map.of(EndpointsFile.METRICS_URL, "http://127.0.0.1:2/metrics"),
                "ingest-bridge", Map.of(EndpointsFile.METRICS_URL, "http://127.0.0.1:3/metrics"),
                "cassandra", Map.of(EndpointsFile.METRICS_URL, "http://127.0.0.1:4/metrics"),
                "streams-app", Map.of("httpPort", "5")));

    assertThat(variables)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "METRICS_KAFKA_URLS", "http://127.0.0.1:1/metrics",
                "METRICS_CONNECT_URLS", "http://127.0.0.1:2/metrics",
                "METRICS_BRIDGE_URLS", "http://127.0.0.1:3/metrics"));
  }
}
