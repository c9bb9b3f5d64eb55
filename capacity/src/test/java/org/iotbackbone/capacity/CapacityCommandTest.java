package org.iotbackbone.capacity;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

class CapacityCommandTest {

  private record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit =
        new CommandLine(new CapacityCommand())
            .setOut(new PrintWriter(out))
            .setErr(new PrintWriter(err))
            .execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void byDefaultItPrintsTheTableOfFiveAndFiftyMillion() {
    Run run = run();

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).isEqualTo(CapacityDocTest.table());
    assertThat(run.out()).contains("| 5,000,000 devices | 50,000,000 devices |");
  }

  @Test
  void devicesTakeSuffixesAndSeparators() {
    Run run = run("--devices", "2_500K,3M", "--devices", "1_000_000");

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).contains("| 2,500,000 devices | 3,000,000 devices | 1,000,000 devices |");
  }

  @Test
  void theOptionsReachTheModel() {
    Run run =
        run(
            "--devices=1M",
            "--messages-per-device-hour=60",
            "--shadow-share=1",
            "--command-burst=0",
            "--payload-bytes=1000",
            "--target-utilisation=0.5",
            "--replication-factor=5",
            "--retention-days=1",
            "--archive-days=0",
            "--reconnect-minutes=30",
            "--max-connections-per-node=100000",
            "--transport=plain");

    Load load =
        new Load(1_000_000, 60, 1, 0, 1000, 0.5, 5, 1, 0, 30, 100_000, Load.Transport.PLAIN);
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out())
        .isEqualTo(
            Tables.plans(List.of(CapacityModel.plan(load, Figures.measured(), Prices.listed()))));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = ';',
      value = {
        "--devices=0; --devices must be from 1",
        "--devices=-3; --devices must be from 1",
        "--devices=lots; --devices must be whole numbers",
        "--devices=99999999999999999999M; --devices must be whole numbers",
        "--messages-per-device-hour=100000; --messages-per-device-hour must be",
        "--command-burst=-1; --command-burst must be",
        "--target-utilisation=1.5; --target-utilisation must be",
        "--replication-factor=0; --replication-factor must be",
        "--transport=quic; --transport must be mtls or plain",
        "--payload-bytes=x; --payload-bytes"
      })
  void aBadOptionIsRefusedByName(String argument, String message) {
    Run run = run(argument);

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains(message);
    assertThat(run.out()).isEmpty();
  }

  @Test
  void figuresPrintsEverySourceCited() {
    Run run = run("--figures");

    assertThat(run.exit()).isZero();
    for (Measure measure : Measure.values()) {
      assertThat(run.out()).contains("`" + measure.key() + "`");
    }
  }
}
