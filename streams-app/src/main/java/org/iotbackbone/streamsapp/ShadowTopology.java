package org.iotbackbone.streamsapp;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;
import org.iotbackbone.schemas.DeviceShadow;
import org.iotbackbone.schemas.topics.Topics;
import org.iotbackbone.streamsapp.internal.ops.StreamsAppMetrics;
import org.iotbackbone.streamsapp.internal.streams.CommandEventReader;
import org.iotbackbone.streamsapp.internal.streams.CommandRecord;
import org.iotbackbone.streamsapp.internal.streams.CommandStatusProcessor;
import org.iotbackbone.streamsapp.internal.streams.CommandStatusView;
import org.iotbackbone.streamsapp.internal.streams.EncodeOnce;
import org.iotbackbone.streamsapp.internal.streams.PresenceProcessor;
import org.iotbackbone.streamsapp.internal.streams.ShadowOutput;
import org.iotbackbone.streamsapp.internal.streams.ShadowOutputs;
import org.iotbackbone.streamsapp.internal.streams.ShadowRequestProcessor;

/**
 * The streams-app topology, built by a pure factory: no config is read here, so tests run it in
 * {@code TopologyTestDriver} exactly as production runs it.
 *
 * <p>In: {@code iot.shadow.requests}, {@code iot.device.presence}, {@code iot.commands}, {@code
 * iot.command.events}. Out: {@code iot.shadow.state} (one DeviceShadow per change of a device's
 * record, a tombstone when its last shadow is deleted) and {@code iot.shadow.responses} (accepted,
 * rejected, delta, documents). State: {@link #SHADOW_STORE}, every device's record by device id,
 * and {@link #COMMAND_STORE}, every command's status by command id in its device's task, both
 * queryable.
 */
public final class ShadowTopology {

  /** The store of device records (DeviceShadow) by device id. */
  public static final String SHADOW_STORE = "device-shadows";

  /**
   * The store of each device's recent clientTokens (JSON text by device id), to answer a
   * redelivered request with its first answer.
   */
  public static final String CLIENT_TOKEN_STORE = "shadow-client-tokens";

  /**
   * The store of command status views (JSON text) by command id, partitioned by device: a command's
   * status is in its device's task. Named apart from the {@code command-status} store of earlier
   * versions, whose changelog was partitioned by command id and must not be restored into these
   * tasks.
   */
  public static final String COMMAND_STORE = "command-status-v2";

  /**
   * The answers a task read before their command (JSON text, keyed by command id and offset), held
   * for the command to come: a store apart from {@link #COMMAND_STORE}, which the status lookups
   * read, so a held answer is never shown as a command.
   */
  public static final String EARLY_ANSWER_STORE = "command-early-answers";

  private ShadowTopology() {}

  /** Builds the topology with these serdes and limits, and the default command limits. */
  public static Topology build(
      ShadowSerdes serdes, ShadowLimits limits, StreamsAppMetrics metrics) {
    return build(serdes, limits, CommandLimits.defaults(), metrics);
  }

  /**
   * Builds the topology with these serdes and limits; its processors count shadow answers and
   * command statuses in {@code metrics}.
   */
  public static Topology build(
      ShadowSerdes serdes,
      ShadowLimits limits,
      CommandLimits commandLimits,
      StreamsAppMetrics metrics) {
    StreamsBuilder builder = new StreamsBuilder();
    addTo(builder, serdes, limits, commandLimits, metrics);
    return builder.build();
  }

  /** Adds the shadows and commands to a builder (the jobs topology is added next to them). */
  public static void addTo(
      StreamsBuilder builder,
      ShadowSerdes serdes,
      ShadowLimits limits,
      CommandLimits commandLimits,
      StreamsAppMetrics metrics) {
    Serde<String> deviceIds = Serdes.String();
    // The processors store a record and then forward the same object to iot.shadow.state: encoded
    // once for both (the processors never change a record after they made it).
    Serde<DeviceShadow> shadows = new EncodeOnce<>(serdes.shadows());

    // Every device's record in one persistent store, read and written by both processors below.
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(SHADOW_STORE), deviceIds, shadows));
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(CLIENT_TOKEN_STORE), deviceIds, Serdes.String()));

    // Requests change shadows one at a time per device: the key is the device id, so one task
    // sees all of a device's requests in order.
    KStream<String, ShadowOutput> fromRequests =
        builder.stream(Topics.SHADOW_REQUESTS.name(), Consumed.with(deviceIds, serdes.requests()))
            .process(
                () -> new ShadowRequestProcessor(SHADOW_STORE, CLIENT_TOKEN_STORE, limits, metrics),
                Named.as("apply-shadow-requests"),
                SHADOW_STORE,
                CLIENT_TOKEN_STORE);

    // Presence is part of the same record, so it goes through the same store.
    KStream<String, ShadowOutput> fromPresence =
        builder.stream(Topics.DEVICE_PRESENCE.name(), Consumed.with(deviceIds, serdes.presence()))
            .process(
                () -> new PresenceProcessor(SHADOW_STORE),
                Named.as("apply-presence"),
                SHADOW_STORE);

    // Each output to its topic, in the order the processor made it: new states of records (null:
    // tombstone) to the compacted iot.shadow.state, messages for the device to
    // iot.shadow.responses. One sink that picks the topic (ShadowOutputs): a filter and a mapping
    // per topic cost every output record four more nodes.
    ShadowOutputs sink = new ShadowOutputs(shadows, serdes.responses());
    fromRequests.to(sink, Produced.with(deviceIds, sink).withName("request-outputs"));
    fromPresence.to(sink, Produced.with(deviceIds, sink).withName("presence-outputs"));

    buildCommandStatus(builder, serdes, commandLimits, metrics);
  }

  private static void buildCommandStatus(
      StreamsBuilder builder,
      ShadowSerdes serdes,
      CommandLimits commandLimits,
      StreamsAppMetrics metrics) {
    Serde<String> text = Serdes.String();
    // A command and its events are keyed by its device, and the two topics are co-partitioned:
    // both are folded in the device's own task, with no re-keying through a topic (under
    // exactly-once a repartition record reaches the next sub-topology one commit later).
    KStream<String, CommandRecord> issued =
        builder.stream(Topics.COMMANDS.name(), Consumed.with(text, serdes.commands()))
            .filter((device, command) -> command != null, Named.as("commands-present"))
            // The key must be the device it addresses: its answers are keyed by that device.
            .mapValues(
                (device, command) -> CommandRecord.command(CommandStatusView.of(device, command)),
                Named.as("command-views"));
    // Events are read as bytes and deserialized here, keeping the bytes: an answer held for its
    // command (read before it) and refused later is dead-lettered byte for byte.
    KStream<String, CommandRecord> events =
        builder.stream(Topics.COMMAND_EVENTS.name(), Consumed.with(text, Serdes.ByteArray()))
            .processValues(
                () -> new CommandEventReader(serdes.commandEvents().deserializer()),
                Named.as("command-event-views"));

    builder.addStateStore(
        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(COMMAND_STORE), text, text));
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(EARLY_ANSWER_STORE), text, text));
    // Fold each command's records into its status view, stored by command id in the device's
    // task; the processor holds answers read before their command, refuses answers from other
    // devices (one in another partition finds no such command), times out and forgets
    // (CommandStatusProcessor). What it writes are the letters of the answers it held and then
    // refused, decided out of their own processing (the exception handler writes the others).
    issued
        .merge(events, Named.as("command-records"))
        .process(
            () ->
                new CommandStatusProcessor(
                    COMMAND_STORE, EARLY_ANSWER_STORE, commandLimits, metrics),
            Named.as(CommandStatusProcessor.NAME),
            COMMAND_STORE,
            EARLY_ANSWER_STORE)
        .to(
            Topics.DEAD_LETTER.name(),
            Produced.with(text, Serdes.ByteArray()).withName("command-answer-dead-letters"));
  }
}
