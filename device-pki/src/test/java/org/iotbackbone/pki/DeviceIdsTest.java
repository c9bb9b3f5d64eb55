package org.iotbackbone.pki;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DeviceIdsTest {

  @ParameterizedTest
  @ValueSource(strings = {"a", "lamp-1", "Robot_42", "0", "-", "_"})
  void acceptsIdsOfTheDesign(String id) {
    assertThatCode(() -> DeviceIds.check(id)).doesNotThrowAnyException();
  }

  @Test
  void accepts64CharactersButNot65() {
    assertThatCode(() -> DeviceIds.check("a".repeat(64))).doesNotThrowAnyException();
    assertThatThrownBy(() -> DeviceIds.check("a".repeat(65)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("65 characters, at most 64");
  }

  @Test
  void refusesEmptyAndNull() {
    assertThatThrownBy(() -> DeviceIds.check(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("empty");
    assertThatThrownBy(() -> DeviceIds.check(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("empty");
  }

  @ParameterizedTest
  @ValueSource(strings = {"a/b", "a+", "#", "lamp 1", "lamp.1", "é", "a:b", "a\tb", "a\nb"})
  void refusesCharactersOutsideTheSet(String id) {
    assertThatThrownBy(() -> DeviceIds.check(id))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + id + "'")
        .hasMessageContaining("at position");
  }

  @Test
  void refusesReservedServiceNames() {
    assertThatThrownBy(() -> DeviceIds.check("iot-backend"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'iot-backend' is reserved");
  }
}
