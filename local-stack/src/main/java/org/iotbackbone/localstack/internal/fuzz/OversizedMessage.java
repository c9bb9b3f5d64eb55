package org.iotbackbone.localstack.internal.fuzz;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserProperties;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserPropertiesBuilder;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.iotbackbone.localstack.internal.DeviceEndpoints;
import org.iotbackbone.simulator.Endpoints;

/**
 * The input that {@code ./iot fuzz --seed 4242 --count 100000} found stalling the uplink: one QoS 1
 * event whose MQTT 5 user properties make its {@code DeviceEvent} larger than a Kafka record (20
 * properties of 60 KB: 1.2 MB, over the producer's 1 MiB {@code max.request.size}), then an
 * ordinary QoS 1 event from another device. The contract wants a dead letter for the first and the
 * second in {@code iot.device.events}.
 */
public final class OversizedMessage {

  /**
   * What became of the two publishes.
   *
   * @param oversized what was found in Kafka for the oversized event (a dead letter, a record)
   * @param after what was found for the {@link #AFTER} ordinary events sent after it
   */
  public record Result(List<String> oversized, List<String> after) {}

  /** The ordinary events sent after the oversized one. */
  public static final int AFTER = 300;

  private OversizedMessage() {}

  public static Result send(
      Endpoints endpoints, DeviceEndpoints devices, String runId, Consumer<String> progress)
      throws Exception {
    InetSocketAddress broker = devices.brokers().get(0);
    String big = runId + "-big";
    String small = runId + "-after-big";
    String bigTopic = "devices/" + big + "/events/oversized";
    String smallTopic = "devices/" + small + "/events/after";
    Ledger ledger = new Ledger();
    ledger.expectMqtt(bigTopic, new Ledger.Sent("mqtt", 0, 1, "oversized"));
    for (int i = 0; i < AFTER; i++) {
      ledger.expectMqtt(smallTopic, new Ledger.Sent("mqtt", 1 + i, 1, "after"));
    }
    try (KafkaWatch watch =
        new KafkaWatch(endpoints.kafkaClientConfig(), endpoints.registry(), runId)) {
      Mqtt5UserPropertiesBuilder properties = Mqtt5UserProperties.builder();
      for (int i = 0; i < 20; i++) {
        properties.add("p" + i, "v".repeat(60_000));
      }
      publish(devices, broker, big, bigTopic, properties.build(), 1);
      publish(devices, broker, small, smallTopic, Mqtt5UserProperties.of(), AFTER);
      watch.drain(ledger, Duration.ofSeconds(30), Duration.ofSeconds(60), progress);
    }
    return new Result(ledger.foundFor(bigTopic), ledger.foundFor(smallTopic));
  }

  private static void publish(
      DeviceEndpoints devices,
      InetSocketAddress broker,
      String device,
      String topic,
      Mqtt5UserProperties properties,
      int count)
      throws Exception {
    Mqtt5AsyncClient client = devices.client(device, broker).buildAsync();
    client.connectWith().cleanStart(true).send().get(30, TimeUnit.SECONDS);
    try {
      for (int i = 0; i < count; i++) {
        client
            .publishWith()
            .topic(topic)
            .qos(MqttQos.AT_LEAST_ONCE)
            .payload("{}".getBytes(StandardCharsets.UTF_8))
            .userProperties(properties)
            .send()
            .get(30, TimeUnit.SECONDS);
      }
    } finally {
      client.disconnect().get(30, TimeUnit.SECONDS);
    }
  }
}
