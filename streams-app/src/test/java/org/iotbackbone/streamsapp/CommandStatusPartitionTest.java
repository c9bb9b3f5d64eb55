package org.iotbackbone.streamsapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.iotbackbone.streamsapp.ShadowDriver.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.TopologyDescription;
import org.iotbackbone.schemas.Command;
import org.iotbackbone.schemas.CommandEvent;
import org.iotbackbone.schemas.CommandStatus;
import org.iotbackbone.schemas.DeadLetter;
import org.iotbackbone.schemas.DeadLetterReason;
import org.iotbackbone.schemas.topics.Topics;
import org.iotbackbone.streamsapp.internal.ops.StreamsAppMetrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A command's status is folded in its device's own task (issue 22): no repartition by command id,
 * whose records reach the next sub-topology only after a commit under exactly-once. So the store of
 * a task holds the commands of its partition's devices, by command id, and a device of another
 * partition answering one finds no such command.
 */
class CommandStatusPartitionTest {

  private static final Instant T = ShadowDriver.START;

  /** Two drivers, two tasks: one per partition, as two tasks of a running app each have a store. */
  private final ShadowDriver partitionOfD = new ShadowDriver();

  private final ShadowDriver otherPartition = new ShadowDriver();

  @AfterEach
  void close() {
    partitionOfD.close();
    otherPartition.close();
  }

  @Test
  void theStatusIsFoldedInTheTaskThatReadsTheDevicesCommandsAndEvents() {
    TopologyDescription topology =
        ShadowTopology.build(
                PlainAvroSerde.shadowSerdes(), ShadowLimits.defaults(), new StreamsAppMetrics())
            .describe();
    TopologyDescription.Subtopology fold =
        topology.subtopologies().stream()
            .filter(
                sub ->
                    sub.nodes().stream()
                        .anyMatch(node -> node.name().equals("command-status-fold")))
            .findFirst()
            .orElseThrow();
    Set<String> sources = new HashSet<>();
    fold.nodes().stream()
        .filter(TopologyDescription.Source.class::isInstance)
        .map(TopologyDescription.Source.class::cast)
        .forEach(source -> sources.addAll(source.topicSet()));
    // Read from the device-keyed topics themselves, in their partitions' tasks.
    assertThat(sources).contains(Topics.COMMANDS.name(), Topics.COMMAND_EVENTS.name());
    assertThat(sources).noneMatch(topic -> topic.contains("repartition"));
    assertThat(topology.toString()).doesNotContain("commands-by-id");
  }

  @Test
  void theStatusIsQueryableByCommandIdFromTheDevicesTaskStore() {
    partitionOfD.commands.pipeInput("d", command("c-1", "d"));
    partitionOfD.commandEvents.pipeInput(
        "d", event("c-1", "d", CommandStatus.SUCCEEDED).setDeviceResult("{\"ok\":1}").build());

    JsonNode view = json(partitionOfD.commandStore().get("c-1"));
    assertThat(view.get("deviceId").asText()).isEqualTo("d");
    assertThat(view.get("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(view.at("/deviceResult/ok").asInt()).isEqualTo(1);
    // Stored by command id, not by the device id the records were keyed by.
    assertThat(partitionOfD.commandStore().get("d")).isNull();
  }

  @Test
  void anAnswerFromADeviceOfAnotherPartitionIsRefusedAsAnUnknownCommand() {
    String device = "d";
    String intruder = devicesInAnotherPartitionThan(device);
    partitionOfD.commands.pipeInput(device, command("c-1", device));

    // The intruder's answer is keyed by the intruder: it is read in its own partition's task.
    otherPartition.commandEvents.pipeInput(
        intruder, event("c-1", intruder, CommandStatus.SUCCEEDED).build());
    // Held there for the grace (its task cannot tell it from an answer read before its command),
    // and the command never comes to that task.
    assertThat(otherPartition.deadLetters.isEmpty()).isTrue();
    otherPartition.advanceSeconds(90);

    DeadLetter refused = otherPartition.deadLetters.readValue();
    assertThat(refused.getReasonCode()).isEqualTo(DeadLetterReason.INVALID_REQUEST);
    assertThat(refused.getMessage()).contains("no command with id c-1", intruder);
    assertThat(otherPartition.commandStore().get("c-1")).isNull();
    assertThat(json(partitionOfD.commandStore().get("c-1")).get("status").asText())
        .isEqualTo("PENDING");
  }

  @Test
  void aCommandKeyedByAnotherDeviceThanTheOneItAddressesIsRefused() {
    // Its answers are keyed by its device, in that device's partition: it could never be answered.
    partitionOfD.commands.pipeInput("e", command("c-1", "d"));

    DeadLetter refused = partitionOfD.deadLetters.readValue();
    assertThat(refused.getReasonCode()).isEqualTo(DeadLetterReason.INVALID_REQUEST);
    assertThat(refused.getMessage()).contains("key and deviceId differ");
    assertThat(partitionOfD.commandStore().get("c-1")).isNull();
  }

  /** A device whose records go to another partition than {@code device}'s, of the topics' 12. */
  private static String devicesInAnotherPartitionThan(String device) {
    return IntStream.range(0, 1000)
        .mapToObj(i -> "device-" + i)
        .filter(other -> partition(other) != partition(device))
        .findFirst()
        .orElseThrow();
  }

  /** The producers' default partitioner's choice for a key. */
  private static int partition(String key) {
    return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8)))
        % Topics.PARTITIONS;
  }

  private static Command command(String id, String device) {
    return ShadowDriver.command(id, device, T.plusSeconds(60));
  }

  private static CommandEvent.Builder event(String id, String device, CommandStatus status) {
    return CommandEvent.newBuilder()
        .setCommandId(id)
        .setDeviceId(device)
        .setStatus(status)
        .setOccurredAt(T.plusSeconds(1));
  }
}
