package org.iotbackbone.ingestbridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.iotbackbone.ingestbridge.BridgeConfig;
import org.iotbackbone.schemas.DeviceEvent;
import org.iotbackbone.schemas.topics.Topics;
import org.iotbackbone.servers.KafkaBroker;
import org.iotbackbone.servers.MqttBroker;
import org.iotbackbone.servers.MqttBrokerKind;
import org.iotbackbone.servers.SchemaRegistry;
import org.iotbackbone.servers.junit.SharedServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At-least-once across a crash: a bridge in a JVM of its own is killed with {@code SIGKILL} while a
 * device publishes, then started again; every message the broker acknowledged to the device is in
 * Kafka.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class BridgeKillIT {

  private static final Logger LOG = LoggerFactory.getLogger(BridgeKillIT.class);
  private static final int MESSAGES = 4000;

  @Test
  void aBridgeKilledMidStreamLosesNothingTheBrokerAcknowledged() throws Exception {
    MqttBroker mqtt = SecureEdge.shared(MqttBrokerKind.MOSQUITTO);
    KafkaBroker kafka = SharedServers.kafka();
    SchemaRegistry registry = SharedServers.schemaRegistry();
    TestBed.createTopics(kafka.bootstrapServers());
    Map<String, String> settings =
        TestBed.settings(
            kafka.bootstrapServers(),
            registry.apicurioApiUrl(),
            List.of(TestBed.endpoint("edge", mqtt)));
    settings.put(BridgeConfig.DOWNLINK_ENABLED_CONFIG, "false");
    settings.put(BridgeConfig.UPLINK_MAX_IN_FLIGHT_CONFIG, "200");
    String id = TestBed.unique("kill");
    Mqtt5AsyncClient device = TestBed.device(mqtt, id);
    ScheduledExecutorService publisher = Executors.newSingleThreadScheduledExecutor();

    try (BridgeProcess bridge = new BridgeProcess(settings, Path.of("target", "server-logs"));
        var events =
            new TopicReader<>(
                kafka.bootstrapServers(),
                registry.apicurioApiUrl(),
                Topics.DEVICE_EVENTS,
                e -> e.getDeviceId().equals(id))) {
      bridge.start();
      await().atMost(Duration.ofMinutes(3)).until(bridge::isReady);

      // Message 0 first, alone: the bridge JVM's first record waits for the schema registration
      // (over 20 s on a loaded 2-core machine), and the kill must land while the device publishes,
      // not after a backlog has already gone through.
      CompletableFuture<Void> allAcknowledged = new CompletableFuture<>();
      AtomicInteger acknowledged = new AtomicInteger();
      Runnable countAck =
          () -> {
            if (acknowledged.incrementAndGet() == MESSAGES) {
              allAcknowledged.complete(null);
            }
          };
      TestBed.publishSeq(device, id, 0).thenRun(countAck);
      await().atMost(Duration.ofMinutes(4)).until(() -> !events.values().isEmpty());

      // Then about 500 messages a second (8 s in all), and the kill after a quarter of them.
      AtomicInteger next = new AtomicInteger(1);
      publisher.scheduleAtFixedRate(
          () -> {
            for (int i = 0; i < 10 && next.get() < MESSAGES; i++) {
              TestBed.publishSeq(device, id, next.getAndIncrement()).thenRun(countAck);
            }
          },
          0,
          20,
          TimeUnit.MILLISECONDS);
      await().atMost(Duration.ofMinutes(1)).until(() -> next.get() >= MESSAGES / 4);
      bridge.kill();
      int beforeRestart = events.values().size();
      LOG.info(
          "killed the bridge after the device published {}; {} of {} messages in Kafka",
          next.get(),
          beforeRestart,
          MESSAGES);
      assertThat(beforeRestart).isLessThan(MESSAGES);

      bridge.start();
      allAcknowledged.get(3, TimeUnit.MINUTES);
      LOG.info("the device's {} messages acknowledged by the broker", MESSAGES);
      await().atMost(Duration.ofMinutes(4)).until(() -> seqs(events.values()).size() == MESSAGES);
      int duplicates = events.values().size() - MESSAGES;
      LOG.info("all {} messages in Kafka after the restart; {} duplicates", MESSAGES, duplicates);
      assertThat(seqs(events.values()))
          .containsExactlyInAnyOrderElementsOf(
              java.util.stream.IntStream.range(0, MESSAGES).boxed().toList());
    } finally {
      publisher.shutdownNow();
      device.disconnect();
    }
  }

  private static Set<Integer> seqs(List<DeviceEvent> events) {
    return events.stream().map(TestBed::seq).collect(Collectors.toSet());
  }
}
