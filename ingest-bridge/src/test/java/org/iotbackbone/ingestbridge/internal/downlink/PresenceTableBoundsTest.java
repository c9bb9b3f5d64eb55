package org.iotbackbone.ingestbridge.internal.downlink;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.iotbackbone.schemas.PresenceEvent;
import org.iotbackbone.schemas.PresenceStatus;
import org.junit.jupiter.api.Test;

class PresenceTableBoundsTest {

  private final AtomicLong now = new AtomicLong(1_000_000);

  private static PresenceEvent event(String device, PresenceStatus status, long at) {
    return PresenceEvent.newBuilder()
        .setDeviceId(device)
        .setStatus(status)
        .setBroker("a")
        .setOccurredAt(Instant.ofEpochMilli(at))
        .build();
  }

  @Test
  void aDisconnectedDeviceIsForgottenAfterTheRetentionAConnectedOneIsNot() {
    PresenceTable table = new PresenceTable(100, Duration.ofSeconds(10), now::get);
    table.apply(event("off", PresenceStatus.CONNECTED, now.get()));
    table.apply(event("off", PresenceStatus.DISCONNECTED, now.get()));
    table.apply(event("on", PresenceStatus.CONNECTED, now.get()));

    now.addAndGet(9_000);
    assertThat(table.brokerOf("off")).contains("a");
    now.addAndGet(2_000);
    assertThat(table.brokerOf("off")).isEmpty();
    assertThat(table.brokerOf("on")).contains("a");
    assertThat(table.size()).isEqualTo(1);
  }

  @Test
  void anOldOfflineReadAgainAtStartIsNotKept() {
    PresenceTable table = new PresenceTable(100, Duration.ofSeconds(10), now::get);
    table.apply(event("d", PresenceStatus.CONNECTED, now.get() - 60_000));
    table.apply(event("d", PresenceStatus.DISCONNECTED, now.get() - 50_000));

    assertThat(table.size()).isZero();
    assertThat(table.brokerOf("d")).isEmpty();
  }

  @Test
  void theSweepForgetsExpiredDevicesWithoutALookup() {
    PresenceTable table = new PresenceTable(100, Duration.ofSeconds(10), now::get);
    for (int i = 0; i < 10; i++) {
      table.apply(event("d" + i, PresenceStatus.DISCONNECTED, now.get()));
    }
    table.apply(event("live", PresenceStatus.CONNECTED, now.get()));
    now.addAndGet(11_000);

    assertThat(table.sweep()).isEqualTo(10);
    assertThat(table.size()).isEqualTo(1);
  }

  @Test
  void pastTheLimitTheLeastRecentlyUpdatedDeviceIsForgotten() {
    PresenceTable table = new PresenceTable(3, Duration.ofDays(1), now::get);
    table.apply(event("d1", PresenceStatus.CONNECTED, now.get()));
    table.apply(event("d2", PresenceStatus.CONNECTED, now.get()));
    table.apply(event("d3", PresenceStatus.CONNECTED, now.get()));
    table.apply(event("d1", PresenceStatus.CONNECTED, now.get())); // d1 seen again: d2 is eldest
    table.apply(event("d4", PresenceStatus.CONNECTED, now.get()));

    assertThat(table.size()).isEqualTo(3);
    assertThat(table.brokerOf("d2")).isEmpty();
    assertThat(table.brokerOf("d1")).contains("a");
    assertThat(table.brokerOf("d4")).contains("a");
  }
}
