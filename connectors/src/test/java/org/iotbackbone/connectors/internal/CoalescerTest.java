package org.iotbackbone.connectors.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CoalescerTest {

  private static ShadowChange change(String device, long offset) {
    return new ShadowChange(device, offset, null, device + "@" + offset);
  }

  @Test
  void keepsTheHighestOffsetOfEachDevice() {
    List<ShadowChange> batch =
        List.of(change("a", 1), change("b", 2), change("a", 3), change("c", 4), change("b", 5));
    assertThat(Coalescer.newestPerDevice(batch))
        .extracting(ShadowChange::source)
        .containsExactly("a@3", "b@5", "c@4");
  }

  @Test
  void anOutOfOrderRedeliveryKeepsTheNewest() {
    assertThat(Coalescer.newestPerDevice(List.of(change("a", 9), change("a", 3))))
        .extracting(ShadowChange::offset)
        .containsExactly(9L);
  }

  @Test
  void nothingIn_nothingOut() {
    assertThat(Coalescer.newestPerDevice(List.of())).isEmpty();
  }
}
