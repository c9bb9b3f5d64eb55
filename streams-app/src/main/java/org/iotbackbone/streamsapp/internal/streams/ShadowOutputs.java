package org.iotbackbone.streamsapp.internal.streams;

import java.util.Objects;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.RecordContext;
import org.apache.kafka.streams.processor.TopicNameExtractor;
import org.iotbackbone.schemas.DeviceShadow;
import org.iotbackbone.schemas.ShadowResponse;
import org.iotbackbone.schemas.topics.Topics;

/**
 * One sink for what the shadow processors emit: a new state goes to {@code iot.shadow.state}, a
 * message for the device to {@code iot.shadow.responses}, each encoded by its topic's serde.
 *
 * <p>Why one sink and not a filter and a mapping per topic: every output record passed through both
 * branches (four nodes of Kafka Streams' forwarding, with their sensors, for each of the three to
 * four records an update writes), for nothing but choosing a topic (issue 22, the shadow topology's
 * per-update cost).
 */
public final class ShadowOutputs
    implements TopicNameExtractor<String, ShadowOutput>, Serde<ShadowOutput> {

  private final Serializer<DeviceShadow> states;
  private final Serializer<ShadowResponse> responses;

  /**
   * @param states the serde of {@code iot.shadow.state} (and of the store)
   * @param responses the serde of {@code iot.shadow.responses}
   */
  public ShadowOutputs(Serde<DeviceShadow> states, Serde<ShadowResponse> responses) {
    this.states = Objects.requireNonNull(states, "states").serializer();
    this.responses = Objects.requireNonNull(responses, "responses").serializer();
  }

  @Override
  public String extract(String device, ShadowOutput output, RecordContext context) {
    return output.isState() ? Topics.SHADOW_STATE.name() : Topics.SHADOW_RESPONSES.name();
  }

  @Override
  public Serializer<ShadowOutput> serializer() {
    return (topic, output) ->
        output.isState()
            ? states.serialize(topic, output.state())
            : responses.serialize(topic, output.response());
  }

  /** Never called: the outputs are only written, each topic is read with its own serde. */
  @Override
  public Deserializer<ShadowOutput> deserializer() {
    return (topic, bytes) -> {
      throw new UnsupportedOperationException(
          "shadow outputs are read from " + topic + " with that topic's serde");
    };
  }
}
