package org.iotbackbone.streamsapp.internal.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DevicePatternTest {

  @Test
  void aGlobMatchesAnyRunOfDeviceIdCharacters() {
    DevicePattern speakers = DevicePattern.parse("speaker-*");
    assertThat(speakers.matches("speaker-1")).isTrue();
    assertThat(speakers.matches("speaker-")).isTrue();
    assertThat(speakers.matches("robot-1")).isFalse();
    assertThat(speakers.matches("my-speaker-1")).isFalse();
    assertThat(speakers.isAny()).isFalse();
  }

  @Test
  void severalGlobsAreSeparatedBySpaces() {
    DevicePattern some = DevicePattern.parse("lamp-1 *-kitchen");
    assertThat(some.matches("lamp-1")).isTrue();
    assertThat(some.matches("lamp-10")).isFalse();
    assertThat(some.matches("fan-kitchen")).isTrue();
  }

  @Test
  void aStarAloneIsEveryDevice() {
    assertThat(DevicePattern.parse("*").isAny()).isTrue();
    assertThat(DevicePattern.parse("a *").matches("zzz")).isTrue();
  }

  @Test
  void nothingButDeviceIdCharactersAndStarsIsAccepted() {
    for (String bad : new String[] {"", " ", "a.b", "speaker-[1]", "a/b", "x".repeat(65)}) {
      assertThatThrownBy(() -> DevicePattern.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
