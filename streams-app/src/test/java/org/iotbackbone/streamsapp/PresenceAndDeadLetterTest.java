package org.iotbackbone.streamsapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.iotbackbone.streamsapp.ShadowDriver.json;
import static org.iotbackbone.streamsapp.ShadowDriver.q;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.iotbackbone.schemas.Command;
import org.iotbackbone.schemas.CommandEvent;
import org.iotbackbone.schemas.CommandStatus;
import org.iotbackbone.schemas.DeadLetter;
import org.iotbackbone.schemas.DeadLetterReason;
import org.iotbackbone.schemas.DeviceShadow;
import org.iotbackbone.schemas.PresenceEvent;
import org.iotbackbone.schemas.PresenceStatus;
import org.iotbackbone.schemas.ShadowRequest;
import org.iotbackbone.schemas.ShadowResponseType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Presence in the device's record, bad records to the dead-letter topic, command status. */
class PresenceAndDeadLetterTest {

  private static final Instant T = Instant.parse("2026-11-22T00:10:00Z");
  private final ShadowDriver shadows = new ShadowDriver();

  @AfterEach
  void close() {
    shadows.close();
  }

  @Test
  void presenceIsPartOfTheRecordAndSurvivesShadowUpdates() {
    shadows.presence.pipeInput("d", presence("d", PresenceStatus.CONNECTED, "b1", T));
    DeviceShadow connected = shadows.states.readValue();
    assertThat(connected.getPresence().getConnected()).isTrue();
    assertThat(connected.getPresence().getConnectedAt()).isEqualTo(T);
    assertThat(connected.getPresence().getBroker()).isEqualTo("b1");
    assertThat(connected.getClassic()).isNull();

    shadows.update("d", q("{'state':{'reported':{'on':true}}}"));
    DeviceShadow updated = shadows.states.readValue();
    assertThat(updated.getPresence()).isEqualTo(connected.getPresence());
    assertThat(updated.getRevision()).isEqualTo(2L);

    shadows.presence.pipeInput(
        "d", presence("d", PresenceStatus.DISCONNECTED, "b1", T.plusSeconds(5)));
    DeviceShadow gone = shadows.states.readValue();
    assertThat(gone.getPresence().getConnected()).isFalse();
    assertThat(gone.getPresence().getConnectedAt()).isEqualTo(T);
    assertThat(gone.getPresence().getDisconnectedAt()).isEqualTo(T.plusSeconds(5));
    assertThat(gone.getClassic().getVersion()).isEqualTo(1L);
  }

  @Test
  void anOlderPresenceEventAndALateWillFromAnotherBrokerChangeNothing() {
    shadows.presence.pipeInput("d", presence("d", PresenceStatus.CONNECTED, "b2", T));
    shadows.states.readValuesToList();
    // Older than what the record knows.
    shadows.presence.pipeInput(
        "d", presence("d", PresenceStatus.DISCONNECTED, "b2", T.minusSeconds(1)));
    // The will message of the broker the device left, after it connected to b2.
    shadows.presence.pipeInput(
        "d", presence("d", PresenceStatus.DISCONNECTED, "b1", T.plusSeconds(1)));
    assertThat(shadows.states.isEmpty()).isTrue();
    assertThat(shadows.store().get("d").getPresence().getConnected()).isTrue();
  }

  @Test
  void anUndeserializableRecordIsSkippedAndProcessingGoesOn() {
    // TopologyTestDriver drops the dead-letter records of the deserialization handler (it has no
    // record collector at that point); DeadLetterHandlersTest checks what the handler hands back.
    byte[] garbage = "not avro at all".getBytes(StandardCharsets.UTF_8);
    shadows.rawRequests.pipeInput("d".getBytes(StandardCharsets.UTF_8), garbage);
    shadows.update("d", q("{'state':{'reported':{'on':true}}}"));
    assertThat(shadows.responses().get(0).getType()).isEqualTo(ShadowResponseType.ACCEPTED);
  }

  @Test
  void aRequestWithoutKeyOrForAnotherDeviceIsDeadLetteredWithItsReason() {
    ShadowRequest request =
        shadows.request("d", null, org.iotbackbone.schemas.ShadowOperation.GET, null, T);
    shadows.requests.pipeInput((String) null, request);
    shadows.requests.pipeInput("other", request);
    shadows.requests.pipeInput("bad id!", request);
    assertThat(shadows.deadLetters.readValuesToList())
        .extracting(DeadLetter::getReasonCode)
        .containsExactly(
            DeadLetterReason.INVALID_DEVICE_ID,
            DeadLetterReason.INVALID_REQUEST,
            DeadLetterReason.INVALID_DEVICE_ID);
    assertThat(shadows.responses()).isEmpty();
    shadows.requests.pipeInput("d", request);
    assertThat(shadows.onlyResponse().getCode()).isEqualTo(404);
  }

  @Test
  void aCommandEventWithoutAValueIsDeadLetteredNotDropped() {
    shadows.commandEvents.pipeInput("d", (CommandEvent) null);

    DeadLetter letter = shadows.deadLetters.readValue();
    assertThat(letter.getReasonCode()).isEqualTo(DeadLetterReason.INVALID_REQUEST);
    assertThat(letter.getMessage().toString()).contains("without a value");
  }

  @Test
  void aPresenceEventOfUnknownStatusIsDeadLettered() {
    shadows.presence.pipeInput("d", presence("d", PresenceStatus.UNKNOWN, "b1", T));
    DeadLetter letter = shadows.deadLetters.readValue();
    assertThat(letter.getReasonCode()).isEqualTo(DeadLetterReason.INVALID_REQUEST);
    assertThat(letter.getPayload()).isNotNull();
    assertThat(shadows.states.isEmpty()).isTrue();
  }

  @Test
  void aCommandsStatusFollowsItsEventsAndALateStepDoesNotGoBack() {
    Command command =
        Command.newBuilder()
            .setCommandId("c-1")
            .setDeviceId("d")
            .setName("reboot")
            .setPayload("{}")
            .setCreatedAt(T)
            .setExpiresAt(T.plusSeconds(60))
            .build();
    shadows.commands.pipeInput("d", command);
    assertThat(json(shadows.commandStore().get("c-1")).get("status").asText()).isEqualTo("PENDING");

    shadows.commandEvents.pipeInput(
        "d", event("c-1", CommandStatus.SUCCEEDED, "{'ok':true}", T.plusSeconds(2)));
    shadows.commandEvents.pipeInput(
        "d", event("c-1", CommandStatus.DELIVERED, null, T.plusSeconds(1)));

    var view = json(shadows.commandStore().get("c-1"));
    assertThat(view.get("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(view.get("name").asText()).isEqualTo("reboot");
    assertThat(view.at("/deviceResult/ok").asBoolean()).isTrue();
    assertThat(view.get("history")).hasSize(3);
  }

  private static CommandEvent event(String id, CommandStatus status, String result, Instant at) {
    return CommandEvent.newBuilder()
        .setCommandId(id)
        .setDeviceId("d")
        .setStatus(status)
        .setDeviceResult(result == null ? null : q(result))
        .setOccurredAt(at)
        .build();
  }

  private static PresenceEvent presence(
      String id, PresenceStatus status, String broker, Instant at) {
    return PresenceEvent.newBuilder()
        .setDeviceId(id)
        .setStatus(status)
        .setBroker(broker)
        .setOccurredAt(at)
        .build();
  }
}
