package org.iotbackbone.streamsapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.iotbackbone.streamsapp.ShadowDriver.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.state.KeyValueStore;
import org.iotbackbone.schemas.Command;
import org.iotbackbone.schemas.CommandEvent;
import org.iotbackbone.schemas.CommandStatus;
import org.iotbackbone.schemas.DeadLetter;
import org.iotbackbone.schemas.DeadLetterReason;
import org.iotbackbone.schemas.topics.Topics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Kafka Streams does not order a task's two input partitions ({@code iot.commands} and {@code
 * iot.command.events} of a device): after a stall, a device's answer may be read before the command
 * it answers, which the REST API had written before the device could get it. Such an early answer
 * is held for {@code command.answer.grace.ms} (default 60 s) and applied when its command comes,
 * with the checks it would have had; only when the command does not come is it dead-lettered.
 */
class CommandAnswerOrderTest {

  private static final Instant T = ShadowDriver.START;

  private final ShadowDriver shadows = new ShadowDriver();

  @AfterEach
  void close() {
    shadows.close();
  }

  @Test
  void answersReadBeforeTheirCommandAreAppliedInTheirOrderWhenTheCommandComes() {
    shadows.commandEvents.pipeInput("d", event("c-1", "d", CommandStatus.DELIVERED, 1));
    shadows.commandEvents.pipeInput("d", event("c-1", "d", CommandStatus.SUCCEEDED, 2));
    assertThat(shadows.deadLetters.isEmpty()).isTrue();

    shadows.commands.pipeInput("d", command("c-1", "d"));

    JsonNode view = json(shadows.commandStore().get("c-1"));
    assertThat(view.get("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(view.get("name").asText()).isEqualTo("reboot");
    assertThat(view.get("history").findValuesAsText("status"))
        .containsExactly("PENDING", "DELIVERED", "SUCCEEDED");
    assertThat(shadows.deadLetters.isEmpty()).isTrue();
    // Applied once: nothing is left to apply or dead-letter later.
    shadows.advanceSeconds(120);
    assertThat(shadows.deadLetters.isEmpty()).isTrue();
    assertThat(json(shadows.commandStore().get("c-1")).get("history")).hasSize(3);
  }

  @Test
  void aHeldAnswerIsNoCommandForTheStatusLookups() {
    shadows.commandEvents.pipeInput("d", event("c-1", "d", CommandStatus.SUCCEEDED, 1));

    // GET /commands/{id} and GET /devices/{id}/commands/{commandId} read only this store: 404.
    assertThat(shadows.commandStore().get("c-1")).isNull();
    assertThat(shadows.commandStore().approximateNumEntries()).isZero();
    assertThat(earlyAnswers(shadows)).isEqualTo(1);
  }

  @Test
  void anEarlyAnswerFromAnotherDeviceIsRefusedWhenTheCommandComes() {
    CommandEvent intruding = event("c-1", "intruder", CommandStatus.SUCCEEDED, 1);
    shadows.commandEvents.pipeInput("intruder", intruding);
    assertThat(shadows.deadLetters.isEmpty()).isTrue();

    shadows.commands.pipeInput("d", command("c-1", "d"));

    DeadLetter refused = shadows.deadLetters.readValue();
    assertThat(refused.getReasonCode()).isEqualTo(DeadLetterReason.INVALID_DEVICE_ID);
    assertThat(refused.getMessage()).contains("device intruder may not answer command c-1");
    // The same letter as one refused at once: the answer's own place, key and bytes.
    assertThat(refused.getOrigin()).isEqualTo("streams-app");
    assertThat(refused.getDeviceId()).isEqualTo("intruder");
    assertThat(refused.getSourceTopic()).isEqualTo(Topics.COMMAND_EVENTS.name());
    assertThat(refused.getSourceOffset()).isZero();
    assertThat(refused.getPayload())
        .isEqualTo(
            ByteBuffer.wrap(
                PlainAvroSerde.shadowSerdes()
                    .commandEvents()
                    .serializer()
                    .serialize(Topics.COMMAND_EVENTS.name(), intruding)));
    assertThat(json(shadows.commandStore().get("c-1")).get("status").asText()).isEqualTo("PENDING");

    shadows.commandEvents.pipeInput("d", event("c-1", "d", CommandStatus.SUCCEEDED, 2));
    assertThat(json(shadows.commandStore().get("c-1")).get("status").asText())
        .isEqualTo("SUCCEEDED");
  }

  @Test
  void anAnswerWhoseCommandNeverComesIsDeadLetteredAfterTheGrace() {
    shadows.commandEvents.pipeInput("d", event("c-404", "d", CommandStatus.FAILED, 1));

    shadows.advanceSeconds(45); // within the grace (60 s): still held
    assertThat(shadows.deadLetters.isEmpty()).isTrue();

    shadows.advanceSeconds(45); // past it, at the next sweep
    DeadLetter refused = shadows.deadLetters.readValue();
    assertThat(refused.getReasonCode()).isEqualTo(DeadLetterReason.INVALID_REQUEST);
    assertThat(refused.getMessage())
        .contains(
            "no command with id c-404 in the partition of device d"
                + " (a command's status lives in its device's partition)")
        .contains("held 90000 ms");
    assertThat(refused.getSourceTopic()).isEqualTo(Topics.COMMAND_EVENTS.name());
    assertThat(shadows.deadLetters.isEmpty()).isTrue();

    // Dead-lettered, not applied: a command with this id coming later starts PENDING.
    shadows.commands.pipeInput("d", command("c-404", "d"));
    assertThat(json(shadows.commandStore().get("c-404")).get("status").asText())
        .isEqualTo("PENDING");
    assertThat(shadows.deadLetters.isEmpty()).isTrue();
  }

  @Test
  void anAnswerHeldLongerThanTheGraceIsDeadLetteredWhenItsCommandComesLate() {
    CommandLimits limits =
        new CommandLimits(Duration.ofDays(7), Duration.ofHours(1), 32, Duration.ofSeconds(45), 10);
    try (ShadowDriver late = new ShadowDriver(ShadowLimits.defaults(), limits)) {
      late.commandEvents.pipeInput("d", event("c-1", "d", CommandStatus.SUCCEEDED, 1));
      late.advanceSeconds(30); // swept at 30 s: within the grace
      late.advanceSeconds(20); // past the grace, before the next sweep (60 s)
      assertThat(late.deadLetters.isEmpty()).isTrue();

      late.commands.pipeInput("d", command("c-1", "d"));

      DeadLetter refused = late.deadLetters.readValue();
      assertThat(refused.getReasonCode()).isEqualTo(DeadLetterReason.INVALID_REQUEST);
      assertThat(refused.getMessage()).contains("no command with id c-1", "held 50000 ms");
      assertThat(json(late.commandStore().get("c-1")).get("status").asText()).isEqualTo("PENDING");
      assertThat(earlyAnswers(late)).isZero();
    }
  }

  @Test
  void heldAnswersAreBoundedPerTask() {
    CommandLimits limits =
        new CommandLimits(Duration.ofDays(7), Duration.ofHours(1), 32, Duration.ofSeconds(60), 3);
    try (ShadowDriver bounded = new ShadowDriver(ShadowLimits.defaults(), limits)) {
      // A device flooding answers for made-up ids: three are held, the rest refused at once.
      for (int i = 0; i < 10; i++) {
        bounded.commandEvents.pipeInput("d", event("made-up-" + i, "d", CommandStatus.FAILED, i));
      }
      List<DeadLetter> atOnce = bounded.deadLetters.readValuesToList();
      assertThat(atOnce).hasSize(7);
      assertThat(atOnce)
          .allSatisfy(
              letter -> {
                assertThat(letter.getReasonCode()).isEqualTo(DeadLetterReason.INVALID_REQUEST);
                assertThat(letter.getMessage()).contains("this task holds 3 early answers already");
              });
      assertThat(earlyAnswers(bounded)).isEqualTo(3);

      // The grace frees the room: the three held are dead-lettered, and an early answer is held
      // again (and applied when its command comes).
      bounded.advanceSeconds(90);
      assertThat(bounded.deadLetters.readValuesToList()).hasSize(3);
      assertThat(earlyAnswers(bounded)).isZero();
      bounded.commandEvents.pipeInput("d", event("c-1", "d", CommandStatus.SUCCEEDED, 1));
      assertThat(bounded.deadLetters.isEmpty()).isTrue();
      bounded.commands.pipeInput("d", command("c-1", "d"));
      assertThat(json(bounded.commandStore().get("c-1")).get("status").asText())
          .isEqualTo("SUCCEEDED");
      assertThat(earlyAnswers(bounded)).isZero();
    }
  }

  @Test
  void noGraceRefusesAnEarlyAnswerAtOnce() {
    CommandLimits limits =
        new CommandLimits(Duration.ofDays(7), Duration.ofHours(1), 32, Duration.ZERO, 10);
    try (ShadowDriver noGrace = new ShadowDriver(ShadowLimits.defaults(), limits)) {
      noGrace.commandEvents.pipeInput("d", event("c-1", "d", CommandStatus.SUCCEEDED, 1));

      DeadLetter refused = noGrace.deadLetters.readValue();
      assertThat(refused.getReasonCode()).isEqualTo(DeadLetterReason.INVALID_REQUEST);
      assertThat(refused.getMessage()).contains("no command with id c-1").doesNotContain("held");
      assertThat(earlyAnswers(noGrace)).isZero();
    }
  }

  @Test
  void anEventThatCannotBeReadIsStillDeadLetteredAsItIsRead() {
    // Events are read as bytes (kept for a later letter) and deserialized in the topology: a value
    // that is not an event is still refused at once, byte for byte, as undeserializable.
    byte[] garbage = {1, 2, 3};
    shadows
        .driver
        .createInputTopic(
            Topics.COMMAND_EVENTS.name(), new StringSerializer(), new ByteArraySerializer())
        .pipeInput("d", garbage);

    DeadLetter refused = shadows.deadLetters.readValue();
    assertThat(refused.getReasonCode()).isEqualTo(DeadLetterReason.DESERIALIZATION_FAILED);
    assertThat(refused.getPayload()).isEqualTo(ByteBuffer.wrap(garbage));
    assertThat(refused.getDeviceId()).isEqualTo("d");
    assertThat(earlyAnswers(shadows)).isZero();
  }

  private static long earlyAnswers(ShadowDriver driver) {
    KeyValueStore<String, String> store =
        driver.driver.getKeyValueStore(ShadowTopology.EARLY_ANSWER_STORE);
    try (var all = store.all()) {
      long count = 0;
      while (all.hasNext()) {
        all.next();
        count++;
      }
      return count;
    }
  }

  static Command command(String id, String device) {
    return ShadowDriver.command(id, device, T.plusSeconds(3600));
  }

  static CommandEvent event(String id, String device, CommandStatus status, int second) {
    return CommandEvent.newBuilder()
        .setCommandId(id)
        .setDeviceId(device)
        .setStatus(status)
        .setOccurredAt(T.plusSeconds(second))
        .build();
  }
}
