package org.iotbackbone.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.iotbackbone.servers.Distribution;
import org.iotbackbone.servers.junit.DistributionContract;
import org.junit.jupiter.api.Test;

/** The simulator's distribution ({@code target/dist/bin/device-simulator}). */
class DistributionIT extends DistributionContract {

  DistributionIT() {
    super("device-simulator");
  }

  @Test
  void itPrintsItsUsage() {
    Distribution.Run run = distribution().run(List.of("--help"), List.of(), Map.of(), RUN_TIMEOUT);

    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.output()).contains("Usage: simulate").contains("--scenario");
  }

  @Test
  void withoutJavaOptsItRunsWithTheOptionsOfAProcessThatHoldsDevices() {
    // JDK_JAVA_OPTIONS is read by the java launcher beside the command line's options.
    Distribution.Run run =
        distribution()
            .run(
                List.of("--help"),
                List.of(),
                Map.of("JDK_JAVA_OPTIONS", "-XX:+PrintCommandLineFlags"),
                RUN_TIMEOUT);

    assertThat(run.exitCode()).as(run.output()).isZero();
    for (String option : Simulation.PART_JVM_OPTIONS) {
      String flag = option.startsWith("-Xmn") ? "-XX:MaxNewSize=67108864" : option;
      assertThat(run.output()).contains(flag);
    }
  }

  @Test
  void anUnknownOptionIsRefusedWithUsage() {
    Distribution.Run run =
        distribution().run(List.of("--no-such-option"), List.of(), Map.of(), RUN_TIMEOUT);

    assertThat(run.exitCode()).as(run.output()).isEqualTo(2);
    assertThat(run.output()).contains("--no-such-option");
  }
}
