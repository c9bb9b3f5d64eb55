package org.iotbackbone.servers.netlab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LabNamesTest {

  @Test
  void aShortNameKeepsItsLettersAndDigits() {
    assertThat(LabNames.shorten("Ingest-Bridge", 12)).isEqualTo("ingestbridge");
    assertThat(LabNames.shorten("kafka", 12)).isEqualTo("kafka");
  }

  @Test
  void aLongNameKeepsItsStartAndEndsInAChecksumOfTheWhole() {
    String a = LabNames.shorten("streams-app-instance-1", 12);
    String b = LabNames.shorten("streams-app-instance-2", 12);

    assertThat(a).hasSize(12).startsWith("streamsa").isNotEqualTo(b);
    assertThat(b).hasSize(12).startsWith("streamsa");
    assertThat(LabNames.shorten("streams-app-instance-1", 12)).isEqualTo(a);
  }

  @Test
  void aNameWithoutLettersOrDigitsIsRefused() {
    assertThatThrownBy(() -> LabNames.shorten("--", 8))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'--'");
  }

  @Test
  void theRootInterfaceFitsLinuxsFifteenCharacters() {
    LabNames names = new LabNames("a-very-long-chaos-lab-name");

    assertThat(names.rootDevice()).startsWith("nl-").hasSizeLessThanOrEqualTo(15);
    assertThat(LabNames.switchPort(254)).hasSizeLessThanOrEqualTo(15);
    assertThat(LabNames.HOST_DEVICE).hasSizeLessThanOrEqualTo(15);
  }

  @Test
  void everyNamespaceOfALabSharesAPrefixNoOtherLabHas() {
    LabNames chaos = new LabNames("chaos");
    LabNames chaos2 = new LabNames("chaos2");

    assertThat(chaos.switchNamespace()).startsWith(chaos.namespacePrefix());
    assertThat(chaos.hostNamespace("kafka")).startsWith(chaos.namespacePrefix());
    assertThat(chaos2.hostNamespace("kafka")).doesNotStartWith(chaos.namespacePrefix());
    assertThat(chaos.hostNamespace("sw")).isNotEqualTo(chaos.switchNamespace());
  }
}
