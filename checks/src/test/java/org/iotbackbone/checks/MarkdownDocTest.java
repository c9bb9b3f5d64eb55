package org.iotbackbone.checks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MarkdownDocTest {

  @Test
  void findsInlineLinksImagesAndReferenceDefinitionsWithTheirLines() {
    MarkdownDoc doc =
        MarkdownDoc.parse(
            """
            # Title

            See [the design](docs/design.md "the contract") and ![a chart](img/chart.svg).
            A [link with <brackets>](<path with spaces.md>) and [parens](a_(b).md).

            [ref]: ../outside.md
            """);

    assertThat(doc.links())
        .containsExactly(
            new MarkdownDoc.Link(3, "docs/design.md"),
            new MarkdownDoc.Link(3, "img/chart.svg"),
            new MarkdownDoc.Link(4, "path with spaces.md"),
            new MarkdownDoc.Link(4, "a_(b).md"),
            new MarkdownDoc.Link(6, "../outside.md"));
  }

  @Test
  void ignoresLinksInFencedCodeBlocksCodeSpansAndHtmlComments() {
    MarkdownDoc doc =
        MarkdownDoc.parse(
            """
            ```java
            see [x](fenced.md)
            ```
            ~~~
            [y](tilde.md)
            ~~~
            Text `[z](span.md)` and ``a ` [w](double.md)`` <!-- [c](comment.md) -->
            but [this](real.md).
            """);

    assertThat(doc.links()).containsExactly(new MarkdownDoc.Link(8, "real.md"));
  }

  @Test
  void aCodeSpanMayCrossALineButNotAParagraph() {
    MarkdownDoc doc =
        MarkdownDoc.parse(
            """
            one `span
            [in](span.md)` and a lone `

            [after](after.md)
            """);

    assertThat(doc.links()).containsExactly(new MarkdownDoc.Link(4, "after.md"));
  }

  @Test
  void anchorsFollowGitHubsSlugs() {
    MarkdownDoc doc =
        MarkdownDoc.parse(
            """
            # The local stack: `./iot` and the device simulator
            ## Running the tests
            ## Running the tests
            ### Running the tests
            ## MQTT ⇄ Kafka, *fast* & [linked](x.md) snake_case
            Setext heading
            --------------
            ```
            # not a heading
            ```
            | table | head |
            |---|---|
            """);

    assertThat(doc.anchors())
        .containsExactlyInAnyOrder(
            "the-local-stack-iot-and-the-device-simulator",
            "running-the-tests",
            "running-the-tests-1",
            "running-the-tests-2",
            "mqtt--kafka-fast--linked-snake_case",
            "setext-heading");
  }
}
