package org.iotbackbone.streamsapp;

import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;
import org.iotbackbone.schemas.Command;
import org.iotbackbone.schemas.CommandEvent;
import org.iotbackbone.schemas.DeviceShadow;
import org.iotbackbone.schemas.PresenceEvent;
import org.iotbackbone.schemas.ShadowRequest;
import org.iotbackbone.schemas.ShadowResponse;
import org.iotbackbone.schemas.serde.RegistryConfig;
import org.iotbackbone.schemas.serde.RegistrySerdes;
import org.iotbackbone.schemas.topics.Topics;

/**
 * The value serdes of the topology, given to {@link ShadowTopology#build} so that tests can pass
 * serdes that need no registry. Keys are always device ids (UTF-8 strings).
 *
 * @param requests values of {@code iot.shadow.requests}
 * @param presence values of {@code iot.device.presence}
 * @param shadows values of {@code iot.shadow.state} and of the shadow store
 * @param responses values of {@code iot.shadow.responses}
 * @param commands values of {@code iot.commands}
 * @param commandEvents values of {@code iot.command.events}
 */
public record ShadowSerdes(
    Serde<ShadowRequest> requests,
    Serde<PresenceEvent> presence,
    Serde<DeviceShadow> shadows,
    Serde<ShadowResponse> responses,
    Serde<Command> commands,
    Serde<CommandEvent> commandEvents) {

  public ShadowSerdes {
    Objects.requireNonNull(requests, "requests");
    Objects.requireNonNull(presence, "presence");
    Objects.requireNonNull(shadows, "shadows");
    Objects.requireNonNull(responses, "responses");
    Objects.requireNonNull(commands, "commands");
    Objects.requireNonNull(commandEvents, "commandEvents");
  }

  /** The production serdes: Avro in the Confluent frame against the registry. */
  public static ShadowSerdes registry(RegistryConfig registry) {
    return new ShadowSerdes(
        RegistrySerdes.valueSerde(Topics.SHADOW_REQUESTS, registry),
        RegistrySerdes.valueSerde(Topics.DEVICE_PRESENCE, registry),
        RegistrySerdes.valueSerde(Topics.SHADOW_STATE, registry),
        RegistrySerdes.valueSerde(Topics.SHADOW_RESPONSES, registry),
        RegistrySerdes.valueSerde(Topics.COMMANDS, registry),
        RegistrySerdes.valueSerde(Topics.COMMAND_EVENTS, registry));
  }
}
