package org.iotbackbone.simulator.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When devices over source addresses outgrow the odd half of the local port range. */
class SourcePortsTest {

  @TempDir Path dir;

  private Path range(String text) throws Exception {
    return Files.writeString(dir.resolve("ip_local_port_range"), text);
  }

  @Test
  void theQuarterMillionOnSixteenAddressesIsPastTheOddPortsOfTheDefaultRange() throws Exception {
    // Linux's default range, as /proc gives it (a tab between the bounds).
    Path linuxDefault = range("32768\t60999\n");

    assertThat(SourcePorts.warning(250_000, 16, linuxDefault))
        .hasValueSatisfying(
            warning ->
                assertThat(warning)
                    .contains("15,625 an address")
                    .contains("14,116 odd ports")
                    .contains("(32768-60999)")
                    .endsWith("Give at least 18 addresses."));
    assertThat(SourcePorts.warning(250_000, 18, linuxDefault)).isEmpty();
    assertThat(SourcePorts.warning(14_116, 1, linuxDefault)).isEmpty();
    assertThat(SourcePorts.warning(14_117, 1, linuxDefault)).isPresent();
  }

  @Test
  void withoutSourceAddressesOrARangeToReadThereIsNothingToSay() throws Exception {
    assertThat(SourcePorts.warning(250_000, 0, range("32768 60999"))).isEmpty();
    assertThat(SourcePorts.warning(250_000, 1, dir.resolve("absent"))).isEmpty();
    assertThat(SourcePorts.warning(250_000, 1, range("32768"))).isEmpty();
    assertThat(SourcePorts.warning(250_000, 1, range("low high"))).isEmpty();
    assertThat(SourcePorts.warning(250_000, 1, range(""))).isEmpty();
  }

  @Test
  void thisMachinesRangeIsReadWhole() {
    // The real /proc file, which reports size 0: where it exists, 250,000 on one address is over.
    assumeTrue(Files.isReadable(Path.of("/proc/sys/net/ipv4/ip_local_port_range")));
    assertThat(SourcePorts.warning(250_000, 1)).isPresent();
  }
}
