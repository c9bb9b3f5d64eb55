package org.iotbackbone.streamsapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.iotbackbone.streamsapp.ShadowDriver.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import org.iotbackbone.schemas.Command;
import org.iotbackbone.schemas.CommandEvent;
import org.iotbackbone.schemas.CommandStatus;
import org.iotbackbone.schemas.DeadLetter;
import org.iotbackbone.schemas.DeadLetterReason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Command statuses are bounded (issue 16, hole 6): only the addressed device answers a command, its
 * history is capped, a command without a final status times out, final statuses are forgotten.
 */
class CommandStatusLimitsTest {

  private static final Instant T = ShadowDriver.START;
  private static final CommandLimits LIMITS =
      new CommandLimits(Duration.ofHours(1), Duration.ofMinutes(10), 5);
  private final ShadowDriver shadows = new ShadowDriver(ShadowLimits.defaults(), LIMITS);

  @AfterEach
  void close() {
    shadows.close();
  }

  @Test
  void onlyTheAddressedDeviceMayAnswerACommand() {
    shadows.commands.pipeInput("d", command("c-1", "d", T.plusSeconds(60)));

    shadows.commandEvents.pipeInput("intruder", event("c-1", "intruder", CommandStatus.SUCCEEDED));
    // Keyed by one device and naming another.
    shadows.commandEvents.pipeInput("intruder", event("c-1", "d", CommandStatus.FAILED));
    // A command nobody issued: it must not grow the status store.
    shadows.commandEvents.pipeInput("intruder", event("c-404", "intruder", CommandStatus.FAILED));

    assertThat(shadows.deadLetters.readValuesToList())
        .extracting(DeadLetter::getReasonCode, l -> l.getMessage().isBlank())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(DeadLetterReason.INVALID_DEVICE_ID, false),
            org.assertj.core.groups.Tuple.tuple(DeadLetterReason.INVALID_REQUEST, false));
    assertThat(status("c-1")).isEqualTo("PENDING");
    assertThat(shadows.commandStore().get("c-404")).isNull();
    // The answer to a command nobody issued is held for the grace (its command may come late:
    // CommandAnswerOrderTest), then dead-lettered.
    shadows.advanceSeconds(90);
    assertThat(shadows.deadLetters.readValuesToList())
        .extracting(DeadLetter::getReasonCode)
        .containsExactly(DeadLetterReason.INVALID_REQUEST);
    assertThat(shadows.commandStore().get("c-404")).isNull();

    shadows.commandEvents.pipeInput("d", event("c-1", "d", CommandStatus.SUCCEEDED));
    assertThat(status("c-1")).isEqualTo("SUCCEEDED");
  }

  @Test
  void aCommandsHistoryIsBounded() {
    shadows.commands.pipeInput("d", command("c-1", "d", T.plusSeconds(60)));
    for (int i = 0; i < 100; i++) {
      shadows.commandEvents.pipeInput("d", event("c-1", "d", CommandStatus.ACCEPTED));
    }
    JsonNode history = json(shadows.commandStore().get("c-1")).get("history");
    assertThat(history).hasSize(5);
    assertThat(history.get(0).get("status").asText()).isEqualTo("PENDING");
  }

  @Test
  void aDeliveredCommandWithoutAnAnswerTimesOutAndAnUndeliveredOneExpires() {
    shadows.commands.pipeInput("d", command("c-1", "d", T.plusSeconds(60)));
    shadows.commandEvents.pipeInput("d", event("c-1", "d", CommandStatus.DELIVERED));
    shadows.commands.pipeInput("d", command("c-2", "d", T.plusSeconds(60)));
    shadows.commands.pipeInput("d", command("c-3", "d", T.plusSeconds(3600)));

    shadows.advanceSeconds(60 + 9 * 60); // expired, but still within the completion timeout
    assertThat(status("c-1")).isEqualTo("DELIVERED");

    shadows.advanceSeconds(2 * 60);
    JsonNode timedOut = json(shadows.commandStore().get("c-1"));
    assertThat(timedOut.get("status").asText()).isEqualTo("TIMED_OUT");
    assertThat(timedOut.get("message").asText()).isNotBlank();
    assertThat(status("c-2")).isEqualTo("EXPIRED");
    assertThat(status("c-3")).isEqualTo("PENDING"); // not expired yet
  }

  /**
   * UNDELIVERED is final (docs/design.md, Guarantees): the sweep timed it out as TIMED_OUT, "no
   * final status from the device", an hour after its expiry, for a command no device ever got.
   */
  @Test
  void anUndeliveredCommandStaysUndeliveredAndIsForgottenAfterTheRetention() {
    shadows.commands.pipeInput("d", command("c-1", "d", T.plusSeconds(60)));
    shadows.commandEvents.pipeInput("d", event("c-1", "d", CommandStatus.UNDELIVERED));
    assertThat(status("c-1")).isEqualTo("UNDELIVERED");

    shadows.advanceSeconds(60 + 11 * 60); // past expiry and completion timeout
    assertThat(status("c-1")).isEqualTo("UNDELIVERED");
    shadows.advanceSeconds(61 * 60); // past the retention
    assertThat(shadows.commandStore().get("c-1")).isNull();
  }

  @Test
  void aCommandPublishedTwiceThatOnceReachedASessionIsDeliveredAndADeviceAnswerStillWins() {
    shadows.commands.pipeInput("d", command("c-1", "d", T.plusSeconds(60)));
    shadows.commandEvents.pipeInput("d", event("c-1", "d", CommandStatus.DELIVERED));
    shadows.commandEvents.pipeInput("d", event("c-1", "d", CommandStatus.UNDELIVERED));
    assertThat(status("c-1")).isEqualTo("DELIVERED");

    shadows.commands.pipeInput("d", command("c-2", "d", T.plusSeconds(60)));
    shadows.commandEvents.pipeInput("d", event("c-2", "d", CommandStatus.UNDELIVERED));
    shadows.commandEvents.pipeInput("d", event("c-2", "d", CommandStatus.DELIVERED));
    assertThat(status("c-2")).isEqualTo("DELIVERED");
    shadows.commandEvents.pipeInput("d", event("c-2", "d", CommandStatus.SUCCEEDED));
    assertThat(status("c-2")).isEqualTo("SUCCEEDED");
  }

  @Test
  void finalStatusesAreForgottenAfterTheRetention() {
    shadows.commands.pipeInput("d", command("c-1", "d", T.plusSeconds(60)));
    shadows.commandEvents.pipeInput("d", event("c-1", "d", CommandStatus.SUCCEEDED));
    shadows.commands.pipeInput("d", command("c-2", "d", T.plusSeconds(3 * 3600)));

    shadows.advanceSeconds(30 * 60);
    assertThat(status("c-1")).isEqualTo("SUCCEEDED");
    shadows.advanceSeconds(31 * 60);
    assertThat(shadows.commandStore().get("c-1")).isNull();
    assertThat(status("c-2")).isEqualTo("PENDING"); // not final: kept
  }

  private String status(String commandId) {
    return json(shadows.commandStore().get(commandId)).get("status").asText();
  }

  private static Command command(String id, String device, Instant expiresAt) {
    return ShadowDriver.command(id, device, expiresAt);
  }

  private static CommandEvent event(String id, String device, CommandStatus status) {
    return CommandEvent.newBuilder()
        .setCommandId(id)
        .setDeviceId(device)
        .setStatus(status)
        .setOccurredAt(T.plusSeconds(1))
        .build();
  }
}
