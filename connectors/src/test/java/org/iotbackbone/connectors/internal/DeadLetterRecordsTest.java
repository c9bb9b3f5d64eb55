package org.iotbackbone.connectors.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.sink.SinkRecord;
import org.iotbackbone.schemas.DeadLetter;
import org.iotbackbone.schemas.DeadLetterReason;
import org.junit.jupiter.api.Test;

/** The letter's fields; that it reaches the topic as Avro is in {@code ScyllaSinkIT}. */
class DeadLetterRecordsTest {

  private final DeadLetterRecords letters =
      new DeadLetterRecords(
          (topic, letter) -> ("letter:" + letter.getReasonCode()).getBytes(), "sink-1");

  private static SinkRecord record() {
    ConnectHeaders headers = new ConnectHeaders();
    headers.addString("trace", "abc");
    return new SinkRecord(
        "iot.shadow.state",
        2,
        Schema.STRING_SCHEMA,
        "lamp-1",
        Schema.OPTIONAL_BYTES_SCHEMA,
        "not avro".getBytes(StandardCharsets.UTF_8),
        77,
        1_790_000_000_000L,
        TimestampType.CREATE_TIME,
        headers);
  }

  private static PoisonRecordException failure() {
    return new PoisonRecordException(
        DeadLetterReason.DESERIALIZATION_FAILED, "not Avro", new IllegalStateException("x"));
  }

  @Test
  void theLetterKeepsTheRawRecordWhereItCameFromAndWhy() {
    DeadLetter letter = letters.letter(record(), failure());

    assertThat(letter.getOrigin()).isEqualTo("scylla-sink");
    assertThat(letter.getReasonCode()).isEqualTo(DeadLetterReason.DESERIALIZATION_FAILED);
    assertThat(letter.getMessage()).isEqualTo("DESERIALIZATION_FAILED: not Avro");
    assertThat(letter.getDeviceId()).isEqualTo("lamp-1");
    assertThat(letter.getSourceTopic()).isEqualTo("iot.shadow.state");
    assertThat(letter.getSourcePartition()).isEqualTo(2);
    assertThat(letter.getSourceOffset()).isEqualTo(77L);
    assertThat(letter.getKey()).isEqualTo(ByteBuffer.wrap("lamp-1".getBytes()));
    assertThat(letter.getPayload()).isEqualTo(ByteBuffer.wrap("not avro".getBytes()));
    assertThat(letter.getAttributes())
        .containsEntry("connector", "sink-1")
        .containsEntry("exception", IllegalStateException.class.getName());
  }

  @Test
  void aTombstoneOrAKeylessRecordHasNoPayloadOrNoDevice() {
    SinkRecord keyless = new SinkRecord("iot.device.events", 0, null, null, null, null, 5);
    DeadLetter letter = letters.letter(keyless, failure());
    assertThat(letter.getDeviceId()).isNull();
    assertThat(letter.getKey()).isNull();
    assertThat(letter.getPayload()).isNull();
  }

  @Test
  void theReportedRecordIsTheOriginalsPlaceWithTheLetterAsItsValue() {
    SinkRecord original = record();
    SinkRecord reported = letters.letterFor(original, failure());

    assertThat(reported.topic()).isEqualTo(original.topic());
    assertThat(reported.kafkaPartition()).isEqualTo(2);
    assertThat(reported.kafkaOffset()).isEqualTo(77);
    assertThat(reported.key()).isEqualTo("lamp-1");
    assertThat(reported.timestamp()).isEqualTo(1_790_000_000_000L);
    assertThat(reported.headers().lastWithName("trace").value()).isEqualTo("abc");
    assertThat(reported.valueSchema()).isEqualTo(Schema.OPTIONAL_BYTES_SCHEMA);
    assertThat((byte[]) reported.value()).isEqualTo("letter:DESERIALIZATION_FAILED".getBytes());
  }
}
