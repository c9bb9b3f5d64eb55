package org.iotbackbone.deploy.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which files the plain-file validation reads: resources yes, patches and Kustomize's no. */
class ResourceFilesListingTest {

  @Test
  void listsResourceFilesButNotPatchesOverlaysOrKustomizations(@TempDir Path strimzi)
      throws IOException {
    Path base = Files.createDirectories(strimzi.resolve("base/app"));
    Files.writeString(
        base.resolve("kustomization.yaml"),
        "resources: [app.yaml]\npatches:\n  - path: patches/small.yaml\n    target: {kind: X}\n");
    Files.writeString(base.resolve("app.yaml"), "apiVersion: v1\nkind: ConfigMap\n");
    Files.createDirectories(base.resolve("patches"));
    Files.writeString(base.resolve("patches/small.yaml"), "- op: add\n  path: /a\n  value: 1\n");
    Files.writeString(base.resolve("metrics-rules.yaml"), "rules: [{pattern: x}]\n");
    Path overlay = Files.createDirectories(strimzi.resolve("overlays/dev"));
    Files.writeString(overlay.resolve("patch.yaml"), "apiVersion: v1\nkind: ConfigMap\n");
    Files.createDirectories(strimzi.resolve("src/test"));
    Files.writeString(strimzi.resolve("src/test/x.yaml"), "apiVersion: v1\nkind: ConfigMap\n");

    assertThat(ResourceFiles.yamlFiles(strimzi))
        .containsExactly(base.resolve("app.yaml"), base.resolve("metrics-rules.yaml"));
    assertThat(ResourceFiles.resources(base.resolve("app.yaml"))).hasSize(1);
    assertThat(ResourceFiles.resources(base.resolve("metrics-rules.yaml"))).isEmpty();
  }
}
