package org.iotbackbone.deploy.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every overlay renders with {@code kubectl kustomize}, everything it renders validates strictly,
 * and its cross-references resolve. Without kubectl, or while an overlay's bases are not there yet,
 * the overlay is skipped with the reason, except in CI, where that fails.
 */
class OverlaysTest {

  /** Kinds without a namespace, which Kustomize's namespace setting leaves alone. */
  private static final Set<String> CLUSTER_SCOPED =
      Set.of(
          "Namespace",
          "ClusterRole",
          "ClusterRoleBinding",
          "StorageClass",
          "PriorityClass",
          "CustomResourceDefinition");

  @Test
  void theOverlaysExist() {
    assertThat(Overlays.all(TestEnvironment.strimziDir()))
        .extracting(p -> p.getFileName().toString())
        .contains("dev", "production");
  }

  @TestFactory
  Stream<DynamicTest> everyOverlayRendersAndValidates() {
    return Overlays.all(TestEnvironment.strimziDir()).stream()
        .map(
            overlay ->
                DynamicTest.dynamicTest(overlay.getFileName().toString(), () -> check(overlay)));
  }

  private static void check(Path overlay) {
    List<String> missing = Overlays.missingBases(overlay);
    TestEnvironment.require(
        missing.isEmpty(), overlay.getFileName() + ": bases not present yet: " + missing);
    Optional<Kubectl> kubectl = Kubectl.find();
    TestEnvironment.require(
        kubectl.isPresent(),
        "no kubectl with kustomize (.ci/run installs it under " + Kubectl.LAYER_KUBECTL + ")");
    List<ObjectNode> documents = Yaml.readAll(kubectl.get().kustomize(overlay));
    assertThat(documents).as("rendered documents").isNotEmpty();

    ResourceValidator validator = new ResourceValidator(TestEnvironment.crdSchemas());
    List<String> problems = new ArrayList<>();
    for (ObjectNode document : documents) {
      problems.addAll(validator.validate(document));
      String namespace = document.path("metadata").path("namespace").asString("");
      if (!CLUSTER_SCOPED.contains(document.path("kind").asString()) && !namespace.equals("iot")) {
        problems.add(
            GroupVersionKind.of(document)
                + " "
                + document.at("/metadata/name").asString()
                + ": namespace is '"
                + namespace
                + "', not iot");
      }
    }
    problems.addAll(CrossReferences.check(documents));
    assertThat(problems).as(overlay.getFileName() + " rendered").isEmpty();
  }
}
