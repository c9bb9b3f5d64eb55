package org.iotbackbone.servers.netlab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TcPlanTest {

  private static final Impairment DELAY_200 =
      Impairment.NONE.withDelay(Duration.ofMillis(200), Duration.ofMillis(20));

  @Test
  void aCleanInterfaceGetsNoQdiscAndLosesOurs() {
    assertThat(TcPlan.egress("lab0", false, Impairment.NONE, Map.of())).isEmpty();
    assertThat(TcPlan.egress("lab0", true, Impairment.NONE, Map.of("10.231.1.3", Impairment.NONE)))
        .containsExactly("qdisc del dev lab0 root");
  }

  @Test
  void aLinkFaultIsTheDefaultClassOfAnHtbRoot() {
    assertThat(TcPlan.egress("p2", false, Impairment.NONE.withPartition(), Map.of()))
        .containsExactly(
            "qdisc add dev p2 root handle 1: htb default 1",
            "class add dev p2 parent 1: classid 1:1 htb rate 100gbit quantum 65536",
            "qdisc add dev p2 parent 1:1 handle 10: pfifo limit 0");
  }

  @Test
  void aPairFaultIsAClassThatAFilterOnThePeersAddressFeeds() {
    assertThat(TcPlan.egress("lab0", true, Impairment.NONE, Map.of("10.231.1.3", DELAY_200)))
        .containsExactly(
            "qdisc del dev lab0 root",
            "qdisc add dev lab0 root handle 1: htb default 1",
            "class add dev lab0 parent 1: classid 1:1 htb rate 100gbit quantum 65536",
            "class add dev lab0 parent 1: classid 1:a htb rate 100gbit quantum 65536",
            "qdisc add dev lab0 parent 1:a handle a0: netem limit 100000 delay 100000us 10000us",
            "filter add dev lab0 parent 1: protocol ip prio 3 u32 match ip dst 10.231.1.3/32"
                + " flowid 1:a");
  }

  @Test
  void aLossIsABpfFilterIntoTheDropClassNotNetem() {
    assertThat(TcPlan.egress("p2", false, Impairment.NONE.withLoss(25), Map.of()))
        .containsExactly(
            "qdisc add dev p2 root handle 1: htb default 1",
            "class add dev p2 parent 1: classid 1:1 htb rate 100gbit quantum 65536",
            "class add dev p2 parent 1: classid 1:2 htb rate 100gbit quantum 65536",
            "qdisc add dev p2 parent 1:2 handle 20: pfifo limit 0",
            "filter add dev p2 parent 1: protocol all prio 1 bpf bytecode \""
                + "4,32 0 0 4294963256,53 1 0 1073741824,6 0 0 4294967295,6 0 0 0"
                + "\" flowid 1:2");
  }

  @Test
  void aPairsLossProgramChecksThePeerBeforeDrawing() {
    // ldh [12]; jeq #0x800 else miss; ld [30]; jeq #10.231.1.3 else miss; ld rand;
    // jge #2^31 miss; ret -1; ret 0
    assertThat(TcPlan.lossProgram(50, "10.231.1.3"))
        .isEqualTo(
            "8,40 0 0 12,21 0 5 2048,32 0 0 30,21 0 3 "
                + (10L << 24 | 231 << 16 | 1 << 8 | 3)
                + ",32 0 0 4294963256,53 1 0 2147483648,6 0 0 4294967295,6 0 0 0");
    assertThat(TcPlan.lossProgram(100, "10.231.1.3"))
        .isEqualTo("6,40 0 0 12,21 0 3 2048,32 0 0 30,21 0 1 182911235,6 0 0 4294967295,6 0 0 0");
    assertThat(TcPlan.lossProgram(100, null)).isEqualTo("2,6 0 0 4294967295,6 0 0 0");
    assertThatThrownBy(() -> TcPlan.lossProgram(5, "host.example"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aLinkLossAndAPairLossAreDrawnApartAndAPairDelayStillCarriesTheLinkDelay() {
    Impairment linkFault = DELAY_200.withLoss(10);

    List<String> lines =
        TcPlan.egress("lab0", false, linkFault, Map.of("10.231.1.3", Impairment.NONE.withLoss(10)));

    assertThat(lines)
        .contains(
            "qdisc add dev lab0 parent 1:1 handle 10: netem limit 100000 delay 100000us 10000us",
            "qdisc add dev lab0 parent 1:2 handle 20: pfifo limit 0")
        .noneMatch(line -> line.contains("u32"));
    assertThat(lines.stream().filter(line -> line.contains(" bpf bytecode ")))
        .hasSize(2)
        .satisfiesExactly(
            link -> assertThat(link).contains("prio 1 ", "\"4,32 0 0 4294963256,"),
            pair -> assertThat(pair).contains("prio 2 ", "\"8,40 0 0 12,"));
    assertThat(TcPlan.egress("lab0", false, linkFault, Map.of("10.231.1.3", DELAY_200)))
        .contains(
            "qdisc add dev lab0 parent 1:a handle a0: netem limit 100000 delay 200000us 20000us");
  }

  @Test
  void eachPeerGetsAClassOfItsOwn() {
    assertThat(
            TcPlan.egress(
                "lab0",
                false,
                Impairment.NONE,
                Map.of("10.231.1.3", DELAY_200, "10.231.1.4", Impairment.NONE.withPartition())))
        .contains(
            "filter add dev lab0 parent 1: protocol ip prio 3 u32 match ip dst 10.231.1.3/32"
                + " flowid 1:a",
            "filter add dev lab0 parent 1: protocol ip prio 3 u32 match ip dst 10.231.1.4/32"
                + " flowid 1:b",
            "qdisc add dev lab0 parent 1:b handle b0: pfifo limit 0");
  }

  @Test
  void aDelayIsARoundTripHalfOfItEachWay() {
    assertThat(DELAY_200.leafQdisc())
        .containsExactly("netem", "limit", "100000", "delay", "100000us", "10000us");
  }

  @Test
  void faultsCombine() {
    Impairment both =
        DELAY_200
            .withLoss(50)
            .combine(Impairment.NONE.withDelay(Duration.ofMillis(100), Duration.ZERO).withLoss(50));

    assertThat(both.delay()).isEqualTo(Duration.ofMillis(300));
    assertThat(both.lossPercent()).isEqualTo(75.0);
    assertThat(both.needsNetem()).isTrue();
    assertThat(Impairment.NONE.withLoss(30).needsNetem()).isFalse();
    assertThat(both.combine(Impairment.NONE.withPartition()).leafQdisc())
        .containsExactly("pfifo", "limit", "0");
    assertThat(Impairment.NONE.withPartition().needsNetem()).isFalse();
  }

  @Test
  void badFaultsAreRefused() {
    assertThatThrownBy(() -> Impairment.NONE.withLoss(101))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Impairment.NONE.withLoss(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Impairment.NONE.withDelay(Duration.ofMillis(-1), Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> Impairment.NONE.withDelay(Duration.ofMillis(10), Duration.ofMillis(20)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("negative delays");
  }

  @Test
  void theLogSaysWhatATargetHas() {
    assertThat(DELAY_200.withLoss(2.5).describe()).isEqualTo("delay 200ms ±20ms, loss 2.5%");
    assertThat(Impairment.NONE.describe()).isEqualTo("none");
    assertThat(DELAY_200.withPartition().describe()).isEqualTo("partitioned");
  }
}
