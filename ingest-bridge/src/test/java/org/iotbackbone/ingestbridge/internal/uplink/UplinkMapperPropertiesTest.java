package org.iotbackbone.ingestbridge.internal.uplink;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.iotbackbone.ingestbridge.internal.topic.DeviceTopics;
import org.iotbackbone.schemas.DeadLetterReason;
import org.iotbackbone.schemas.topics.Topics;

/** Randomized: whatever the topic and payload, the mapper answers, and answers right. */
class UplinkMapperPropertiesTest {

  private static final int LIMIT = 256;
  private final UplinkMapper mapper = new UplinkMapper(LIMIT);

  private static InboundMessage message(String topic, byte[] payload) {
    return new InboundMessage(topic, payload, 1, null, Map.of(), "b", 0);
  }

  @Property(tries = 2000)
  void anyTopicAndPayloadGiveARecordOrADeadLetterWithAReason(
      @ForAll("topics") String topic, @ForAll("payloads") byte[] payload) {
    UplinkDecision decision = mapper.map(message(topic, payload));

    if (decision instanceof UplinkDecision.Reject reject) {
      assertThat(reject.deadLetter().getReasonCode())
          .isNotNull()
          .isNotEqualTo(DeadLetterReason.PROCESSING_FAILED);
      assertThat(reject.deadLetter().getPayload().remaining()).isLessThanOrEqualTo(LIMIT);
      if (reject.responseTopic() != null) {
        assertThat(reject.responseTopic()).startsWith("devices/").endsWith("/rejected");
      }
    } else {
      var produce = (UplinkDecision.Produce) decision;
      assertThat(DeviceTopics.DEVICE_ID.matcher(produce.key()).matches()).isTrue();
      assertThat(topic).startsWith("devices/" + produce.key() + "/");
      assertThat(payload.length).isLessThanOrEqualTo(LIMIT);
    }
  }

  @Property(tries = 500)
  void anyEventOfAValidDeviceUnderTheLimitIsTaken(
      @ForAll("deviceIds") String device,
      @ForAll("eventTypes") String type,
      @ForAll("payloads") byte[] payload) {
    UplinkDecision decision = mapper.map(message("devices/" + device + "/events/" + type, payload));

    if (payload.length <= LIMIT) {
      assertThat(decision).isInstanceOf(UplinkDecision.Produce.class);
      assertThat(((UplinkDecision.Produce) decision).topic()).isEqualTo(Topics.DEVICE_EVENTS);
    } else {
      assertThat(((UplinkDecision.Reject) decision).deadLetter().getReasonCode())
          .isEqualTo(DeadLetterReason.PAYLOAD_TOO_LARGE);
    }
  }

  @Provide
  Arbitrary<String> deviceIds() {
    return Arbitraries.strings().withChars("abcXYZ019_-").ofMinLength(1).ofMaxLength(64);
  }

  @Provide
  Arbitrary<String> eventTypes() {
    return Arbitraries.strings().withChars("abcXYZ019_.-").ofMinLength(1).ofMaxLength(64);
  }

  @Provide
  Arbitrary<String> topics() {
    Arbitrary<String> segment =
        Arbitraries.oneOf(
            Arbitraries.of(
                "devices",
                "events",
                "shadow",
                "name",
                "update",
                "get",
                "delete",
                "commands",
                "ack",
                "presence",
                "accepted",
                "",
                "+",
                "#"),
            Arbitraries.strings().ofMaxLength(70),
            deviceIds());
    Arbitrary<String> random =
        segment.list().ofMinSize(0).ofMaxSize(7).map(l -> String.join("/", l));
    Arbitrary<String> shaped =
        Combinators.combine(deviceIds(), segment.list().ofMaxSize(4))
            .as(
                (id, rest) ->
                    "devices/" + id + (rest.isEmpty() ? "" : "/" + String.join("/", rest)));
    return Arbitraries.oneOf(random, shaped);
  }

  @Provide
  Arbitrary<byte[]> payloads() {
    Arbitrary<byte[]> raw = Arbitraries.bytes().array(byte[].class).ofMaxSize(LIMIT + 20);
    Arbitrary<byte[]> json =
        Arbitraries.of(
                "{}", "{\"status\":\"ACCEPTED\"}", "online", "offline", "{\"state\":{}}", "[")
            .map(s -> s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return Arbitraries.oneOf(raw, json);
  }
}
