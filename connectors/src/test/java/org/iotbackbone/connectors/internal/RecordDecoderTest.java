package org.iotbackbone.connectors.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.iotbackbone.schemas.DeadLetterReason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What can be told without a registry; reading real records is in the integration tests. */
class RecordDecoderTest {

  private final RecordDecoder decoder =
      new RecordDecoder("http://127.0.0.1:9/apis/registry/v3", "shadows", "events");

  @AfterEach
  void close() {
    decoder.close();
  }

  private static SinkRecord record(String topic, Object key, Object value) {
    return new SinkRecord(topic, 0, null, key, null, value, 42);
  }

  @Test
  void aTombstoneIsADeleteOfTheKeysDevice() {
    ShadowChange change = decoder.shadow(record("shadows", "lamp-1", null));
    assertThat(change.isTombstone()).isTrue();
    assertThat(change.deviceId()).isEqualTo("lamp-1");
    assertThat(change.offset()).isEqualTo(42);
  }

  @Test
  void bytesOutsideTheConfluentFrameArePoison() {
    assertThatThrownBy(
            () ->
                decoder.shadow(record("shadows", "lamp-1", "{}".getBytes(StandardCharsets.UTF_8))))
        .isInstanceOfSatisfying(
            PoisonRecordException.class,
            e -> assertThat(e.reason()).isEqualTo(DeadLetterReason.DESERIALIZATION_FAILED));
  }

  @Test
  void aShadowWithoutKeyOrAnEventWithoutValueIsPoison() {
    assertThatThrownBy(() -> decoder.shadow(record("shadows", null, null)))
        .isInstanceOfSatisfying(
            PoisonRecordException.class,
            e -> assertThat(e.reason()).isEqualTo(DeadLetterReason.INVALID_DEVICE_ID));
    assertThatThrownBy(() -> decoder.event(record("events", "lamp-1", null)))
        .isInstanceOf(PoisonRecordException.class);
  }

  @Test
  void anUnreachableRegistryIsNotTheRecordsFault() {
    assertThat(
            RecordDecoder.registryUnreachable(
                new SerializationException("x", new ConnectException("Connection refused"))))
        .isTrue();
    assertThat(RecordDecoder.registryUnreachable(new SerializationException("bad avro"))).isFalse();
  }
}
