package org.iotbackbone.ingestbridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.iotbackbone.ingestbridge.BridgeConfig;
import org.iotbackbone.ingestbridge.IngestBridge;
import org.iotbackbone.schemas.topics.Topics;
import org.iotbackbone.servers.KafkaBroker;
import org.iotbackbone.servers.MqttBroker;
import org.iotbackbone.servers.MqttBrokerKind;
import org.iotbackbone.servers.SchemaRegistry;
import org.iotbackbone.servers.junit.SharedServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Back-pressure, not loss: Kafka is stopped while devices publish; the bridge holds no more than
 * its window, reports not ready, and when Kafka comes back every message arrives.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class KafkaOutageIT {

  private static final int WINDOW = 50;
  private static final int BEFORE = 500;
  private static final int DURING = 1500;

  @Test
  void whenKafkaStopsTheBridgeStopsTakingMessagesAndResumesWithoutLoss() throws Exception {
    MqttBroker mqtt = SecureEdge.shared(MqttBrokerKind.MOSQUITTO);
    SchemaRegistry registry = SharedServers.schemaRegistry();
    // A broker of its own: this test stops it, and other tests share the shared one.
    try (KafkaBroker kafka = new KafkaBroker()) {
      kafka.start();
      TestBed.createTopics(kafka.bootstrapServers());
      Map<String, String> settings =
          TestBed.settings(
              kafka.bootstrapServers(),
              registry.apicurioApiUrl(),
              List.of(TestBed.endpoint("edge", mqtt)));
      settings.put(BridgeConfig.DOWNLINK_ENABLED_CONFIG, "false");
      settings.put(BridgeConfig.UPLINK_MAX_IN_FLIGHT_CONFIG, Integer.toString(WINDOW));
      String id = TestBed.unique("outage");
      Mqtt5AsyncClient device = TestBed.device(mqtt, id);

      try (IngestBridge bridge = new IngestBridge(BridgeConfig.of(settings));
          var events =
              new TopicReader<>(
                  kafka.bootstrapServers(),
                  registry.apicurioApiUrl(),
                  Topics.DEVICE_EVENTS,
                  e -> e.getDeviceId().equals(id))) {
        bridge.start();
        await().atMost(Duration.ofMinutes(3)).until(bridge::isReady);

        publish(device, id, 0, BEFORE).get(1, TimeUnit.MINUTES);
        await().atMost(Duration.ofMinutes(3)).until(() -> events.values().size() >= BEFORE);

        kafka.stop();
        // Devices go on publishing; the broker acknowledges them and queues them for the bridge.
        AtomicInteger maxInFlight = new AtomicInteger();
        CompletableFuture<Void> during = publish(device, id, BEFORE, DURING);
        during.get(1, TimeUnit.MINUTES);
        // The bridge holds at most its window: what it cannot hand to Kafka blocks the
        // connection's thread (the producer has no metadata while the broker is away) or waits in
        // the producer (it has), and the broker queues the rest.
        await().atMost(Duration.ofMinutes(2)).until(() -> !bridge.isReady());
        await()
            .during(Duration.ofSeconds(10))
            .atMost(Duration.ofSeconds(15))
            .until(
                () -> {
                  maxInFlight.accumulateAndGet(bridge.inFlight(), Math::max);
                  return !bridge.isReady() && bridge.inFlight() <= WINDOW;
                });
        assertThat(seqs(events)).hasSizeLessThan(BEFORE + DURING);

        kafka.start();
        await()
            .atMost(Duration.ofMinutes(3))
            .until(
                () -> {
                  maxInFlight.accumulateAndGet(bridge.inFlight(), Math::max);
                  return seqs(events).size() == BEFORE + DURING;
                });
        assertThat(seqs(events))
            .isEqualTo(IntStream.range(0, BEFORE + DURING).boxed().collect(Collectors.toSet()));
        // One device, one bridge connection: the outage does not reorder it (a redelivered
        // message may repeat, so the order is that of first appearances).
        assertThat(firstAppearances(events)).isSorted();
        assertThat(maxInFlight.get()).isLessThanOrEqualTo(WINDOW);
        await().atMost(Duration.ofMinutes(1)).until(bridge::isReady);
      } finally {
        device.disconnect();
      }
    }
  }

  private static Set<Integer> seqs(TopicReader<org.iotbackbone.schemas.DeviceEvent> events) {
    return Set.copyOf(seqList(events));
  }

  private static List<Integer> firstAppearances(
      TopicReader<org.iotbackbone.schemas.DeviceEvent> events) {
    return new ArrayList<>(new LinkedHashSet<>(seqList(events)));
  }

  private static List<Integer> seqList(TopicReader<org.iotbackbone.schemas.DeviceEvent> events) {
    return events.values().stream().map(TestBed::seq).toList();
  }

  private static CompletableFuture<Void> publish(
      Mqtt5AsyncClient device, String id, int from, int count) {
    List<CompletableFuture<?>> sent = new ArrayList<>();
    for (int seq = from; seq < from + count; seq++) {
      sent.add(TestBed.publishSeq(device, id, seq));
    }
    return CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new));
  }
}
