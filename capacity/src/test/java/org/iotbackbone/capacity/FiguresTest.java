package org.iotbackbone.capacity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FiguresTest {

  private static String resource() throws IOException {
    try (InputStream in = Figures.class.getResourceAsStream(Figures.RESOURCE)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void everyMeasureHasAFigureWithItsSource() {
    Figures figures = Figures.measured();

    assertThat(figures.all()).hasSize(Measure.values().length);
    for (Figure figure : figures.all()) {
      assertThat(figure.value()).isPositive();
      assertThat(figure.commit()).matches("[0-9a-f]{7,40}");
      assertThat(figure.date()).matches("20\\d\\d-\\d\\d-\\d\\d.*");
    }
    assertThat(figures.value(Measure.BRIDGE_MESSAGE_CPU)).isEqualTo(81);
  }

  @Test
  void aMissingFigureIsRefused() throws IOException {
    String text = resource().replaceAll("(?m)^cql\\.write-cpu = .*$", "");

    assertThatThrownBy(() -> Figures.parse(new StringReader(text)))
        .hasMessage("figure cql.write-cpu is missing");
  }

  @Test
  void aFigureInAnotherUnitIsRefused() throws IOException {
    String text =
        resource()
            .replace(
                "bridge.message-cpu.unit = us per message",
                "bridge.message-cpu.unit = ms per message");

    assertThatThrownBy(() -> Figures.parse(new StringReader(text)))
        .hasMessageContaining("bridge.message-cpu.unit is 'ms per message'");
  }

  @Test
  void aZeroOrMissingSourceOrUnknownKeyIsRefused() throws IOException {
    String zero = resource().replace("bridge.message-cpu = 81", "bridge.message-cpu = 0");
    assertThatThrownBy(() -> Figures.parse(new StringReader(zero)))
        .hasMessage("bridge.message-cpu must be positive, got 0");

    String noCommit = resource().replace("bridge.message-cpu.commit = 042f18c", "");
    assertThatThrownBy(() -> Figures.parse(new StringReader(noCommit)))
        .hasMessage("figure bridge.message-cpu.commit is missing");

    String unknown = resource() + "\nbridge.message-cpu.guess = 1\n";
    assertThatThrownBy(() -> Figures.parse(new StringReader(unknown)))
        .hasMessage("unknown figure key: bridge.message-cpu.guess");
  }
}
