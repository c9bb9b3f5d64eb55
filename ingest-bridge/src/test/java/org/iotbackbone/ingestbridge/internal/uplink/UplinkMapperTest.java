package org.iotbackbone.ingestbridge.internal.uplink;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.iotbackbone.schemas.CommandEvent;
import org.iotbackbone.schemas.CommandStatus;
import org.iotbackbone.schemas.DeadLetterReason;
import org.iotbackbone.schemas.DeviceEvent;
import org.iotbackbone.schemas.PresenceEvent;
import org.iotbackbone.schemas.PresenceStatus;
import org.iotbackbone.schemas.RequestSource;
import org.iotbackbone.schemas.ShadowOperation;
import org.iotbackbone.schemas.ShadowRequest;
import org.iotbackbone.schemas.topics.Topics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UplinkMapperTest {

  private final UplinkMapper mapper = new UplinkMapper(32);

  private static InboundMessage message(String topic, byte[] payload) {
    return new InboundMessage(topic, payload, 1, "application/json", Map.of("k", "v"), "b1", 1000);
  }

  private static InboundMessage message(String topic, String payload) {
    return message(topic, payload.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void anEventBecomesADeviceEventWithItsMqttContext() {
    var produce =
        (UplinkDecision.Produce) mapper.map(message("devices/d-1/events/temp", "{\"t\":1}"));

    assertThat(produce.topic()).isEqualTo(Topics.DEVICE_EVENTS);
    assertThat(produce.key()).isEqualTo("d-1");
    DeviceEvent event = (DeviceEvent) produce.value();
    assertThat(event.getEventType()).isEqualTo("temp");
    assertThat(event.getMqttTopic()).isEqualTo("devices/d-1/events/temp");
    assertThat(event.getQos()).isEqualTo(1);
    assertThat(event.getBroker()).isEqualTo("b1");
    assertThat(event.getContentType()).isEqualTo("application/json");
    assertThat(event.getUserProperties()).containsEntry("k", "v");
    assertThat(event.getReceivedAt().toEpochMilli()).isEqualTo(1000);
    assertThat(StandardCharsets.UTF_8.decode(event.getPayload()).toString()).isEqualTo("{\"t\":1}");
  }

  @Test
  void aNamedShadowUpdateBecomesAShadowRequest() {
    var produce =
        (UplinkDecision.Produce) mapper.map(message("devices/d/shadow/name/lamp/update", "{}"));

    assertThat(produce.topic()).isEqualTo(Topics.SHADOW_REQUESTS);
    ShadowRequest request = (ShadowRequest) produce.value();
    assertThat(request.getShadowName()).isEqualTo("lamp");
    assertThat(request.getOperation()).isEqualTo(ShadowOperation.UPDATE);
    assertThat(request.getSource()).isEqualTo(RequestSource.DEVICE);
    assertThat(request.getDocument()).isEqualTo("{}");
  }

  @Test
  void aGetWithAnEmptyPayloadHasNoDocument() {
    var produce = (UplinkDecision.Produce) mapper.map(message("devices/d/shadow/get", ""));

    ShadowRequest request = (ShadowRequest) produce.value();
    assertThat(request.getShadowName()).isNull();
    assertThat(request.getOperation()).isEqualTo(ShadowOperation.GET);
    assertThat(request.getDocument()).isNull();
  }

  @Test
  void anAckBecomesACommandEvent() {
    var produce =
        (UplinkDecision.Produce)
            mapper.map(message("devices/d/commands/c-1/ack", "{\"status\":\"SUCCEEDED\"}"));

    assertThat(produce.topic()).isEqualTo(Topics.COMMAND_EVENTS);
    CommandEvent event = (CommandEvent) produce.value();
    assertThat(event.getCommandId()).isEqualTo("c-1");
    assertThat(event.getStatus()).isEqualTo(CommandStatus.SUCCEEDED);
    assertThat(event.getDeviceResult()).isNull();
  }

  @Test
  void presenceBecomesAPresenceEvent() {
    var produce = (UplinkDecision.Produce) mapper.map(message("devices/d/presence", "offline"));

    assertThat(produce.topic()).isEqualTo(Topics.DEVICE_PRESENCE);
    assertThat(((PresenceEvent) produce.value()).getStatus())
        .isEqualTo(PresenceStatus.DISCONNECTED);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "devices/d/events|x|INVALID_TOPIC",
        "devices/d/events/a/b|x|INVALID_TOPIC",
        "devices/d d/events/t|x|INVALID_DEVICE_ID",
        "things/d/events/t|x|INVALID_TOPIC",
        "devices/d/shadow/update|not json|INVALID_JSON",
        "devices/d/commands/c/ack|{\"status\":\"DONE\"}|INVALID_REQUEST",
        "devices/d/presence|maybe|INVALID_REQUEST",
        "devices/d/events/t|0123456789012345678901234567890123456789|PAYLOAD_TOO_LARGE",
      })
  void badInputBecomesADeadLetter(String topic, String payload, DeadLetterReason reason) {
    var reject = (UplinkDecision.Reject) mapper.map(message(topic, payload));

    assertThat(reject.deadLetter().getReasonCode()).isEqualTo(reason);
    assertThat(reject.deadLetter().getOrigin()).isEqualTo("ingest-bridge");
    assertThat(reject.deadLetter().getSourceTopic()).isEqualTo(topic);
  }

  @Test
  void invalidUtf8InAShadowRequestIsRejectedWith415AndTheDeviceIsAnswered() {
    var reject =
        (UplinkDecision.Reject)
            mapper.map(message("devices/d/shadow/update", new byte[] {'{', (byte) 0xC3, '}'}));

    assertThat(reject.deadLetter().getReasonCode()).isEqualTo(DeadLetterReason.INVALID_UTF8);
    assertThat(reject.responseTopic()).isEqualTo("devices/d/shadow/update/rejected");
    assertThat(new String(reject.responsePayload(), StandardCharsets.UTF_8))
        .contains("\"code\":415");
  }

  @Test
  void invalidJsonInANamedShadowRequestIsAnsweredWith400() {
    var reject =
        (UplinkDecision.Reject) mapper.map(message("devices/d/shadow/name/n/delete", "{oops"));

    assertThat(reject.responseTopic()).isEqualTo("devices/d/shadow/name/n/delete/rejected");
    assertThat(new String(reject.responsePayload(), StandardCharsets.UTF_8))
        .contains("\"code\":400");
  }

  @Test
  void theRejectionEchoesTheClientToken() {
    var reject =
        (UplinkDecision.Reject)
            new UplinkMapper(1000)
                .map(message("devices/d/shadow/get", "{\"clientToken\":\"t1\"} trailing"));

    assertThat(new String(reject.responsePayload(), StandardCharsets.UTF_8))
        .contains("\"code\":400");
    assertThat(reject.deadLetter().getReasonCode()).isEqualTo(DeadLetterReason.INVALID_JSON);
  }

  @Test
  void anOversizePayloadIsKeptTruncatedToTheLimit() {
    var reject = (UplinkDecision.Reject) mapper.map(message("devices/d/events/t", new byte[100]));

    assertThat(reject.deadLetter().getPayload().remaining()).isEqualTo(32);
    assertThat(reject.deadLetter().getAttributes()).containsEntry("payloadBytes", "100");
    assertThat(reject.responseTopic()).isNull();
  }
}
