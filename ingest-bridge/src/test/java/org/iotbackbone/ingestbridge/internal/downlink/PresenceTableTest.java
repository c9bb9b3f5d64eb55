package org.iotbackbone.ingestbridge.internal.downlink;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.iotbackbone.schemas.PresenceEvent;
import org.iotbackbone.schemas.PresenceStatus;
import org.junit.jupiter.api.Test;

class PresenceTableTest {

  private static PresenceEvent event(PresenceStatus status, String broker) {
    return PresenceEvent.newBuilder()
        .setDeviceId("d")
        .setStatus(status)
        .setBroker(broker)
        .setOccurredAt(Instant.EPOCH)
        .build();
  }

  @Test
  void aLateWillFromTheOldBrokerDoesNotMoveTheDeviceBack() {
    PresenceTable view = new PresenceTable();
    {
      view.apply(event(PresenceStatus.CONNECTED, "a"));
      view.apply(event(PresenceStatus.CONNECTED, "b"));
      view.apply(event(PresenceStatus.DISCONNECTED, "a"));

      assertThat(view.brokerOf("d")).contains("b");

      view.apply(event(PresenceStatus.DISCONNECTED, "b"));
      assertThat(view.brokerOf("d")).contains("b");
      assertThat(view.brokerOf("other")).isEmpty();
    }
  }
}
