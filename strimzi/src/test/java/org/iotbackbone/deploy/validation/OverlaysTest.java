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
        .contains("dev", "dev-mosquitto", "production");
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
    List<ObjectNode> documents =
        Yaml.readAll(kubectl.get().kustomize(SiteFiles.withTestSiteFiles(overlay)));
    assertThat(documents).as("rendered documents").isNotEmpty();

    // Without the CRDs beside the clone the custom resources' specs go unchecked, but the core
    // objects, every resource's metadata, the references and the patch targets still are.
    ResourceValidator validator =
        TestEnvironment.crdSchemasIfPresent()
            .map(ResourceValidator::new)
            .orElseGet(ResourceValidator::coreOnly);
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
    problems.addAll(patchesWithoutTarget(overlay, documents));
    assertThat(problems).as(overlay.getFileName() + " rendered").isEmpty();
  }

  /**
   * Kustomize applies a patch whose target matches nothing silently: a renamed resource, or one
   * whose kind changed (a Deployment that became a StatefulSet), would keep its base settings with
   * no error. Every patch target of the overlay must match a rendered resource.
   */
  private static List<String> patchesWithoutTarget(Path overlay, List<ObjectNode> documents) {
    List<String> problems = new ArrayList<>();
    ObjectNode kustomization =
        Yaml.readAll(readString(overlay.resolve("kustomization.yaml"))).get(0);
    List<tools.jackson.databind.JsonNode> patches = new ArrayList<>();
    kustomization.path("patches").forEach(patches::add);
    // The components an overlay uses patch it too.
    for (var component : kustomization.path("components")) {
      Path file = overlay.resolve(component.asString()).normalize().resolve("kustomization.yaml");
      Yaml.readAll(readString(file)).get(0).path("patches").forEach(patches::add);
    }
    for (var patch : patches) {
      var target = patch.path("target");
      if (target.isMissingNode()) {
        continue;
      }
      String group = target.path("group").asString("");
      String kind = target.path("kind").asString("");
      String name = target.path("name").asString("");
      boolean found =
          documents.stream()
              .anyMatch(
                  document -> {
                    String apiVersion = document.path("apiVersion").asString("");
                    String documentGroup =
                        apiVersion.contains("/")
                            ? apiVersion.substring(0, apiVersion.indexOf('/'))
                            : "";
                    return (kind.isEmpty() || kind.equals(document.path("kind").asString()))
                        && (group.isEmpty() || group.equals(documentGroup))
                        && (name.isEmpty()
                            || name.equals(document.at("/metadata/name").asString("")));
                  });
      if (!found) {
        problems.add("patch " + patch.path("path").asString("") + " targets nothing: " + target);
      }
    }
    return problems;
  }

  private static String readString(Path file) {
    try {
      return java.nio.file.Files.readString(file);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
