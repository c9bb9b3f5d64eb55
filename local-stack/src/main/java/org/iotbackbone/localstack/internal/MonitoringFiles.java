package org.iotbackbone.localstack.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The repository's one copy of the dashboard and the alert rules, in {@code strimzi/}: the Grafana
 * dashboard JSON and the {@code PrometheusRule}, whose rule groups ({@code spec}) are a Prometheus
 * rules file as they stand. {@code ./iot up --monitoring} loads the rules; {@code PlatformIT}
 * checks that every metric they and the dashboard read is exposed.
 */
public final class MonitoringFiles {

  /** The PrometheusRule, relative to the repository's root. */
  public static final String RULES = "strimzi/base/monitoring/prometheus-rules.yaml";

  /** The Grafana dashboard, relative to the repository's root. */
  public static final String DASHBOARD = "strimzi/base/monitoring/dashboards/iot-backbone.json";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final YAMLMapper YAML = new YAMLMapper();

  /** A PromQL expression and where it is used: a panel's title, an alert's name. */
  public record Query(String where, String expr) {

    /** The metric names it reads ({@link PromQlNames}). */
    public SortedSet<String> metricNames() {
      try {
        return PromQlNames.of(expr);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
      }
    }
  }

  private final Path repoRoot;

  public MonitoringFiles(Path repoRoot) {
    this.repoRoot = repoRoot;
  }

  /**
   * The rule groups of the PrometheusRule (its {@code spec}: {@code groups: [...]}), which
   * Prometheus reads as a rules file.
   */
  public ObjectNode ruleGroups() {
    Path file = repoRoot.resolve(RULES);
    JsonNode rule = read(YAML, file);
    if (!rule.path("kind").asText().equals("PrometheusRule") || !rule.path("spec").isObject()) {
      throw new IllegalArgumentException(file + " holds no PrometheusRule with a spec");
    }
    ObjectNode spec = (ObjectNode) rule.get("spec");
    if (!spec.path("groups").isArray() || spec.path("groups").isEmpty()) {
      throw new IllegalArgumentException(file + ": spec.groups is empty");
    }
    return spec;
  }

  /** The dashboard as Grafana reads it. */
  public JsonNode dashboard() {
    return read(JSON, repoRoot.resolve(DASHBOARD));
  }

  /** Every query of every panel, rows' collapsed panels too, in the dashboard's order. */
  public List<Query> dashboardQueries() {
    List<Query> queries = new ArrayList<>();
    for (JsonNode panel : panels(dashboard())) {
      for (JsonNode target : panel.path("targets")) {
        queries.add(new Query("panel '" + panel.path("title").asText() + "'", expr(target)));
      }
    }
    return queries;
  }

  /** Every panel that shows data (not the rows), nested ones too. */
  public static List<JsonNode> panels(JsonNode dashboard) {
    List<JsonNode> panels = new ArrayList<>();
    for (JsonNode panel : dashboard.path("panels")) {
      if (panel.path("type").asText().equals("row")) {
        panel.path("panels").forEach(panels::add);
      } else {
        panels.add(panel);
      }
    }
    return panels;
  }

  /** Every rule's expression. */
  public List<Query> ruleQueries() {
    List<Query> queries = new ArrayList<>();
    for (JsonNode group : ruleGroups().path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        String name =
            rule.has("alert")
                ? "alert " + rule.get("alert").asText()
                : "record " + rule.path("record").asText();
        queries.add(new Query(name, rule.path("expr").asText()));
      }
    }
    return queries;
  }

  /** The names recording rules make: Prometheus writes them, no part exposes them. */
  public SortedSet<String> recordedNames() {
    SortedSet<String> names = new TreeSet<>();
    for (JsonNode group : ruleGroups().path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        if (rule.has("record")) {
          names.add(rule.get("record").asText());
        }
      }
    }
    return names;
  }

  private static String expr(JsonNode target) {
    return target.path("expr").asText("");
  }

  private static JsonNode read(ObjectMapper mapper, Path file) {
    try {
      return mapper.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
