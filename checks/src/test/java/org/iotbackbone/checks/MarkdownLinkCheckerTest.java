package org.iotbackbone.checks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MarkdownLinkCheckerTest {

  @TempDir Path dir;

  @Test
  void acceptsLinksThatResolveInsideTheRoot() throws IOException {
    write("docs/design.md", "# Design contract\n\n## Guarantees\n");
    write("module/src/Main.java", "class Main {}\n");
    write(
        "README.md",
        """
        # Platform

        [contract](docs/design.md), [its guarantees](docs/design.md#guarantees),
        [a folder](module/), [code](module/src/Main.java#L1), [up](#platform),
        [from the root](/docs/design.md), [web](https://example.com/x.md), [mail](mailto:a@b.c)
        """);

    assertThat(new MarkdownLinkChecker(root()).problems()).isEmpty();
  }

  @Test
  void reportsAMissingFile() throws IOException {
    write("README.md", "# A\n\nSee [the guide](docs/guide.md).\n");

    assertThat(new MarkdownLinkChecker(root()).problems())
        .containsExactly("README.md:3: docs/guide.md: no such file in the repository");
  }

  @Test
  void reportsALinkThatLeavesTheRootEvenWhenTheFileExists() throws IOException {
    write("repo/module/README.md", "# M\n\nThe [contract](../../shared/DESIGN.md).\n");
    write("shared/DESIGN.md", "# Design\n");

    assertThat(new MarkdownLinkChecker(dir.resolve("repo")).problems())
        .containsExactly(
            "module/README.md:3: ../../shared/DESIGN.md: leaves the repository"
                + " (a clone does not have it)");
  }

  @Test
  void reportsAnAnchorThatNoHeadingHasInTheSameOrAnotherFile() throws IOException {
    write("docs/design.md", "# Design contract\n");
    write("README.md", "# A\n\n[x](#a) [y](#b) [z](docs/design.md#guarantees)\n");

    assertThat(new MarkdownLinkChecker(root()).problems())
        .containsExactly(
            "README.md:3: #b: no heading with anchor #b in README.md",
            "README.md:3: docs/design.md#guarantees: no heading with anchor #guarantees in"
                + " docs/design.md");
  }

  @Test
  void ignoresLinksInCodeFencesAndFilesInBuildOutput() throws IOException {
    write("README.md", "# A\n\n```\n[x](missing.md)\n```\n");
    write("module/target/README.md", "[x](missing.md)\n");
    write(".iot/notes.md", "[x](missing.md)\n");

    MarkdownLinkChecker checker = new MarkdownLinkChecker(root());

    assertThat(checker.markdownFiles()).containsExactly(root().resolve("README.md"));
    assertThat(checker.problems()).isEmpty();
  }

  private Path root() {
    return dir.toAbsolutePath().normalize();
  }

  private void write(String path, String text) throws IOException {
    Path file = dir.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }
}
