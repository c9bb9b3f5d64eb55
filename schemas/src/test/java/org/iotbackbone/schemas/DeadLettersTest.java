package org.iotbackbone.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.iotbackbone.schemas.DeadLetters.Origin;
import org.junit.jupiter.api.Test;

/** The one dead-letter builder: what each field becomes. */
class DeadLettersTest {

  private static final Instant AT = Instant.parse("2026-01-02T03:04:05.678Z");

  @Test
  void aKafkaInputKeepsItsPositionKeyAndBytes() {
    byte[] key = "lamp-1".getBytes(StandardCharsets.UTF_8);
    DeadLetter letter =
        DeadLetters.builder(Origin.STREAMS_APP, DeadLetterReason.DESERIALIZATION_FAILED)
            .attribute("outputTopic", "iot.shadow.state")
            .failure(new IllegalStateException("bad bytes"))
            .deviceKey(key)
            .kafkaSource("iot.shadow.requests", 3, 42L)
            .payload(new byte[] {0, 1, 2})
            .occurredAt(AT)
            .build();
    assertThat(letter.getOrigin()).isEqualTo("streams-app");
    assertThat(letter.getReasonCode()).isEqualTo(DeadLetterReason.DESERIALIZATION_FAILED);
    assertThat(letter.getMessage()).isEqualTo("bad bytes");
    assertThat(letter.getDeviceId()).isEqualTo("lamp-1");
    assertThat(letter.getKey()).isEqualTo(ByteBuffer.wrap(key));
    assertThat(letter.getSourceTopic()).isEqualTo("iot.shadow.requests");
    assertThat(letter.getSourcePartition()).isEqualTo(3);
    assertThat(letter.getSourceOffset()).isEqualTo(42L);
    assertThat(letter.getPayload()).isEqualTo(ByteBuffer.wrap(new byte[] {0, 1, 2}));
    assertThat(letter.getOccurredAt()).isEqualTo(AT);
    // In the order given: the order the map is written in.
    assertThat(List.copyOf(letter.getAttributes().keySet()))
        .containsExactly("outputTopic", "exception");
    assertThat(letter.getAttributes())
        .containsEntry("exception", IllegalStateException.class.getName());
  }

  @Test
  void anUnknownPositionIsLeftOutNotWrittenAsMinusOne() {
    DeadLetter letter =
        DeadLetters.builder(Origin.STREAMS_APP, DeadLetterReason.WRITE_FAILED)
            .message("m")
            .kafkaSource("t", -1, -1L)
            .build();
    assertThat(letter.getSourcePartition()).isNull();
    assertThat(letter.getSourceOffset()).isNull();
  }

  @Test
  void anMqttInputHasATopicAndTheDevicesIdAsKey() {
    DeadLetter letter =
        DeadLetters.builder(Origin.INGEST_BRIDGE, DeadLetterReason.INVALID_JSON)
            .message("not JSON")
            .device("robot-7")
            .source("devices/robot-7/shadow/update")
            .attributes(Map.of("qos", "1"))
            .build();
    assertThat(letter.getOrigin()).isEqualTo("ingest-bridge");
    assertThat(letter.getKey())
        .isEqualTo(ByteBuffer.wrap("robot-7".getBytes(StandardCharsets.UTF_8)));
    assertThat(letter.getSourceTopic()).isEqualTo("devices/robot-7/shadow/update");
    assertThat(letter.getSourcePartition()).isNull();
    assertThat(letter.getAttributes()).containsExactlyEntriesOf(Map.of("qos", "1"));
  }

  @Test
  void withoutADeviceTheKeyIsEmptyAndWithoutATimeItIsNow() {
    Instant before = Instant.now();
    DeadLetter letter =
        DeadLetters.builder(Origin.SCYLLA_SINK, DeadLetterReason.WRITE_FAILED)
            .message(null)
            .device(null)
            .build();
    assertThat(letter.getOrigin()).isEqualTo("scylla-sink");
    assertThat(letter.getMessage()).isEqualTo("null");
    assertThat(letter.getDeviceId()).isNull();
    assertThat(letter.getKey()).isNull();
    assertThat(letter.getPayload()).isNull();
    assertThat(letter.getAttributes()).isEmpty();
    assertThat(letter.getOccurredAt()).isBetween(before.minusMillis(1), Instant.now());
  }

  @Test
  void aLetterWithoutAMessageIsNotBuilt() {
    assertThatThrownBy(
            () -> DeadLetters.builder(Origin.SCYLLA_SINK, DeadLetterReason.WRITE_FAILED).build())
        .isInstanceOf(IllegalStateException.class);
  }
}
