package org.iotbackbone.connectors.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.microsoft.kiota.ApiExceptionBuilder;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.iotbackbone.schemas.DeadLetterReason;
import org.iotbackbone.schemas.serde.RegistryConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What can be told without a registry; reading real records is in the integration tests. */
class RecordDecoderTest {

  private final RecordDecoder decoder =
      new RecordDecoder(
          RegistryConfig.of("http://127.0.0.1:9/apis/registry/v3"), "shadows", "events");

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
  void aRegistryAnswering503IsRetriedNotDeadLettered() {
    // The chain Apicurio's deserializer throws for a 503 (see TransientErrorsTest in schemas).
    RuntimeException unavailable =
        new RuntimeException(
            new ApiExceptionBuilder().withMessage("503").withResponseStatusCode(503).build());
    assertThatThrownBy(() -> failingWith(unavailable).shadow(framed("shadows")))
        .isInstanceOf(RetriableException.class);
    assertThatThrownBy(
            () ->
                failingWith(new SerializationException(new ConnectException("refused")))
                    .event(framed("events")))
        .isInstanceOf(RetriableException.class);
  }

  @Test
  void aRecordTheRegistryCannotResolveOrTheSchemaCannotReadIsDeadLettered() {
    RuntimeException unknownId =
        new RuntimeException(
            new ApiExceptionBuilder().withMessage("404").withResponseStatusCode(404).build());
    assertThatThrownBy(() -> failingWith(unknownId).shadow(framed("shadows")))
        .isInstanceOfSatisfying(
            PoisonRecordException.class,
            e -> assertThat(e.reason()).isEqualTo(DeadLetterReason.DESERIALIZATION_FAILED));
    assertThatThrownBy(
            () -> failingWith(new SerializationException("bad avro")).event(framed("events")))
        .isInstanceOf(PoisonRecordException.class);
  }

  /** A decoder whose reads fail with {@code failure}, as a registry-backed serde would. */
  private static RecordDecoder failingWith(RuntimeException failure) {
    return new RecordDecoder(
        Serdes.serdeFrom(
            (topic, shadow) -> new byte[0],
            (String topic, byte[] bytes) -> {
              throw failure;
            }),
        Serdes.serdeFrom(
            (topic, event) -> new byte[0],
            (String topic, byte[] bytes) -> {
              throw failure;
            }),
        "shadows",
        "events");
  }

  /** A record in the Confluent frame (magic byte 0, schema id 7), so the serde is asked. */
  private static SinkRecord framed(String topic) {
    return record(topic, "lamp-1", new byte[] {0, 0, 0, 0, 7, 2, 'x'});
  }
}
