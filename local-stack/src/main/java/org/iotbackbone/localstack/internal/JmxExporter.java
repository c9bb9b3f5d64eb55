package org.iotbackbone.localstack.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The Prometheus JMX exporter's java agent ({@code io.prometheus.jmx:jmx_prometheus_javaagent}) in
 * the JVMs of Kafka and Connect, as Strimzi runs it in Kubernetes, with the rules of the very
 * ConfigMaps Strimzi is given ({@link #KAFKA}, {@link #CONNECT}): one source of truth, so a series
 * a dashboard finds locally it finds in the cluster.
 *
 * @param configMap the ConfigMap's file, relative to the repository
 * @param key the key of its {@code data} that holds the exporter's configuration
 */
public record JmxExporter(Path configMap, String key) {

  /** Kafka's rules ({@code kafka.yaml}'s {@code metricsConfig}). */
  public static final JmxExporter KAFKA =
      new JmxExporter(Path.of("strimzi/base/kafka/kafka-metrics.yaml"), "kafka-metrics-config.yml");

  /** Connect's rules ({@code kafka-connect.yaml}'s {@code metricsConfig}). */
  public static final JmxExporter CONNECT =
      new JmxExporter(
          Path.of("strimzi/base/connect/connect-metrics.yaml"), "connect-metrics-config.yml");

  /** Where the build of this module puts the agent's jar, relative to the repository. */
  static final Path AGENT_JAR =
      Path.of("local-stack/target/jmx-exporter/jmx_prometheus_javaagent.jar");

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /**
   * The exporter's configuration, exactly the text of the ConfigMap's entry {@link #key} in the
   * repository at {@code repoRoot}. Fails naming the file when it is not such a ConfigMap, or when
   * the entry has no rules (the exporter would export every MBean, unnamed).
   */
  public String rules(Path repoRoot) {
    Path file = repoRoot.resolve(configMap);
    JsonNode map;
    try {
      map = YAML.readTree(file.toFile());
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the metrics ConfigMap " + file + ": " + e, e);
    }
    if (map == null || !"ConfigMap".equals(map.path("kind").asText())) {
      throw new IllegalStateException(file + " is not a ConfigMap");
    }
    JsonNode value = map.path("data").path(key);
    if (!value.isTextual()) {
      throw new IllegalStateException(file + " has no data entry '" + key + "'");
    }
    JsonNode config;
    try {
      config = YAML.readTree(value.asText());
    } catch (IOException e) {
      throw new IllegalStateException(file + ": '" + key + "' is not YAML: " + e, e);
    }
    if (config == null || !config.path("rules").isArray() || config.path("rules").isEmpty()) {
      throw new IllegalStateException(file + ": '" + key + "' has no rules");
    }
    return value.asText();
  }

  /**
   * Writes the configuration to {@code configFile} and returns the JVM option that starts the agent
   * serving {@code http://host:port/metrics} with it.
   */
  public String agentOption(Path repoRoot, Path configFile, String host, int port)
      throws IOException {
    Files.createDirectories(configFile.toAbsolutePath().getParent());
    Files.writeString(configFile, rules(repoRoot));
    return "-javaagent:"
        + agentJar(repoRoot)
        + "="
        + host
        + ":"
        + port
        + ":"
        + configFile.toAbsolutePath();
  }

  /**
   * The agent's jar, which the build of this module copies to {@link #AGENT_JAR} (not onto the
   * class path: it carries unshaded {@code io.prometheus.metrics} classes of another version than
   * Micrometer's).
   */
  static Path agentJar(Path repoRoot) {
    Path jar = repoRoot.resolve(AGENT_JAR).toAbsolutePath().normalize();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          "the Prometheus JMX exporter's agent is missing: "
              + jar
              + " (./mvnw package -pl local-stack -am copies it there)");
    }
    return jar;
  }

  /** The URL of the metrics the agent serves on {@code host:port}. */
  public static String url(String host, int port) {
    return "http://" + host + ":" + port + "/metrics";
  }
}
