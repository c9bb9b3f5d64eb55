package org.iotbackbone.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PlatformOptionsTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "0|1|partitions must be from 1 to 1000, not 0",
        "1001|1|partitions must be from 1 to 1000, not 1001",
        "3|0|brokers must be from 1 to 32, not 0",
        "3|33|brokers must be from 1 to 32, not 33"
      })
  void aBadNumberIsRefusedNamingIt(int partitions, int brokers, String message) {
    assertThatThrownBy(
            () -> new Platform.Options(partitions, true, Duration.ofMinutes(1), "t", brokers))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @ParameterizedTest
  @CsvSource({"1,1", "3,32"})
  void theLimitsThemselvesAreAllowed(int partitions, int brokers) {
    assertThat(
            new Platform.Options(partitions, true, Duration.ofMinutes(1), "t", brokers).brokers())
        .isEqualTo(brokers);
  }
}
