package org.iotbackbone.localstack.internal.fuzz;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.iotbackbone.localstack.internal.DeviceEndpoints;
import org.iotbackbone.schemas.DeviceEvent;
import org.iotbackbone.schemas.serde.RegistryConfig;
import org.iotbackbone.schemas.serde.RegistrySerdes;
import org.iotbackbone.schemas.topics.Topics;

/**
 * After the fuzzing, a well-behaved device: it connects, publishes an event (found in Kafka),
 * updates its shadow (answered on {@code update/accepted}) and receives a command sent through
 * REST. Each step that does not happen within {@link #STEP} is a failure of the platform.
 */
public final class NormalDevice {

  static final Duration STEP = Duration.ofSeconds(90);

  private NormalDevice() {}

  /** The steps that failed, empty when the device got through end to end. */
  static List<String> check(
      DeviceEndpoints devices,
      InetSocketAddress broker,
      Map<String, Object> kafka,
      RegistryConfig registry,
      String restUrl,
      Optional<String> restAuthorization,
      String deviceId) {
    return check(
        devices.client(deviceId, broker).buildAsync(),
        kafka,
        registry,
        restUrl,
        restAuthorization,
        deviceId);
  }

  /**
   * The steps that failed for {@code client} (not connected yet; its client id and, on secure
   * brokers, its certificate are {@code deviceId}'s), empty when it got through end to end.
   */
  public static List<String> check(
      Mqtt5AsyncClient client,
      Map<String, Object> kafka,
      RegistryConfig registry,
      String restUrl,
      Optional<String> restAuthorization,
      String deviceId) {
    List<String> problems = new ArrayList<>();
    CompletableFuture<String> accepted = new CompletableFuture<>();
    CompletableFuture<String> command = new CompletableFuture<>();
    try (KafkaConsumer<byte[], byte[]> events = eventsFromNow(kafka)) {
      client.connectWith().cleanStart(true).send().get(STEP.toSeconds(), TimeUnit.SECONDS);
      client
          .subscribeWith()
          .topicFilter("devices/" + deviceId + "/#")
          .qos(MqttQos.AT_LEAST_ONCE)
          .callback(
              publish -> {
                String topic = publish.getTopic().toString();
                String body = new String(publish.getPayloadAsBytes(), StandardCharsets.UTF_8);
                if (topic.endsWith("/shadow/update/accepted")) {
                  accepted.complete(body);
                } else if (topic.equals("devices/" + deviceId + "/commands")) {
                  command.complete(body);
                }
              })
          .send()
          .get(STEP.toSeconds(), TimeUnit.SECONDS);
      String eventTopic = "devices/" + deviceId + "/events/fuzz-check";
      client
          .publishWith()
          .topic(eventTopic)
          .qos(MqttQos.AT_LEAST_ONCE)
          .payload("{\"ok\":true}".getBytes(StandardCharsets.UTF_8))
          .send()
          .get(STEP.toSeconds(), TimeUnit.SECONDS);
      if (!eventInKafka(events, registry, eventTopic)) {
        problems.add(
            "its event on " + eventTopic + " did not reach " + Topics.DEVICE_EVENTS.name());
      }
      client
          .publishWith()
          .topic("devices/" + deviceId + "/shadow/update")
          .qos(MqttQos.AT_LEAST_ONCE)
          .payload(
              "{\"state\":{\"reported\":{\"fuzzCheck\":1}},\"clientToken\":\"fz\"}"
                  .getBytes(StandardCharsets.UTF_8))
          .send()
          .get(STEP.toSeconds(), TimeUnit.SECONDS);
      try {
        accepted.get(STEP.toSeconds(), TimeUnit.SECONDS);
      } catch (Exception e) {
        problems.add("its shadow update was not accepted within " + STEP.toSeconds() + " s");
      }
      HttpRequest.Builder post =
          HttpRequest.newBuilder(URI.create(restUrl + "/devices/" + deviceId + "/commands"))
              .timeout(STEP)
              .header("Content-Type", "application/json")
              .POST(
                  HttpRequest.BodyPublishers.ofString(
                      "{\"name\":\"fuzz-check\",\"ttlSeconds\":300}"));
      restAuthorization.ifPresent(value -> post.header("Authorization", value));
      HttpResponse<String> sent =
          HttpClient.newHttpClient().send(post.build(), HttpResponse.BodyHandlers.ofString());
      if (sent.statusCode() != 202) {
        problems.add("REST refused its command: " + sent.statusCode() + " " + sent.body());
      } else {
        try {
          command.get(STEP.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
          problems.add(
              "the command sent through REST did not reach it within " + STEP.toSeconds() + " s");
        }
      }
    } catch (Exception e) {
      problems.add("failed: " + e);
    } finally {
      if (client.getState().isConnected()) {
        client.disconnect();
      }
    }
    return problems;
  }

  private static KafkaConsumer<byte[], byte[]> eventsFromNow(Map<String, Object> kafka) {
    Properties config = new Properties();
    config.putAll(kafka);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> partitions = new ArrayList<>();
    for (PartitionInfo info :
        consumer.partitionsFor(Topics.DEVICE_EVENTS.name(), Duration.ofSeconds(30))) {
      partitions.add(new TopicPartition(info.topic(), info.partition()));
    }
    consumer.assign(partitions);
    consumer.endOffsets(partitions).forEach(consumer::seek);
    return consumer;
  }

  private static boolean eventInKafka(
      KafkaConsumer<byte[], byte[]> consumer, RegistryConfig registry, String topic) {
    Deserializer<DeviceEvent> values =
        RegistrySerdes.valueSerde(Topics.DEVICE_EVENTS, registry).deserializer();
    long end = System.nanoTime() + STEP.toNanos();
    while (System.nanoTime() < end) {
      for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
        try {
          if (topic.equals(values.deserialize(record.topic(), record.value()).getMqttTopic())) {
            return true;
          }
        } catch (RuntimeException e) {
          // not ours
        }
      }
    }
    return false;
  }
}
