package org.iotbackbone.deploy.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

/**
 * The overlays' own files (kustomization, patches) on stand-in bases made of the fixtures, named as
 * K8S.md names the real ones: they render, what they render validates and resolves, and each patch
 * reaches its target. The real bases are checked by OverlaysTest; this shows the overlays work
 * whatever state the bases are in.
 */
class OverlayPatchesTest {

  @TempDir static Path tree;

  private static Kubectl kubectl;

  @BeforeAll
  static void standInBases() throws IOException {
    kubectl = Kubectl.find().orElse(null);
    TestEnvironment.require(kubectl != null, "no kubectl with kustomize (.ci/run installs it)");
    Path strimzi = TestEnvironment.strimziDir();
    copy(strimzi.resolve("overlays"), tree.resolve("overlays"));
    copy(strimzi.resolve("base/namespace"), tree.resolve("base/namespace"));
    Map<String, List<ObjectNode>> bases = new LinkedHashMap<>();
    for (ObjectNode document : Fixtures.all()) {
      String base = baseOf(document.path("kind").asString());
      if (base != null) {
        bases.computeIfAbsent(base, b -> new ArrayList<>()).add(document);
      }
    }
    // The fixtures have one node pool and one Deployment; the overlays also patch these.
    ObjectNode controllers = CrdSchemasTest.fixture("KafkaNodePool").deepCopy();
    controllers.withObject("/metadata").put("name", "controllers");
    controllers.withObject("/spec").putArray("roles").add("controller");
    bases.get("kafka").add(controllers);
    ObjectNode registry = CrdSchemasTest.fixture("Deployment").deepCopy();
    registry.withObject("/metadata").put("name", "apicurio-registry");
    bases.computeIfAbsent("registry", b -> new ArrayList<>()).add(registry);
    for (Map.Entry<String, List<ObjectNode>> base : bases.entrySet()) {
      Path dir = Files.createDirectories(tree.resolve("base").resolve(base.getKey()));
      StringBuilder yaml = new StringBuilder();
      for (ObjectNode document : base.getValue()) {
        yaml.append("---\n").append(Yaml.toJson(document)).append('\n');
      }
      Files.writeString(dir.resolve("resources.yaml"), yaml);
      Files.writeString(dir.resolve("kustomization.yaml"), "resources: [resources.yaml]\n");
    }
  }

  @Test
  void devIsSmall() {
    List<ObjectNode> dev = renderAndValidate("dev");
    assertThat(replicas(dev, "KafkaNodePool", "controllers", "/spec/replicas")).isEqualTo(1);
    assertThat(replicas(dev, "KafkaNodePool", "brokers", "/spec/replicas")).isEqualTo(3);
    assertThat(replicas(dev, "KafkaConnect", "iot-connect", "/spec/replicas")).isEqualTo(1);
    assertThat(replicas(dev, "Deployment", "ingest-bridge", "/spec/replicas")).isEqualTo(1);
    assertThat(replicas(dev, "Deployment", "apicurio-registry", "/spec/replicas")).isEqualTo(1);
    assertThat(replicas(dev, "StatefulSet", "streams-app", "/spec/replicas")).isEqualTo(1);
    assertThat(replicas(dev, "EMQX", "emqx", "/spec/coreTemplate/spec/replicas")).isEqualTo(1);
    assertThat(replicas(dev, "ScyllaCluster", "iot-scylla", "/spec/datacenter/racks/0/members"))
        .isEqualTo(1);
  }

  @Test
  void productionIsSpreadOverThreeZones() {
    List<ObjectNode> production = renderAndValidate("production");
    assertThat(replicas(production, "KafkaNodePool", "controllers", "/spec/replicas")).isEqualTo(3);
    assertThat(replicas(production, "KafkaNodePool", "brokers", "/spec/replicas")).isEqualTo(3);
    assertThat(
            replicas(production, "HorizontalPodAutoscaler", "ingest-bridge", "/spec/minReplicas"))
        .isEqualTo(3);
    assertThat(replicas(production, "StatefulSet", "streams-app", "/spec/replicas")).isEqualTo(3);
    assertThat(replicas(production, "EMQX", "emqx", "/spec/coreTemplate/spec/replicas"))
        .isEqualTo(3);
    assertThat(
            replicas(production, "ScyllaCluster", "iot-scylla", "/spec/datacenter/racks/0/members"))
        .isEqualTo(3);
  }

  private static List<ObjectNode> renderAndValidate(String overlay) {
    List<ObjectNode> documents =
        Yaml.readAll(kubectl.kustomize(tree.resolve("overlays/" + overlay)));
    ResourceValidator validator = new ResourceValidator(TestEnvironment.crdSchemas());
    List<String> problems = new ArrayList<>(CrossReferences.check(documents));
    documents.forEach(d -> problems.addAll(validator.validate(d)));
    assertThat(problems).isEmpty();
    return documents;
  }

  private static int replicas(List<ObjectNode> documents, String kind, String name, String path) {
    return documents.stream()
        .filter(d -> d.path("kind").asString().equals(kind))
        .filter(d -> d.at("/metadata/name").asString().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + "/" + name))
        .at(path)
        .asInt(-1);
  }

  /** The base K8S.md puts a kind in (for the stand-ins). */
  private static String baseOf(String kind) {
    return switch (kind) {
      case "Kafka", "KafkaNodePool", "KafkaTopic", "KafkaUser" -> "kafka";
      case "KafkaConnect", "KafkaConnector" -> "connect";
      case "EMQX", "DaemonSet" -> "edge/emqx";
      case "ScyllaCluster" -> "scylla";
      case "PodMonitor" -> "monitoring";
      case "Namespace" -> null; // base/namespace is the real one
      default -> "services";
    };
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path file : files.toList()) {
        Path target = to.resolve(from.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else {
          Files.copy(file, target);
        }
      }
    }
  }
}
