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
    assertThatThrownBy(() -> Fault.parse("kill:kafka"))
        .hasMessageContaining("KIND[=AMOUNT]:PART[/PART]:SECONDS");
    assertThatThrownBy(() -> Fault.parse("reboot:kafka:10"))
        .hasMessageContaining("unknown fault kind 'reboot'");
    assertThatThrownBy(() -> Fault.parse("kill:kafka:ten")).hasMessageContaining("'ten'");
    assertThatThrownBy(() -> Fault.parse("kill:kafka:0")).hasMessageContaining("from 1 to 3600");
  }

  @Test
  void networkFaultsNameAPartOrAPath() {
    Fault cut = Fault.parse("partition:ingest-bridge/kafka:20");
    Fault lossy = Fault.parse("loss=25:mqtt:30");
    Fault slow = Fault.parse("delay:kafka:10");

    assertThat(cut.parts()).containsExactly("ingest-bridge", "kafka");
    assertThat(cut.label()).isEqualTo("partition ingest-bridge ⇹ kafka for 20 s");
    assertThat(lossy.amount()).isEqualTo(25);
    assertThat(lossy.slug()).isEqualTo("loss=25:mqtt:30");
    assertThat(slow.amount()).as("the default delay").isEqualTo(200);
    assertThat(Fault.parse("loss:mqtt:30").amount()).as("the default loss").isEqualTo(30);
    assertThatThrownBy(() -> Fault.parse("kill:ingest-bridge/kafka:10"))
        .hasMessageContaining("kill is done to one part");
    assertThatThrownBy(() -> Fault.parse("loss=0:mqtt:10")).hasMessageContaining("percent");
    assertThatThrownBy(() -> Fault.parse("partition=5:mqtt:10"))
        .hasMessageContaining("only loss and delay take an amount");
  }

  @Test
  void plansNameOnlyKnownParts() {
    assertThat(ChaosRun.fullPlan(false))
        .extracting(Fault::target)
        .allMatch(ChaosRun.PARTS::contains)
        .hasSize(2 * ChaosRun.PARTS.size());
    assertThat(ChaosRun.fullPlan(true))
        .flatExtracting(Fault::parts)
        .allMatch(ChaosRun.PARTS::contains);
    assertThat(ChaosRun.fullPlan(true)).anyMatch(fault -> fault.kind().network());
    assertThat(ChaosRun.shortPlan(true))
        .flatExtracting(Fault::parts)
        .allMatch(ChaosRun.PARTS::contains);
  }
}
