package org.iotbackbone.ingestbridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.iotbackbone.ingestbridge.BridgeConfig;
import org.iotbackbone.ingestbridge.IngestBridge;
import org.iotbackbone.schemas.Command;
import org.iotbackbone.schemas.CommandEvent;
import org.iotbackbone.schemas.CommandStatus;
import org.iotbackbone.schemas.topics.Topics;
import org.iotbackbone.servers.KafkaBroker;
import org.iotbackbone.servers.MqttBroker;
import org.iotbackbone.servers.MqttBrokerKind;
import org.iotbackbone.servers.MqttBrokerOptions;
import org.iotbackbone.servers.SchemaRegistry;
import org.iotbackbone.servers.junit.MqttBrokers;
import org.iotbackbone.servers.junit.SharedServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The downlink survives a stall longer than {@code max.poll.interval.ms} (issue 16, hole 2): the
 * edge broker is frozen (SIGSTOP) while commands wait to be published, for three times the poll
 * interval; afterwards every command, those of the stall and those after it, reaches the device in
 * order, without restarting the bridge. And a loop whose consumer fails for good restarts itself.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class DownlinkStallIT {

  private static final int MAX_POLL_INTERVAL_MS = 6_000;

  @Test
  void commandsFlowAfterAStallLongerThanMaxPollIntervalNoneLostNoRestart() throws Exception {
    MqttBrokers.assumeAvailable(MqttBrokerKind.MOSQUITTO);
    KafkaBroker kafka = SharedServers.kafka();
    SchemaRegistry registry = SharedServers.schemaRegistry();
    TestBed.createTopics(kafka.bootstrapServers());
    // A broker of its own: this test freezes it.
    try (MqttBroker mqtt =
        SecureEdge.create(MqttBrokerKind.MOSQUITTO, MqttBrokerOptions.builder())) {
      mqtt.start();
      Map<String, String> settings =
          TestBed.settings(
              kafka.bootstrapServers(),
              registry.apicurioApiUrl(),
              List.of(TestBed.endpoint("frozen", mqtt)));
      settings.put("kafka.max.poll.interval.ms", Integer.toString(MAX_POLL_INTERVAL_MS));
      String id = TestBed.unique("stall");
      Mqtt5AsyncClient device = TestBed.device(mqtt, id);
      List<Mqtt5Publish> received = TestBed.subscribe(device, "devices/" + id + "/commands");
      List<Command> sent = new ArrayList<>();
      try (IngestBridge bridge = TestBed.startBridge(settings);
          var events =
              new TopicReader<>(
                  kafka.bootstrapServers(),
                  registry.apicurioApiUrl(),
                  Topics.COMMAND_EVENTS,
                  e -> e.getDeviceId().equals(id))) {
        send(kafka, registry, id, sent);
        await().atMost(Duration.ofMinutes(1)).until(() -> received.size() == 1);

        mqtt.pause();
        try {
          for (int i = 0; i < 3; i++) {
            send(kafka, registry, id, sent);
          }
          // The publishes wait for a PUBACK that does not come, far past max.poll.interval.ms.
          Thread.sleep(3L * MAX_POLL_INTERVAL_MS);
        } finally {
          mqtt.resume();
        }
        for (int i = 0; i < 3; i++) {
          send(kafka, registry, id, sent);
        }

        List<String> expected = sent.stream().map(Command::getCommandId).toList();
        await()
            .atMost(Duration.ofMinutes(2))
            .until(() -> TestBed.commandIds(received).size() == expected.size());
        assertThat(TestBed.commandIds(received)).isEqualTo(expected);
        await()
            .atMost(Duration.ofMinutes(1))
            .until(
                () ->
                    events.values().stream()
                            .filter(e -> e.getStatus() == CommandStatus.DELIVERED)
                            .map(CommandEvent::getCommandId)
                            .distinct()
                            .count()
                        == expected.size());
        // The loop itself survived: no restart was needed (and none of the bridge).
        assertThat(bridge.counter("bridge.downlink.restarts", "loop", "downlink")).isZero();
        await().atMost(Duration.ofMinutes(1)).until(bridge::isReady);
      } finally {
        device.disconnect();
      }
    }
  }

  @Test
  void aDownlinkLoopThatFailsRestartsItselfAndCommandsFlowAgain() throws Exception {
    MqttBroker mqtt = SecureEdge.shared(MqttBrokerKind.MOSQUITTO);
    KafkaBroker kafka = SharedServers.kafka();
    SchemaRegistry registry = SharedServers.schemaRegistry();
    TestBed.createTopics(kafka.bootstrapServers());
    Map<String, String> settings =
        TestBed.settings(
            kafka.bootstrapServers(),
            registry.apicurioApiUrl(),
            List.of(TestBed.endpoint("edge", mqtt)));
    // A static member: a second consumer with its instance id fences it, which is fatal for the
    // fenced consumer (FencedInstanceIdException), as a duplicated deployment would make it.
    String instance = TestBed.unique("static");
    settings.put("kafka.group.instance.id", instance);
    String id = TestBed.unique("restart");
    Mqtt5AsyncClient device = TestBed.device(mqtt, id);
    List<Mqtt5Publish> received = TestBed.subscribe(device, "devices/" + id + "/commands");
    List<Command> sent = new ArrayList<>();
    try (IngestBridge bridge = TestBed.startBridge(settings)) {
      send(kafka, registry, id, sent);
      await().atMost(Duration.ofMinutes(1)).until(() -> received.size() == 1);

      Map<String, Object> intruderConfig = new HashMap<>();
      intruderConfig.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
      intruderConfig.put(
          ConsumerConfig.GROUP_ID_CONFIG, settings.get(BridgeConfig.DOWNLINK_GROUP_ID_CONFIG));
      intruderConfig.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instance);
      intruderConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
      try (KafkaConsumer<byte[], byte[]> intruder =
          new KafkaConsumer<>(
              intruderConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
        intruder.subscribe(List.of(Topics.COMMANDS.name()));
        await()
            .atMost(Duration.ofMinutes(2))
            .until(
                () -> {
                  try {
                    intruder.poll(Duration.ofMillis(200));
                  } catch (RuntimeException e) {
                    // fenced in turn by the bridge's new consumer
                  }
                  return bridge.counter("bridge.downlink.restarts", "loop", "downlink") >= 1;
                });
      }

      send(kafka, registry, id, sent);
      await().atMost(Duration.ofMinutes(2)).until(() -> TestBed.commandIds(received).size() == 2);
      assertThat(TestBed.commandIds(received))
          .isEqualTo(sent.stream().map(Command::getCommandId).toList());
      await().atMost(Duration.ofMinutes(1)).until(bridge::isReady);
    } finally {
      device.disconnect();
    }
  }

  private static void send(
      KafkaBroker kafka, SchemaRegistry registry, String id, List<Command> sent) throws Exception {
    Command command = TestBed.command(id, sent.size());
    TestBed.produce(
        kafka.bootstrapServers(), registry.apicurioApiUrl(), Topics.COMMANDS, id, command);
    sent.add(command);
  }
}
