package org.iotbackbone.capacity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * docs/capacity.md shows what the calculator computes: each table between {@code <!--
 * capacity-table:NAME:begin -->} and {@code <!-- capacity-table:NAME:end -->} must equal the
 * generated one. Run with {@code -Dcapacity.tables.update=true} to rewrite them instead ({@code
 * ./mvnw -o -pl capacity test -Dtest=CapacityDocTest -Dcapacity.tables.update=true}).
 */
class CapacityDocTest {

  static final Map<String, Supplier<String>> TABLES =
      Map.of(
          "plans",
          CapacityDocTest::table,
          "figures",
          () -> Tables.figures(Figures.measured()),
          "prices",
          () -> Tables.prices(Prices.listed()),
          "assumptions",
          Tables::assumptions);

  /** The answer table: the command line's defaults, 5 and 50 million devices. */
  static String table() {
    Figures figures = Figures.measured();
    Prices prices = Prices.listed();
    return Tables.plans(
        List.of(
            CapacityModel.plan(Load.of(5_000_000), figures, prices),
            CapacityModel.plan(Load.of(50_000_000), figures, prices)));
  }

  static List<String> names() {
    return List.of("plans", "figures", "prices", "assumptions");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("names")
  void theDocsTableIsTheCalculators(String name) throws IOException {
    Path file = BenchmarksDoc.repoRoot().resolve("docs/capacity.md");
    String begin = "<!-- capacity-table:" + name + ":begin -->";
    String end = "<!-- capacity-table:" + name + ":end -->";
    String text = Files.readString(file);
    int from = text.indexOf(begin);
    int to = text.indexOf(end);
    if (from < 0 || to < from) {
      fail("docs/capacity.md lacks the markers " + begin + " and " + end);
    }
    String generated = "\n" + TABLES.get(name).get();
    String current = text.substring(from + begin.length(), to);
    if (Boolean.getBoolean("capacity.tables.update")) {
      Files.writeString(
          file, text.substring(0, from + begin.length()) + generated + text.substring(to));
      return;
    }
    assertThat(current)
        .as("the %s table of docs/capacity.md (regenerate: -Dcapacity.tables.update=true)", name)
        .isEqualTo(generated);
  }
}
