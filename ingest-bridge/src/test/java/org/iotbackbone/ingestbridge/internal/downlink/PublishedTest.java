package org.iotbackbone.ingestbridge.internal.downlink;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** DELIVERED only when a broker had a subscriber (MQTT 5 PUBACK reason 0x10 is not delivery). */
class PublishedTest {

  @Test
  void oneBrokerWithASubscriberIsDeliveryAndNamesOnlyIt() {
    var published = DownlinkLoop.Published.of(List.of("b"), List.of("a", "c"));

    assertThat(published.delivered()).isTrue();
    assertThat(published.brokers()).isEqualTo("b");
  }

  @Test
  void noBrokerWithASubscriberIsNoDeliveryAndNamesThemAll() {
    var published = DownlinkLoop.Published.of(List.of(), List.of("a", "c"));

    assertThat(published.delivered()).isFalse();
    assertThat(published.brokers()).isEqualTo("a,c");
  }
}
