package org.iotbackbone.ingestbridge.internal.uplink;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.iotbackbone.schemas.DeadLetterReason;
import org.iotbackbone.schemas.JobExecutionOperation;
import org.iotbackbone.schemas.JobExecutionRequest;
import org.iotbackbone.schemas.RequestSource;
import org.iotbackbone.schemas.topics.Topics;
import org.junit.jupiter.api.Test;

/** Devices' jobs requests: their records, and what is refused with an answer or without. */
class UplinkMapperJobsTest {

  private final UplinkMapper mapper = new UplinkMapper(64);

  private static InboundMessage message(String topic, byte[] payload) {
    return new InboundMessage(topic, payload, 1, null, Map.of(), "edge-1", 1234);
  }

  private static InboundMessage message(String topic, String payload) {
    return message(topic, payload.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void anUpdateBecomesAJobExecutionRequestKeyedByTheDeviceWithItsDocumentAsSent() {
    String document = "{\"status\":\"IN_PROGRESS\", \"clientToken\":\"t\"}";

    var produce =
        (UplinkDecision.Produce) mapper.map(message("devices/d-1/jobs/fw-1/update", document));

    assertThat(produce.topic()).isEqualTo(Topics.JOB_EXECUTION_REQUESTS);
    assertThat(produce.key()).isEqualTo("d-1");
    JobExecutionRequest request = (JobExecutionRequest) produce.value();
    assertThat(request.getRequestId()).isNotBlank();
    assertThat(request.getDeviceId()).isEqualTo("d-1");
    assertThat(request.getOperation()).isEqualTo(JobExecutionOperation.UPDATE);
    assertThat(request.getJobId()).isEqualTo("fw-1");
    assertThat(request.getDocument()).isEqualTo(document);
    assertThat(request.getSource()).isEqualTo(RequestSource.DEVICE);
    assertThat(request.getMqttTopic()).isEqualTo("devices/d-1/jobs/fw-1/update");
    assertThat(request.getBroker()).isEqualTo("edge-1");
    assertThat(request.getRequestedAt().toEpochMilli()).isEqualTo(1234);
  }

  @Test
  void aStartNextHasNoJobAndAnEmptyGetNoDocument() {
    var startNext =
        (JobExecutionRequest)
            ((UplinkDecision.Produce) mapper.map(message("devices/d/jobs/start-next", "{}")))
                .value();
    var get =
        (JobExecutionRequest)
            ((UplinkDecision.Produce) mapper.map(message("devices/d/jobs/j/get", ""))).value();

    assertThat(startNext.getOperation()).isEqualTo(JobExecutionOperation.START_NEXT);
    assertThat(startNext.getJobId()).isNull();
    assertThat(startNext.getDocument()).isEqualTo("{}");
    assertThat(get.getOperation()).isEqualTo(JobExecutionOperation.GET);
    assertThat(get.getDocument()).isNull();
  }

  @Test
  void aDocumentThatIsNotJsonIsLeftToTheStreamsAppToAnswer() {
    var produce =
        (UplinkDecision.Produce) mapper.map(message("devices/d/jobs/j/update", "not json"));

    assertThat(((JobExecutionRequest) produce.value()).getDocument()).isEqualTo("not json");
  }

  @Test
  void invalidUtf8IsDeadLetteredAndAnswered415OnTheRejectedTopic() {
    var reject =
        (UplinkDecision.Reject)
            mapper.map(message("devices/d/jobs/j/update", new byte[] {'{', (byte) 0xC3, '}'}));

    assertThat(reject.deadLetter().getReasonCode()).isEqualTo(DeadLetterReason.INVALID_UTF8);
    assertThat(reject.deadLetter().getDeviceId()).isEqualTo("d");
    assertThat(reject.responseTopic()).isEqualTo("devices/d/jobs/j/update/rejected");
    assertThat(new String(reject.responsePayload(), StandardCharsets.UTF_8))
        .isEqualTo("{\"code\":415,\"message\":\"payload is not UTF-8\",\"timestamp\":1234}");
  }

  @Test
  void aPayloadOverTheLimitIsAnswered413WithoutReadingIt() {
    String big = "{\"clientToken\":\"t\",\"statusDetails\":{\"x\":\"" + "y".repeat(64) + "\"}}";

    var reject = (UplinkDecision.Reject) mapper.map(message("devices/d/jobs/start-next", big));

    assertThat(reject.deadLetter().getReasonCode()).isEqualTo(DeadLetterReason.PAYLOAD_TOO_LARGE);
    assertThat(reject.responseTopic()).isEqualTo("devices/d/jobs/start-next/rejected");
    assertThat(new String(reject.responsePayload(), StandardCharsets.UTF_8))
        .startsWith("{\"code\":413,")
        .contains("\"timestamp\":1234")
        .doesNotContain("clientToken");
  }

  @Test
  void aKafkaFailureIsAnswered500WithTheClientToken() {
    var reject =
        mapper.failed(
            message("devices/d/jobs/j/get", "{\"clientToken\":\"abc\"}"),
            DeadLetterReason.WRITE_FAILED,
            "Kafka refused the record for good",
            false);

    assertThat(reject.responseTopic()).isEqualTo("devices/d/jobs/j/get/rejected");
    assertThat(new String(reject.responsePayload(), StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"code\":500,\"message\":\"Kafka refused the record for good\",\"timestamp\":1234,"
                + "\"clientToken\":\"abc\"}");
  }

  @Test
  void aBadJobIdIsAnInvalidTopicWithNoAnswer() {
    var reject = (UplinkDecision.Reject) mapper.map(message("devices/d/jobs/j.1/update", "{}"));

    assertThat(reject.deadLetter().getReasonCode()).isEqualTo(DeadLetterReason.INVALID_TOPIC);
    assertThat(reject.deadLetter().getDeviceId()).isEqualTo("d");
    assertThat(reject.deadLetter().getMessage()).contains("job id");
    // Not a topic of the design: there is no .../rejected to answer on.
    assertThat(reject.responseTopic()).isNull();
  }

  @Test
  void aDevicePublishingOnItsNotifyNextTopicIsAnInvalidTopic() {
    var reject = (UplinkDecision.Reject) mapper.map(message("devices/d/jobs/notify-next", "{}"));

    assertThat(reject.deadLetter().getReasonCode()).isEqualTo(DeadLetterReason.INVALID_TOPIC);
    assertThat(reject.responseTopic()).isNull();
  }
}
