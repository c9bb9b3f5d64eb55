package org.iotbackbone.servers.netlab;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SubnetsTest {

  private static final String IP_ADDR =
      """
      1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever
      4: eth0    inet 192.0.2.2/24 brd 192.0.2.255 scope global eth0\\       valid_lft forever
      7: nl-other    inet 10.231.5.1/24 scope global nl-other\\       valid_lft forever
      """;

  private static final String IP_ROUTE =
      """
      default via 192.0.2.1 dev eth0
      10.231.6.0/24 via 192.0.2.1 dev eth0
      local 10.231.7.9 dev eth0 table local proto kernel scope host src 10.231.7.9
      broadcast 127.255.255.255 dev lo table local proto kernel scope link src 127.0.0.1
      """;

  @Test
  void theNetworksInUseAreTheAddressesAndTheRoutes() {
    assertThat(Subnets.networksInUse(IP_ADDR, IP_ROUTE))
        .containsExactly(
            "127.0.0.1/8",
            "192.0.2.2/24",
            "10.231.5.1/24",
            "10.231.6.0/24",
            "10.231.7.9",
            "127.255.255.255");
  }

  @Test
  void theChoiceSkipsEverySubnetInUse() {
    List<String> inUse = Subnets.networksInUse(IP_ADDR, IP_ROUTE);

    assertThat(Subnets.choose(inUse, 5)).isEqualTo(8);
    assertThat(Subnets.choose(inUse, 200)).isEqualTo(200);
  }

  @Test
  void aWiderNetworkInUseRulesOutEverySubnetItHolds() {
    assertThat(Subnets.choose(List.of("10.0.0.0/8"), 0)).isEqualTo(-1);
    assertThat(Subnets.choose(List.of("10.231.0.0/17"), 3)).isEqualTo(128);
    assertThat(Subnets.choose(List.of("0.0.0.0/0"), 3)).isEqualTo(-1);
  }

  @Test
  void theChoiceWrapsAroundAfter255() {
    assertThat(Subnets.choose(List.of("10.231.255.0/24"), 255)).isEqualTo(0);
  }

  @Test
  void overlapIsSymmetricAndNeedsASharedAddress() {
    assertThat(Subnets.overlap("10.231.3.0/24", "10.231.3.77")).isTrue();
    assertThat(Subnets.overlap("10.231.3.77", "10.231.3.0/24")).isTrue();
    assertThat(Subnets.overlap("10.231.3.0/24", "10.231.4.0/24")).isFalse();
    assertThat(Subnets.overlap("10.0.0.0/8", "10.231.4.0/24")).isTrue();
  }
}
