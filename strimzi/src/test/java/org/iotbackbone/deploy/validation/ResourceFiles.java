package org.iotbackbone.deploy.validation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import tools.jackson.databind.node.ObjectNode;

/**
 * The plain YAML files under {@code strimzi/} that hold Kubernetes resources (bases and loose
 * files), so that a file no overlay renders is still checked. Left out: build output and test
 * sources, the overlays (their patches are partial objects; the overlays are checked rendered), and
 * Kustomize's own files.
 */
public final class ResourceFiles {

  private static final Set<String> SKIPPED_DIRS =
      Set.of("target", "src", "overlays", "node_modules");

  private ResourceFiles() {}

  /** Every YAML file under {@code strimziDir} outside the skipped directories, sorted. */
  public static List<Path> yamlFiles(Path strimziDir) {
    try (Stream<Path> files = Files.walk(strimziDir)) {
      return files
          .filter(Files::isRegularFile)
          .filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml"))
          .filter(f -> !inSkippedDir(strimziDir.relativize(f)))
          .filter(f -> !f.getFileName().toString().startsWith("kustomization."))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The Kubernetes resources of a file: documents with an apiVersion and a kind, except Kustomize's
   * own (Kustomization, Component, transformer configs).
   */
  public static List<ObjectNode> resources(Path file) {
    return Yaml.readAll(file).stream()
        .filter(d -> d.path("apiVersion").isString() && d.path("kind").isString())
        .filter(d -> !GroupVersionKind.of(d).group().equals("kustomize.config.k8s.io"))
        .filter(d -> !GroupVersionKind.of(d).group().equals("builtin"))
        .toList();
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
