package org.iotbackbone.checks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes schema Job's CQL ({@value #COPIES}) is a byte-for-byte copy of the sink's ({@value
 * #ORIGINALS}): kustomize loads no file outside a base's directory, so the base keeps copies, and
 * this test keeps them from drifting. Fix a failure by copying the originals over.
 */
class ScyllaCqlCopiesTest {

  static final String ORIGINALS = "connectors/src/main/resources/cql";
  static final String COPIES = "strimzi/base/scylla/cql";

  @Test
  void theBaseHoldsTheSameCqlFilesAsTheConnector() throws IOException {
    Path root = repoRoot();
    List<String> originals = cqlFiles(root.resolve(ORIGINALS));
    assertThat(originals).as("CQL files in " + ORIGINALS).isNotEmpty();
    assertThat(cqlFiles(root.resolve(COPIES)))
        .as("CQL files in " + COPIES + " (copy them from " + ORIGINALS + ")")
        .containsExactlyElementsOf(originals);
    for (String name : originals) {
      assertThat(Files.readString(root.resolve(COPIES).resolve(name)))
          .as(COPIES + "/" + name + " must equal " + ORIGINALS + "/" + name)
          .isEqualTo(Files.readString(root.resolve(ORIGINALS).resolve(name)));
    }
  }

  private static List<String> cqlFiles(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .map(f -> f.getFileName().toString())
          .filter(n -> n.endsWith(".cql"))
          .sorted()
          .collect(Collectors.toList());
    }
  }

  private static Path repoRoot() {
    String root = System.getProperty("iotbackbone.repoRoot");
    assertThat(root)
        .as("system property iotbackbone.repoRoot (set by checks/pom.xml)")
        .isNotBlank();
    return Path.of(root);
  }
}
