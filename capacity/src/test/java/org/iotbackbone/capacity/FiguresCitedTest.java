package org.iotbackbone.capacity;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every per-unit figure still stands in docs/benchmarks.md where it says it came from: its quote in
 * its section, with the run's commit and day, so that a figure cannot drift from its run.
 */
class FiguresCitedTest {

  static Stream<Figure> figures() {
    return Figures.measured().all().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("figures")
  void theQuoteStandsInItsSectionWithItsRun(Figure figure) throws IOException {
    Optional<String> section = BenchmarksDoc.section(BenchmarksDoc.benchmarks(), figure.section());

    assertThat(section)
        .as("docs/benchmarks.md has the section '%s' of %s", figure.section(), figure.measure())
        .isPresent();
    assertThat(section.get())
        .as("the section '%s' quotes %s", figure.section(), figure.measure())
        .contains(BenchmarksDoc.collapse(figure.quote()))
        .contains("`" + figure.commit() + "`")
        .contains(figure.date().substring(0, "2026-12-06".length()));
  }

  @Test
  void aQuoteOutsideItsSectionIsNotFound() {
    String markdown =
        """
        # Benchmarks
        ## One (`a`)
        ```sh
        # a comment in a fence, not a heading
        ```
        | 2026-12-06 | `abc1234` | 81 us
        per message |
        ## Two
        98 us per message
        """;

    assertThat(BenchmarksDoc.section(markdown, "One (`a`)"))
        .hasValueSatisfying(
            text ->
                assertThat(text)
                    .contains("81 us per message")
                    .contains("`abc1234`")
                    .doesNotContain("98 us"));
    assertThat(BenchmarksDoc.section(markdown, "Three")).isEmpty();
  }
}
