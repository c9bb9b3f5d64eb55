package org.iotbackbone.servers.junit;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.iotbackbone.servers.MqttBrokerKind;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

class MqttBrokersTest {

  @Test
  void anAvailableBrokerLetsTheTestRun() {
    assertThatCode(
            () -> MqttBrokers.assumeAvailable(MqttBrokerKind.MOSQUITTO, Optional.empty(), true))
        .doesNotThrowAnyException();
  }

  @Test
  void aMissingBrokerSkipsTheTestOnADevelopersMachine() {
    assertThatThrownBy(
            () ->
                MqttBrokers.assumeAvailable(
                    MqttBrokerKind.MOSQUITTO, Optional.of("install mosquitto"), false))
        .isInstanceOf(TestAbortedException.class)
        .hasMessageContaining("MOSQUITTO")
        .hasMessageContaining("install mosquitto");
  }

  @Test
  void aMissingBrokerFailsTheTestOnABuildServer() {
    assertThatThrownBy(
            () ->
                MqttBrokers.assumeAvailable(
                    MqttBrokerKind.MOSQUITTO, Optional.of("install mosquitto"), true))
        .isInstanceOf(AssertionFailedError.class)
        .hasMessageContaining("install mosquitto")
        .hasMessageContaining("CI=true");
  }

  @Test
  void hiveMqNeedsNothingInstalled() {
    assertThatCode(() -> MqttBrokers.assumeAvailable(MqttBrokerKind.HIVEMQ))
        .doesNotThrowAnyException();
  }
}
