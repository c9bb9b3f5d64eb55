package org.iotbackbone.localstack.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.iotbackbone.servers.Distribution;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard and the alert rules as files: the dashboard parses, every panel queries something,
 * every query names at least one metric; every alert says how bad it is, what and why, and waits
 * before it fires. Whether the names exist is PlatformIT's question.
 */
class MonitoringFilesTest {

  private final MonitoringFiles files =
      new MonitoringFiles(Distribution.repositoryRoot(MonitoringFilesTest.class));

  @Test
  void everyPanelOfTheDashboardHasATargetWithAQueryThatNamesAMetric() {
    JsonNode dashboard = files.dashboard();
    assertThat(dashboard.path("uid").asText()).isEqualTo("iot-backbone");
    List<JsonNode> panels = MonitoringFiles.panels(dashboard);
    assertThat(panels).hasSizeGreaterThan(20);
    Set<Integer> ids = new HashSet<>();
    for (JsonNode panel : panels) {
      String title = panel.path("title").asText();
      assertThat(title).as("a panel's title").isNotBlank();
      assertThat(ids.add(panel.path("id").asInt())).as("unique id of " + title).isTrue();
      assertThat(panel.path("datasource").path("uid").asText())
          .as(title + ": the dashboard's datasource variable")
          .isEqualTo("${datasource}");
      assertThat(panel.path("targets")).as(title + ": targets").isNotEmpty();
      Set<String> refIds = new HashSet<>();
      for (JsonNode target : panel.path("targets")) {
        assertThat(refIds.add(target.path("refId").asText())).as(title + " refId").isTrue();
        assertThat(target.path("expr").asText()).as(title + ": a target's expr").isNotBlank();
      }
    }
    for (MonitoringFiles.Query query : files.dashboardQueries()) {
      assertThat(query.metricNames()).as(query.where() + ": " + query.expr()).isNotEmpty();
    }
  }

  @Test
  void everyAlertHasASeveritySummaryDescriptionAndAFor() {
    List<String> names = new java.util.ArrayList<>();
    for (JsonNode group : files.ruleGroups().path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        String alert = rule.path("alert").asText();
        assertThat(alert).as("every rule is an alert").isNotBlank();
        names.add(alert);
        assertThat(rule.path("labels").path("severity").asText())
            .as(alert)
            .isIn("critical", "warning");
        assertThat(rule.path("annotations").path("summary").asText()).as(alert).isNotBlank();
        assertThat(rule.path("annotations").path("description").asText()).as(alert).isNotBlank();
        assertThat(rule.path("for").asText()).as(alert + " for").matches("\\d+[smh]");
      }
    }
    // What the issue asks an operator to be woken for.
    assertThat(names)
        .contains(
            "IotPartDown",
            "IotConsumerLagGrowing",
            "IotDeadLettersRising",
            "IngestBridgeNotReady",
            "IngestBridgeDownlinkStalled",
            "MqttBrokerNearConnectionLimit")
        .doesNotHaveDuplicates();
    for (MonitoringFiles.Query query : files.ruleQueries()) {
      assertThat(query.metricNames()).as(query.where()).isNotEmpty();
    }
  }

  @Test
  void aFileWithoutAPrometheusRuleIsRefused(@TempDir Path repo) throws Exception {
    Path rules = repo.resolve(MonitoringFiles.RULES);
    Files.createDirectories(rules.getParent());
    Files.writeString(rules, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n");
    assertThatThrownBy(() -> new MonitoringFiles(repo).ruleGroups())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no PrometheusRule");
    Files.writeString(rules, "kind: PrometheusRule\nspec: {groups: []}\n");
    assertThatThrownBy(() -> new MonitoringFiles(repo).ruleGroups())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("spec.groups is empty");
  }

  @Test
  void aPanelWithoutATargetShowsUp(@TempDir Path repo) throws Exception {
    Path dashboard = repo.resolve(MonitoringFiles.DASHBOARD);
    Files.createDirectories(dashboard.getParent());
    Files.writeString(
        dashboard,
        "{\"panels\": [{\"type\": \"row\", \"title\": \"r\", \"panels\": [{\"title\": \"inner\","
            + " \"targets\": [{\"expr\": \"rate(a_total[5m])\"}]}]}, {\"title\": \"empty\"}]}");
    MonitoringFiles files = new MonitoringFiles(repo);
    assertThat(MonitoringFiles.panels(files.dashboard()))
        .extracting(p -> p.path("title").asText())
        .containsExactly("inner", "empty");
    assertThat(files.dashboardQueries())
        .containsExactly(new MonitoringFiles.Query("panel 'inner'", "rate(a_total[5m])"));
  }
}
