package org.iotbackbone.deploy.validation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The plain YAML files under {@code strimzi/} that hold Kubernetes resources (bases and loose
 * files), so that a file no overlay renders is still checked. Left out: build output and test
 * sources, the overlays (their patches are partial objects; the overlays are checked rendered),
 * Kustomize's own files and the patches a kustomization names (partial objects too).
 */
public final class ResourceFiles {

  private static final Set<String> SKIPPED_DIRS =
      Set.of("target", "src", "overlays", "node_modules");

  private ResourceFiles() {}

  /** Every YAML file under {@code strimziDir} that may hold resources, sorted. */
  public static List<Path> yamlFiles(Path strimziDir) {
    List<Path> yaml = allYaml(strimziDir);
    Set<Path> patches = new HashSet<>();
    yaml.stream().filter(ResourceFiles::isKustomization).forEach(k -> patches.addAll(patchesOf(k)));
    return yaml.stream()
        .filter(f -> !isKustomization(f))
        .filter(f -> !patches.contains(f.toAbsolutePath().normalize()))
        .toList();
  }

  /**
   * The Kubernetes resources of a file: mappings with an apiVersion and a kind, except Kustomize's
   * own (Kustomization, Component, transformer configs).
   */
  public static List<ObjectNode> resources(Path file) {
    return Yaml.readNodes(file).stream()
        .filter(JsonNode::isObject)
        .map(ObjectNode.class::cast)
        .filter(d -> d.path("apiVersion").isString() && d.path("kind").isString())
        .filter(d -> !GroupVersionKind.of(d).group().equals("kustomize.config.k8s.io"))
        .filter(d -> !GroupVersionKind.of(d).group().equals("builtin"))
        .toList();
  }

  private static List<Path> allYaml(Path strimziDir) {
    try (Stream<Path> files = Files.walk(strimziDir)) {
      return files
          .filter(Files::isRegularFile)
          .filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml"))
          .filter(f -> !inSkippedDir(strimziDir.relativize(f)))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean isKustomization(Path file) {
    return file.getFileName().toString().startsWith("kustomization.");
  }

  /** The patch files a kustomization names ({@code patches}, and the deprecated fields). */
  private static Set<Path> patchesOf(Path kustomization) {
    Path dir = kustomization.getParent();
    Set<Path> patches = new HashSet<>();
    for (JsonNode document : Yaml.readNodes(kustomization)) {
      for (String field : List.of("patches", "patchesJson6902", "patchesStrategicMerge")) {
        for (JsonNode patch : document.path(field)) {
          String path = patch.isString() ? patch.asString() : patch.path("path").asString("");
          if (!path.isEmpty() && !path.contains("\n")) { // an inline patch is not a file
            patches.add(dir.resolve(path).toAbsolutePath().normalize());
          }
        }
      }
    }
    return patches;
  }

  private static boolean inSkippedDir(Path relative) {
    for (int i = 0; i < relative.getNameCount() - 1; i++) {
      if (SKIPPED_DIRS.contains(relative.getName(i).toString())) {
        return true;
      }
    }
    return false;
  }
}
