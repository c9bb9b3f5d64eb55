package org.iotbackbone.checks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Every relative link of every Markdown file in the repository resolves inside it: a clone has
 * nothing outside, and a heading renamed breaks the anchors that pointed at it.
 */
class MarkdownLinksTest {

  @Test
  void everyRelativeLinkResolvesInsideTheRepository() {
    String repoRoot = System.getProperty("iotbackbone.repoRoot");
    assertThat(repoRoot).as("system property iotbackbone.repoRoot (set by surefire)").isNotNull();
    MarkdownLinkChecker checker = new MarkdownLinkChecker(Path.of(repoRoot));

    assertThat(checker.markdownFiles()).as("Markdown files found").isNotEmpty();
    assertThat(checker.problems()).as("broken links (file:line: target: why)").isEmpty();
  }
}
