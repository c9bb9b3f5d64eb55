package org.iotbackbone.ingestbridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.iotbackbone.ingestbridge.BridgeConfig;
import org.iotbackbone.ingestbridge.IngestBridge;
import org.iotbackbone.schemas.DeadLetter;
import org.iotbackbone.schemas.DeadLetterReason;
import org.iotbackbone.schemas.JobExecutionOperation;
import org.iotbackbone.schemas.JobExecutionRequest;
import org.iotbackbone.schemas.JobResponse;
import org.iotbackbone.schemas.JobResponseType;
import org.iotbackbone.schemas.RequestSource;
import org.iotbackbone.schemas.topics.Topics;
import org.iotbackbone.servers.KafkaBroker;
import org.iotbackbone.servers.MqttBroker;
import org.iotbackbone.servers.MqttBrokerKind;
import org.iotbackbone.servers.SchemaRegistry;
import org.iotbackbone.servers.junit.SharedServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The devices' jobs protocol through a real Mosquitto (TLS, the devices' and the back end's ACLs)
 * and one bridge, to and from a real Kafka: requests in, answers and notify-next out, bad job ids
 * dead-lettered, one device's flood throttled without touching another device.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class JobsIT {

  private static final String BROKER_ID = "edge-1";
  private static final int BURST = 3;

  private static KafkaBroker kafka;
  private static SchemaRegistry registry;
  private static MqttBroker mqtt;
  private static IngestBridge bridge;

  @BeforeAll
  static void startBridge() throws Exception {
    mqtt = SecureEdge.shared(MqttBrokerKind.MOSQUITTO);
    kafka = SharedServers.kafka();
    registry = SharedServers.schemaRegistry();
    TestBed.createTopics(kafka.bootstrapServers());
    Map<String, String> settings =
        TestBed.settings(
            kafka.bootstrapServers(),
            registry.apicurioApiUrl(),
            List.of(TestBed.endpoint(BROKER_ID, mqtt)));
    settings.put(BridgeConfig.UPLINK_JOBS_REQUESTS_PER_SECOND_CONFIG, "0.5");
    settings.put(BridgeConfig.UPLINK_JOBS_REQUESTS_BURST_CONFIG, Integer.toString(BURST));
    bridge = TestBed.startBridge(settings);
  }

  @AfterAll
  static void stopBridge() {
    if (bridge != null) {
      bridge.close();
    }
  }

  private static TopicReader<JobExecutionRequest> requestsOf(List<String> deviceIds) {
    return new TopicReader<>(
        kafka.bootstrapServers(),
        registry.apicurioApiUrl(),
        Topics.JOB_EXECUTION_REQUESTS,
        request -> deviceIds.contains(request.getDeviceId()));
  }

  @Test
  void startNextGetAndUpdateReachKafkaKeyedByTheDeviceAndABadJobIdIsDeadLettered()
      throws Exception {
    String id = TestBed.unique("job");
    Mqtt5AsyncClient device = TestBed.device(mqtt, id);
    TestBed.publish(device, "devices/" + id + "/jobs/start-next", "{\"clientToken\":\"c1\"}");
    TestBed.publish(device, "devices/" + id + "/jobs/fw-1/get", "");
    TestBed.publish(device, "devices/" + id + "/jobs/fw-1/update", "{\"status\":\"IN_PROGRESS\"}");
    TestBed.publish(device, "devices/" + id + "/jobs/fw.1/update", "{\"status\":\"FAILED\"}");
    device.disconnect().get(10, TimeUnit.SECONDS);

    try (var requests = requestsOf(List.of(id));
        var deadLetters =
            new TopicReader<>(
                kafka.bootstrapServers(),
                registry.apicurioApiUrl(),
                Topics.DEAD_LETTER,
                d -> id.equals(d.getDeviceId()))) {
      await().atMost(Duration.ofSeconds(30)).until(() -> requests.values().size() == 3);
      assertThat(requests.keys()).containsOnly(id);
      List<JobExecutionRequest> values = requests.values();
      assertThat(values)
          .extracting(JobExecutionRequest::getOperation)
          .containsExactly(
              JobExecutionOperation.START_NEXT,
              JobExecutionOperation.GET,
              JobExecutionOperation.UPDATE);
      assertThat(values)
          .extracting(JobExecutionRequest::getJobId)
          .containsExactly(null, "fw-1", "fw-1");
      assertThat(values)
          .extracting(JobExecutionRequest::getDocument)
          .containsExactly("{\"clientToken\":\"c1\"}", null, "{\"status\":\"IN_PROGRESS\"}");
      assertThat(values.get(2).getMqttTopic()).isEqualTo("devices/" + id + "/jobs/fw-1/update");
      assertThat(values).allMatch(r -> r.getSource() == RequestSource.DEVICE);
      assertThat(values).allMatch(r -> BROKER_ID.equals(r.getBroker()));
      assertThat(values).extracting(JobExecutionRequest::getRequestId).doesNotHaveDuplicates();

      await().atMost(Duration.ofSeconds(30)).until(() -> deadLetters.values().size() == 1);
      DeadLetter deadLetter = deadLetters.values().get(0);
      assertThat(deadLetter.getReasonCode()).isEqualTo(DeadLetterReason.INVALID_TOPIC);
      assertThat(deadLetter.getSourceTopic()).isEqualTo("devices/" + id + "/jobs/fw.1/update");
    }
  }

  @Test
  void jobResponsesInKafkaReachTheDeviceOnNotifyNextAndTheAnswerTopics() throws Exception {
    String id = TestBed.unique("jrs");
    Mqtt5AsyncClient device = TestBed.device(mqtt, id);
    List<Mqtt5Publish> received = TestBed.subscribe(device, "devices/" + id + "/jobs/#");
    List<JobResponse> responses =
        List.of(
            response(id, JobResponseType.NOTIFY_NEXT, null, null, "{\"execution\":{}}"),
            response(
                id,
                JobResponseType.ACCEPTED,
                JobExecutionOperation.START_NEXT,
                "fw-1",
                "{\"a\":1}"),
            response(
                id, JobResponseType.REJECTED, JobExecutionOperation.GET, "fw-1", "{\"code\":404}"),
            response(
                id, JobResponseType.ACCEPTED, JobExecutionOperation.UPDATE, "fw-1", "{\"u\":2}"));

    for (JobResponse response : responses) {
      TestBed.produce(
          kafka.bootstrapServers(), registry.apicurioApiUrl(), Topics.JOB_RESPONSES, id, response);
    }

    await().atMost(Duration.ofSeconds(30)).until(() -> received.size() >= 4);
    String prefix = "devices/" + id + "/jobs/";
    // One device's records in the order Kafka has them (one partition), published in that order.
    assertThat(received)
        .extracting(publish -> publish.getTopic().toString())
        .containsExactly(
            prefix + "notify-next",
            prefix + "start-next/accepted",
            prefix + "fw-1/get/rejected",
            prefix + "fw-1/update/accepted");
    assertThat(received)
        .extracting(publish -> new String(publish.getPayloadAsBytes(), StandardCharsets.UTF_8))
        .containsExactly("{\"execution\":{}}", "{\"a\":1}", "{\"code\":404}", "{\"u\":2}");
    assertThat(received).allMatch(publish -> publish.getQos() == MqttQos.AT_LEAST_ONCE);
    device.disconnect().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aFloodOfStartNextFromOneDeviceIsAnswered429AndAnotherDeviceIsNotHeldBack() throws Exception {
    String flooder = TestBed.unique("fld");
    String calm = TestBed.unique("clm");
    Mqtt5AsyncClient flooding = TestBed.device(mqtt, flooder);
    Mqtt5AsyncClient calmDevice = TestBed.device(mqtt, calm);
    List<Mqtt5Publish> floodAnswers =
        TestBed.subscribe(flooding, "devices/" + flooder + "/jobs/start-next/rejected");
    List<Mqtt5Publish> calmAnswers =
        TestBed.subscribe(calmDevice, "devices/" + calm + "/jobs/+/rejected");
    double throttledBefore = bridge.counter("bridge.jobs.throttled", "operation", "START_NEXT");
    int flood = 20;

    List<CompletableFuture<?>> sent = new ArrayList<>();
    for (int i = 0; i < flood; i++) {
      sent.add(
          flooding
              .publishWith()
              .topic("devices/" + flooder + "/jobs/start-next")
              .qos(MqttQos.AT_LEAST_ONCE)
              .payload(("{\"clientToken\":\"t" + i + "\"}").getBytes(StandardCharsets.UTF_8))
              .send());
    }
    CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    TestBed.publish(calmDevice, "devices/" + calm + "/jobs/start-next", "{}");
    TestBed.publish(calmDevice, "devices/" + calm + "/jobs/start-next", "{}");

    try (var requests = requestsOf(List.of(flooder, calm))) {
      // Every request of the flood is either in Kafka or answered 429, never both, and stays so.
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  count(requests.values(), flooder) + floodAnswers.size() == flood
                      && count(requests.values(), calm) == 2);
      await()
          .during(Duration.ofSeconds(2))
          .atMost(Duration.ofSeconds(10))
          .until(() -> count(requests.values(), flooder) + floodAnswers.size() == flood);
      // The burst, and at most a token or two more for the time the flood took at 0.5 a second.
      assertThat(count(requests.values(), flooder)).isBetween(BURST, BURST + 2);
    }
    assertThat(floodAnswers)
        .allSatisfy(
            answer ->
                assertThat(new String(answer.getPayloadAsBytes(), StandardCharsets.UTF_8))
                    .startsWith("{\"code\":429,\"message\":\"Throttled: ")
                    .contains("\"timestamp\":")
                    .containsPattern("\"clientToken\":\"t\\d+\""));
    assertThat(calmAnswers).isEmpty();
    assertThat(bridge.counter("bridge.jobs.throttled", "operation", "START_NEXT"))
        .isEqualTo(throttledBefore + floodAnswers.size());
    // Throttled requests were acknowledged to the broker like the rest: nothing left waiting.
    await().atMost(Duration.ofSeconds(10)).until(() -> bridge.inFlight() == 0);
    assertThat(TestBed.get(bridge, "/metrics").body())
        .contains("bridge_jobs_throttled_total{operation=\"START_NEXT\"}");
    flooding.disconnect().get(10, TimeUnit.SECONDS);
    calmDevice.disconnect().get(10, TimeUnit.SECONDS);
  }

  private static int count(List<JobExecutionRequest> requests, String deviceId) {
    return (int) requests.stream().filter(r -> r.getDeviceId().equals(deviceId)).count();
  }

  private static JobResponse response(
      String deviceId,
      JobResponseType type,
      JobExecutionOperation operation,
      String jobId,
      String payload) {
    return JobResponse.newBuilder()
        .setDeviceId(deviceId)
        .setType(type)
        .setOperation(operation)
        .setJobId(jobId)
        .setPayload(payload)
        .setCreatedAt(Instant.now())
        .build();
  }
}
