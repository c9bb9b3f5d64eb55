package org.iotbackbone.deploy.validation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;

/** The Kustomize overlays under {@code strimzi/overlays/} and the local bases they name. */
public final class Overlays {

  private Overlays() {}

  /** Every directory under {@code overlays/} with a kustomization.yaml, sorted. */
  public static List<Path> all(Path strimziDir) {
    Path overlays = strimziDir.resolve("overlays");
    if (!Files.isDirectory(overlays)) {
      return List.of();
    }
    try (Stream<Path> dirs = Files.list(overlays)) {
      return dirs.filter(d -> Files.isRegularFile(d.resolve("kustomization.yaml")))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The local {@code resources}/{@code components} entries of an overlay that do not exist (the
   * bases other parts of the work provide); remote URLs are not local and not listed.
   */
  public static List<String> missingBases(Path overlay) {
    JsonNode kustomization = Yaml.readOne(readString(overlay.resolve("kustomization.yaml")));
    List<String> missing = new ArrayList<>();
    for (String field : List.of("resources", "components")) {
      for (JsonNode entry : kustomization.path(field)) {
        String path = entry.asString("");
        if (!path.contains("://")
            && !path.startsWith("github.com/")
            && !Files.exists(overlay.resolve(path))) {
          missing.add(path);
        }
      }
    }
    return missing;
  }

  private static String readString(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
