package org.iotbackbone.streamsapp.internal.shadow;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.iotbackbone.schemas.DeviceShadow;
import org.iotbackbone.schemas.Presence;
import org.iotbackbone.schemas.ShadowDocument;
import org.junit.jupiter.api.Test;

/** The size check counts exactly, though it encodes a record only near the limit. */
class DeviceSizesTest {

  private static final Instant AT = Instant.parse("2026-12-06T20:00:00.123Z");

  @Test
  void theBoundIsNeverBelowTheEncodedSize() {
    for (DeviceShadow record : records()) {
      int exact = DeviceSizes.serializedBytes(record);
      assertThat(5 + DeviceSizes.bound(record)).as(record.toString()).isGreaterThanOrEqualTo(exact);
    }
  }

  @Test
  void fitsIsExactAtTheLimitEvenWhereTheBoundIsOverIt() {
    for (DeviceShadow record : records()) {
      int exact = DeviceSizes.serializedBytes(record);
      // Between the exact size and the bound the answer comes from encoding the record.
      assertThat(5 + DeviceSizes.bound(record)).isGreaterThan(exact);
      assertThat(DeviceSizes.fits(record, exact)).as(record.toString()).isTrue();
      assertThat(DeviceSizes.fits(record, exact - 1)).as(record.toString()).isFalse();
      assertThat(DeviceSizes.fits(record, exact + 1)).isTrue();
    }
  }

  @Test
  void aCharOutsideTheBasicPlaneIsCountedWithinTheBound() {
    // An emoji is 2 UTF-16 chars and 4 UTF-8 bytes; a CJK char 1 char and 3 bytes: both within 3
    // bytes a char.
    String text = "\uD83D\uDE00".repeat(1000) + "\u4E2D".repeat(1000);
    DeviceShadow record = record(Map.of("n", document(text)), null);
    assertThat(5 + DeviceSizes.bound(record))
        .isGreaterThanOrEqualTo(DeviceSizes.serializedBytes(record));
  }

  private static List<DeviceShadow> records() {
    Map<String, ShadowDocument> named = new LinkedHashMap<>();
    for (int i = 0; i < 25; i++) {
      named.put("shadow-" + i, document("{\"temp\":" + i + ",\"label\":\"\u00e9t\u00e9\"}"));
    }
    Presence presence =
        Presence.newBuilder()
            .setConnected(true)
            .setConnectedAt(AT)
            .setDisconnectedAt(null)
            .setBroker("broker-1")
            .build();
    return List.of(
        DeviceShadow.newBuilder()
            .setDeviceId("d")
            .setClassic(null)
            .setNamed(Map.of())
            .setPresence(null)
            .setRevision(1)
            .setUpdatedAt(AT)
            .build(),
        record(Map.of(), presence),
        record(named, presence),
        record(Map.of("big", document("x".repeat(100_000))), null));
  }

  private static DeviceShadow record(Map<String, ShadowDocument> named, Presence presence) {
    return DeviceShadow.newBuilder()
        .setDeviceId("device-\u00fc-1")
        .setClassic(document("{\"temp\":21,\"on\":true}"))
        .setNamed(named)
        .setPresence(presence)
        .setRevision(Long.MAX_VALUE)
        .setUpdatedAt(AT)
        .build();
  }

  private static ShadowDocument document(String reported) {
    return ShadowDocument.newBuilder()
        .setDesired("{\"temp\":22}")
        .setReported(reported)
        .setDelta("{\"temp\":22}")
        .setMetadata("{\"reported\":{\"temp\":{\"timestamp\":1796587200}}}")
        .setVersion(-1L)
        .setUpdatedAt(AT)
        .build();
  }
}
