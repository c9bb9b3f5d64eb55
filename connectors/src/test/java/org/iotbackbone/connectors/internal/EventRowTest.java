package org.iotbackbone.connectors.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.iotbackbone.schemas.DeviceEvent;
import org.junit.jupiter.api.Test;

class EventRowTest {

  private static final Instant AT = Instant.parse("2026-12-01T23:59:59.900Z");

  private static EventRow row(String eventId, Map<String, String> properties) {
    return new EventRow(
        DeviceEvent.newBuilder()
            .setEventId(eventId)
            .setDeviceId("meter-1")
            .setEventType("reading")
            .setPayload(ByteBuffer.wrap(new byte[] {1}))
            .setUserProperties(properties)
            .setMqttTopic("devices/meter-1/events/reading")
            .setQos(1)
            .setBroker("edge-1")
            .setReceivedAt(AT)
            .build(),
        "record");
  }

  @Test
  void anIdIsTheDevicesOnlyWhenTheUserPropertyCarriesIt() {
    assertThat(row("r-1", Map.of("eventId", "r-1")).hasDeviceEventId()).isTrue();
    // The bridge drew the id: no property, or a property that is not the id.
    assertThat(row("6f1c2d3e-0000-4000-8000-000000000001", Map.of()).hasDeviceEventId()).isFalse();
    assertThat(row("6f1c2d3e", Map.of("eventId", "other")).hasDeviceEventId()).isFalse();
  }

  @Test
  void aRedeliveryIsRewrittenToItsFirstReceiptAndKeepsEverythingElse() {
    EventRow redelivery = row("r-1", Map.of("eventId", "r-1"));
    Instant first = AT.minusSeconds(3600);

    EventRow rewritten = redelivery.receivedFirstAt(first);

    assertThat(rewritten.event().getReceivedAt()).isEqualTo(first);
    assertThat(rewritten.event().getEventId()).isEqualTo("r-1");
    assertThat(rewritten.source()).isEqualTo("record");
    assertThat(redelivery.receivedFirstAt(AT)).isSameAs(redelivery);
  }

  @Test
  void rowsWhoseClaimHasNoAnswerAreNotWrittenTheOthersAreAsTheyCame() {
    EventRow chosen = row("r-1", Map.of("eventId", "r-1"));
    EventRow drawn = row("6f1c2d3e", Map.of());
    List<EventRow> batch = List.of(chosen, drawn, chosen);

    EventIdClaims claims = new EventIdClaims(batch);

    // Not answered (the claim failed): its rows wait for the batch's retry.
    assertThat(claims.rows(batch)).containsExactly(drawn);
  }
}
