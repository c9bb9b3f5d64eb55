package org.iotbackbone.capacity;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LoadTest {

  static Stream<Arguments> badLoads() {
    return Stream.of(
        bad("--devices", () -> load(0, 2, 0.5, 0, 200, 0.6, 3, 7, 30, 10, 400_000)),
        bad("--devices", () -> load(-5, 2, 0.5, 0, 200, 0.6, 3, 7, 30, 10, 400_000)),
        bad("--devices", () -> load(20_000_000_000L, 2, 0.5, 0, 200, 0.6, 3, 7, 30, 10, 400_000)),
        bad(
            "--messages-per-device-hour",
            () -> load(10, 0, 0.5, 0, 200, 0.6, 3, 7, 30, 10, 400_000)),
        bad(
            "--messages-per-device-hour",
            () -> load(10, 7200, 0.5, 0, 200, 0.6, 3, 7, 30, 10, 400_000)),
        bad(
            "--messages-per-device-hour",
            () -> load(10, Double.NaN, 0.5, 0, 200, 0.6, 3, 7, 30, 10, 400_000)),
        bad("--shadow-share", () -> load(10, 2, 1.5, 0, 200, 0.6, 3, 7, 30, 10, 400_000)),
        bad("--command-burst", () -> load(10, 2, 0.5, -1, 200, 0.6, 3, 7, 30, 10, 400_000)),
        bad("--command-burst", () -> load(10, 2, 0.5, 11, 200, 0.6, 3, 7, 30, 10, 400_000)),
        bad("--payload-bytes", () -> load(10, 2, 0.5, 0, 0, 0.6, 3, 7, 30, 10, 400_000)),
        bad("--target-utilisation", () -> load(10, 2, 0.5, 0, 200, 0, 3, 7, 30, 10, 400_000)),
        bad("--target-utilisation", () -> load(10, 2, 0.5, 0, 200, 1.2, 3, 7, 30, 10, 400_000)),
        bad("--replication-factor", () -> load(10, 2, 0.5, 0, 200, 0.6, 0, 7, 30, 10, 400_000)),
        bad("--retention-days", () -> load(10, 2, 0.5, 0, 200, 0.6, 3, 0, 30, 10, 400_000)),
        bad("--archive-days", () -> load(10, 2, 0.5, 0, 200, 0.6, 3, 7, -1, 10, 400_000)),
        bad("--reconnect-minutes", () -> load(10, 2, 0.5, 0, 200, 0.6, 3, 7, 30, 0, 400_000)),
        bad("--max-connections-per-node", () -> load(10, 2, 0.5, 0, 200, 0.6, 3, 7, 30, 10, 0)));
  }

  @ParameterizedTest(name = "{0} {index}")
  @MethodSource("badLoads")
  void aBadInputIsRefusedNamingItsOption(String option, Supplier<Load> load) {
    assertThatThrownBy(load::get)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(option + " must be");
  }

  @Test
  void theEdgesOfEachRangeAreAccepted() {
    assertThatCode(() -> load(1, 3600, 1, 1, 1, 1, 7, 3650, 0, 1440, 1)).doesNotThrowAnyException();
    assertThatCode(
            () -> load(10_000_000_000L, 0.001, 0, 0, 268_435_455, 0.01, 1, 1, 7300, 1, 100_000_000))
        .doesNotThrowAnyException();
  }

  @Test
  void aMissingTransportIsRefused() {
    assertThatThrownBy(() -> new Load(10, 2, 0.5, 0, 200, 0.6, 3, 7, 30, 10, 400_000, null))
        .hasMessageStartingWith("--transport");
  }

  private static Arguments bad(String option, Supplier<Load> load) {
    return Arguments.of(option, load);
  }

  private static Load load(
      long devices,
      double perHour,
      double shadowShare,
      double commands,
      int payload,
      double utilisation,
      int rf,
      int retention,
      int archive,
      int reconnect,
      long maxConnections) {
    return new Load(
        devices,
        perHour,
        shadowShare,
        commands,
        payload,
        utilisation,
        rf,
        retention,
        archive,
        reconnect,
        maxConnections,
        Load.Transport.MTLS);
  }
}
