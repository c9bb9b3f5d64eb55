package org.iotbackbone.localstack.internal.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class FaultTest {

  @Test
  void readsWhatItWrites() {
    Fault fault = Fault.parse("kill:kafka:10");

    assertThat(fault).isEqualTo(new Fault(Fault.Kind.KILL, "kafka", Duration.ofSeconds(10)));
    assertThat(fault.slug()).isEqualTo("kill:kafka:10");
    assertThat(fault.label()).isEqualTo("kill -9 kafka, down 10 s");
    assertThat(Fault.parse("PAUSE:ingest-bridge:20").label())
        .isEqualTo("SIGSTOP ingest-bridge for 20 s");
  }

  @Test
  void badFaultsAreRefusedSayingWhy() {
    assertThatThrownBy(() -> Fault.parse("kill:kafka")).hasMessageContaining("KIND:PART:SECONDS");
    assertThatThrownBy(() -> Fault.parse("reboot:kafka:10"))
        .hasMessageContaining("unknown fault kind 'reboot'");
    assertThatThrownBy(() -> Fault.parse("kill:kafka:ten")).hasMessageContaining("'ten'");
    assertThatThrownBy(() -> Fault.parse("kill:kafka:0")).hasMessageContaining("from 1 to 3600");
  }

  @Test
  void plansNameOnlyKnownParts() {
    assertThat(ChaosRun.fullPlan())
        .extracting(Fault::target)
        .allMatch(ChaosRun.PARTS::contains)
        .hasSize(2 * ChaosRun.PARTS.size());
    assertThat(ChaosRun.shortPlan()).extracting(Fault::target).allMatch(ChaosRun.PARTS::contains);
  }
}
