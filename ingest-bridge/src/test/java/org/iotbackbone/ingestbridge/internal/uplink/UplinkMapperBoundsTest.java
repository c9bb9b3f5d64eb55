package org.iotbackbone.ingestbridge.internal.uplink;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.iotbackbone.schemas.DeadLetterReason;
import org.junit.jupiter.api.Test;

/** The bound on the whole record, user properties included (issue 16, hole 1). */
class UplinkMapperBoundsTest {

  private final UplinkMapper mapper = new UplinkMapper(1024, 4, 4096);

  private static InboundMessage message(String topic, int payloadBytes, Map<String, String> props) {
    return new InboundMessage(topic, new byte[payloadBytes], 1, null, props, "b1", 1000);
  }

  @Test
  void moreUserPropertiesThanAllowedAreDeadLetteredNamingTheKey() {
    Map<String, String> props = new HashMap<>();
    for (int i = 0; i < 5; i++) {
      props.put("p" + i, "v");
    }
    var reject = (UplinkDecision.Reject) mapper.map(message("devices/d/events/t", 10, props));

    assertThat(reject.deadLetter().getReasonCode()).isEqualTo(DeadLetterReason.PAYLOAD_TOO_LARGE);
    assertThat(reject.deadLetter().getMessage())
        .contains("5 user properties")
        .contains("uplink.max.user.properties");
    assertThat(reject.deadLetter().getAttributes()).containsEntry("userProperties", "5");
  }

  @Test
  void userPropertiesThatMakeTheRecordTooLargeAreDeadLetteredThoughThePayloadIsSmall() {
    Map<String, String> props = Map.of("big", "x".repeat(4000));
    var reject = (UplinkDecision.Reject) mapper.map(message("devices/d/events/t", 10, props));

    assertThat(reject.deadLetter().getReasonCode()).isEqualTo(DeadLetterReason.PAYLOAD_TOO_LARGE);
    assertThat(reject.deadLetter().getMessage()).contains("uplink.max.record.bytes");
    // The dead letter keeps the payload, not the properties that made it too large.
    assertThat(reject.deadLetter().getPayload().remaining()).isEqualTo(10);
  }

  @Test
  void multiByteCharactersAreCountedAsTheirUtf8Bytes() {
    // 1200 three-byte characters: 3600 bytes, which with the overhead is over 4096.
    Map<String, String> props = Map.of("k", "\u20ac".repeat(1200));
    assertThat(mapper.recordTooLarge(message("devices/d/events/t", 10, props))).isNotNull();
    Map<String, String> ascii = Map.of("k", "e".repeat(1200));
    assertThat(mapper.recordTooLarge(message("devices/d/events/t", 10, ascii))).isNull();
  }

  @Test
  void aShadowRequestTooLargeByItsPropertiesIsAnswered413() {
    Map<String, String> props = Map.of("big", "x".repeat(4000));
    var reject =
        (UplinkDecision.Reject)
            mapper.map(
                new InboundMessage(
                    "devices/d/shadow/update",
                    "{\"state\":{}}".getBytes(StandardCharsets.UTF_8),
                    1,
                    null,
                    props,
                    "b1",
                    1000));

    assertThat(reject.responseTopic()).isEqualTo("devices/d/shadow/update/rejected");
    assertThat(new String(reject.responsePayload(), StandardCharsets.UTF_8)).contains("413");
  }

  @Test
  void aRecordKafkaFoundTooLargeKeepsOnlyTheStartOfItsPayload() {
    // Within the mapper's own bounds; too large for Kafka (a max.request.size set lower).
    var reject =
        new UplinkMapper(8192, 4, 16384)
            .failed(
                message("devices/d/events/t", 3000, Map.of()),
                DeadLetterReason.PAYLOAD_TOO_LARGE,
                "Kafka refused the record for good: RecordTooLargeException",
                true);

    assertThat(reject.deadLetter().getPayload().remaining())
        .isEqualTo(UplinkMapper.REFUSED_PAYLOAD_KEPT_BYTES);
    assertThat(reject.deadLetter().getAttributes()).containsEntry("truncated", "true");
    assertThat(reject.deadLetter().getDeviceId()).isEqualTo("d");
  }

  @Test
  void aRecordKafkaRefusedForAnotherReasonIsAWriteFailureWithItsWholePayload() {
    var reject =
        mapper.failed(
            message("devices/d/events/t", 1000, Map.of()),
            DeadLetterReason.WRITE_FAILED,
            "Kafka refused the record for good: TopicAuthorizationException",
            false);

    assertThat(reject.deadLetter().getReasonCode()).isEqualTo(DeadLetterReason.WRITE_FAILED);
    assertThat(reject.deadLetter().getPayload().remaining()).isEqualTo(1000);
  }

  @Test
  void aMessageWithinEveryBoundIsProduced() {
    assertThat(mapper.map(message("devices/d/events/t", 1024, Map.of("a", "b"))))
        .isInstanceOf(UplinkDecision.Produce.class);
  }
}
