package org.iotbackbone.terraform.checks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The node tiers of modules/cluster are the ones the Kubernetes files place pods with
 * (strimzi/components/node-tiers): the same label key, a toleration and a selector for every
 * tainted tier, and no tier there that the cluster does not make.
 */
class NodeTiersTest {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private static String label;
  private static Set<String> tainted;
  private static Set<String> tiers;

  @BeforeAll
  static void read() {
    ConfigChecker checker = new ConfigChecker(Hcl2Json.require());
    ConfigDirectory cluster =
        checker.directory(TestEnvironment.terraformDir().resolve("modules/cluster"));
    label = cluster.locals.get("tier_label").asText();
    tainted = new LinkedHashSet<>();
    cluster.locals.get("tainted_tiers").forEach(t -> tainted.add(t.asText()));
    tiers = new LinkedHashSet<>();
    checker
        .directory(TestEnvironment.terraformDir().resolve("environments/example"))
        .variables
        .get("node_groups")
        .get("default")
        .properties()
        .forEach(e -> tiers.add(e.getKey()));
  }

  @Test
  void theClusterMakesFourTiersAndTaintsThreeOfThem() {
    assertThat(label).isEqualTo("iotbackbone.org/node-tier");
    assertThat(tiers).containsExactlyInAnyOrder("edge", "kafka", "scylla", "apps");
    assertThat(tainted).containsExactlyInAnyOrder("edge", "kafka", "scylla");
  }

  @Test
  void everyTaintedTierHasItsTolerationAndSelectorInTheKubernetesFiles() throws IOException {
    List<JsonNode> documents = componentDocuments();
    Set<String> tolerated = new LinkedHashSet<>();
    Set<String> selected = new LinkedHashSet<>();
    documents.forEach(d -> collect(d, tolerated, selected));
    for (String tier : tainted) {
      assertThat(tolerated).as("a toleration of %s=%s:NoSchedule", label, tier).contains(tier);
      assertThat(selected).as("a selector on %s=%s", label, tier).contains(tier);
    }
    assertThat(tiers).as("tiers used by strimzi/components/node-tiers").containsAll(selected);
    assertThat(tainted).containsAll(tolerated);
  }

  private static void collect(JsonNode node, Set<String> tolerated, Set<String> selected) {
    if (node.isObject()) {
      if (label.equals(node.path("key").asText()) && node.has("effect")) {
        assertThat(node.path("effect").asText()).isEqualTo("NoSchedule");
        tolerated.add(node.path("value").asText());
      } else if (label.equals(node.path("key").asText()) && node.has("values")) {
        node.get("values").forEach(v -> selected.add(v.asText()));
      }
      JsonNode nodeSelector = node.path("nodeSelector");
      if (nodeSelector.has(label)) {
        selected.add(nodeSelector.get(label).asText());
      }
      // JSON patches: a whole nodeSelector, or one entry of it.
      String path = node.path("path").asText();
      if (path.endsWith("/nodeSelector") && node.path("value").has(label)) {
        selected.add(node.path("value").get(label).asText());
      }
      if (path.endsWith("/nodeSelector/" + label.replace("/", "~1"))) {
        selected.add(node.path("value").asText());
      }
      node.forEach(child -> collect(child, tolerated, selected));
    } else if (node.isArray()) {
      node.forEach(child -> collect(child, tolerated, selected));
    }
  }

  private static List<JsonNode> componentDocuments() throws IOException {
    Path component = TestEnvironment.repoRoot().resolve("strimzi/components/node-tiers");
    List<JsonNode> documents = new ArrayList<>();
    try (Stream<Path> files = Files.walk(component)) {
      for (Path file : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        documents.add(YAML.readTree(file.toFile()));
      }
    }
    assertThat(documents).isNotEmpty();
    return documents;
  }
}
