package org.iotbackbone.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.iotbackbone.schemas.topics.TopicDefinition;
import org.iotbackbone.schemas.topics.Topics;

/** One realistic value for every topic, with every optional field set. */
final class SampleRecords {

  /**
   * Asserts that {@code received} (read back through a serde) equals {@code sent}, asking {@code
   * sent}: Avro's generated equals compares a list field with the list's own equals, and the {@code
   * GenericData.Array} a reader makes compares its elements with {@code GenericData}, which has no
   * logical-type conversions and throws on a union holding an {@code Instant} (AvroRuntimeException
   * "Unknown datum type java.time.Instant": {@code DeviceJobExecutions.executions[].startedAt}).
   * {@code sent}'s plain list compares its elements with their generated equals.
   */
  static void assertReadBack(Object received, Object sent) {
    assertThat(sent).isEqualTo(received);
  }

  private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);

  private SampleRecords() {}

  static SpecificRecord of(TopicDefinition<?> topic) {
    return switch (topic.name()) {
      case "iot.device.events" -> deviceEvent();
      case "iot.shadow.requests" -> shadowRequest();
      case "iot.shadow.state" -> deviceShadow();
      case "iot.shadow.responses" -> shadowResponse();
      case "iot.commands" -> command();
      case "iot.command.events" -> commandEvent();
      case "iot.device.presence" -> presenceEvent();
      case "iot.deadletter" -> deadLetter();
      case "iot.job.requests" -> jobRequest();
      case "iot.jobs" -> job();
      case "iot.job.status" -> jobStatusChange();
      case "iot.job.events" -> jobEvent();
      case "iot.job.execution.requests" -> jobExecutionRequest();
      case "iot.job.executions" -> deviceJobExecutions();
      case "iot.job.responses" -> jobResponse();
      default -> throw new IllegalArgumentException("no sample for " + topic.name());
    };
  }

  static DeviceEvent deviceEvent() {
    return DeviceEvent.newBuilder()
        .setEventId("6f1c2d3e-0000-4000-8000-000000000001")
        .setDeviceId("speaker-0001")
        .setEventType("telemetry")
        .setPayload(ByteBuffer.wrap("{\"volume\":42}".getBytes(StandardCharsets.UTF_8)))
        .setContentType("application/json")
        .setUserProperties(Map.of("fw", "1.4.2"))
        .setMqttTopic("devices/speaker-0001/events/telemetry")
        .setQos(1)
        .setBroker("mosquitto-0")
        .setReceivedAt(NOW)
        .build();
  }

  static ShadowRequest shadowRequest() {
    return ShadowRequest.newBuilder()
        .setRequestId("6f1c2d3e-0000-4000-8000-000000000002")
        .setDeviceId("robot-7")
        .setShadowName("firmware")
        .setOperation(ShadowOperation.UPDATE)
        .setSource(RequestSource.DEVICE)
        .setDocument("{\"state\":{\"reported\":{\"version\":\"2.1.0\"}},\"clientToken\":\"t-1\"}")
        .setMqttTopic("devices/robot-7/shadow/name/firmware/update")
        .setBroker("mosquitto-0")
        .setRequestedAt(NOW)
        .build();
  }

  static DeviceShadow deviceShadow() {
    ShadowDocument classic =
        ShadowDocument.newBuilder()
            .setDesired("{\"color\":\"red\"}")
            .setReported("{\"color\":\"blue\"}")
            .setDelta("{\"color\":\"red\"}")
            .setMetadata(
                "{\"desired\":{\"color\":{\"timestamp\":1}},\"reported\":{\"color\":{\"timestamp\":1}}}")
            .setVersion(3)
            .setUpdatedAt(NOW)
            .build();
    return DeviceShadow.newBuilder()
        .setDeviceId("lamp-12")
        .setClassic(classic)
        .setNamed(Map.of("schedule", ShadowDocument.newBuilder(classic).setVersion(1).build()))
        .setPresence(
            Presence.newBuilder()
                .setConnected(true)
                .setConnectedAt(NOW)
                .setDisconnectedAt(NOW.minusSeconds(60))
                .setBroker("mosquitto-1")
                .build())
        .setRevision(5)
        .setUpdatedAt(NOW)
        .build();
  }

  static ShadowResponse shadowResponse() {
    return ShadowResponse.newBuilder()
        .setDeviceId("lamp-12")
        .setShadowName(null)
        .setOperation(ShadowOperation.UPDATE)
        .setType(ShadowResponseType.REJECTED)
        .setRequestId("6f1c2d3e-0000-4000-8000-000000000003")
        .setSource(RequestSource.CLOUD)
        .setCode(409)
        .setPayload("{\"code\":409,\"message\":\"Version conflict\",\"clientToken\":\"t-2\"}")
        .setVersion(3L)
        .setCreatedAt(NOW)
        .build();
  }

  static Command command() {
    return Command.newBuilder()
        .setCommandId("6f1c2d3e-0000-4000-8000-000000000004")
        .setDeviceId("speaker-0001")
        .setName("play")
        .setPayload("{\"track\":\"news\"}")
        .setCreatedAt(NOW)
        .setExpiresAt(NOW.plusSeconds(30))
        .setIssuedBy("voice-assistant")
        .build();
  }

  static CommandEvent commandEvent() {
    return CommandEvent.newBuilder()
        .setCommandId("6f1c2d3e-0000-4000-8000-000000000004")
        .setDeviceId("speaker-0001")
        .setStatus(CommandStatus.SUCCEEDED)
        .setDeviceResult("{\"playing\":true}")
        .setMessage(null)
        .setBroker("mosquitto-0")
        .setOccurredAt(NOW)
        .build();
  }

  static PresenceEvent presenceEvent() {
    return PresenceEvent.newBuilder()
        .setDeviceId("robot-7")
        .setStatus(PresenceStatus.DISCONNECTED)
        .setBroker("mosquitto-1")
        .setReason("will message")
        .setOccurredAt(NOW)
        .build();
  }

  static DeadLetter deadLetter() {
    return DeadLetter.newBuilder()
        .setOrigin("ingest-bridge")
        .setReasonCode(DeadLetterReason.INVALID_JSON)
        .setMessage("payload is not JSON: Unexpected character ('}' (code 125))")
        .setDeviceId("robot-7")
        .setSourceTopic("devices/robot-7/shadow/update")
        .setSourcePartition(null)
        .setSourceOffset(null)
        .setKey(null)
        .setPayload(ByteBuffer.wrap(new byte[] {'{', '}', '}'}))
        .setAttributes(Map.of("qos", "1"))
        .setOccurredAt(NOW)
        .build();
  }

  /** Checks at class load that every topic has a sample. */
  static {
    Topics.all().forEach(SampleRecords::of);
  }

  static JobDefinition jobDefinition() {
    return JobDefinition.newBuilder()
        .setJobId("firmware-2-4-0")
        .setDocument("{\"url\":\"https://fw.example/2.4.0.bin\",\"sha256\":\"ab12\"}")
        .setDescription("speaker firmware 2.4.0")
        .setTargets(java.util.List.of())
        .setTargetFilter("model = speaker-300 and firmware < 2.4.0")
        .setRollout(
            JobRollout.newBuilder()
                .setMaximumPerMinute(null)
                .setExponentialRate(
                    ExponentialRate.newBuilder()
                        .setBaseRatePerMinute(10)
                        .setIncrementFactor(2.0)
                        .setNumberOfNotifiedThings(null)
                        .setNumberOfSucceededThings(50)
                        .build())
                .build())
        .setAbortCriteria(
            java.util.List.of(
                AbortCriterion.newBuilder()
                    .setFailureType(JobFailureType.FAILED)
                    .setAction(JobAbortAction.CANCEL)
                    .setThresholdPercentage(10.0)
                    .setMinNumberOfExecutedThings(20)
                    .build()))
        .setInProgressTimeoutMinutes(30L)
        .build();
  }

  static JobProcessDetails jobProcessDetails() {
    return JobProcessDetails.newBuilder()
        .setNumberOfTargets(100)
        .setNumberOfNotifiedThings(40)
        .setNumberOfQueuedThings(5)
        .setNumberOfInProgressThings(10)
        .setNumberOfSucceededThings(20)
        .setNumberOfFailedThings(3)
        .setNumberOfRejectedThings(1)
        .setNumberOfTimedOutThings(1)
        .setNumberOfCanceledThings(0)
        .setNumberOfRemovedThings(0)
        .build();
  }

  static JobRequest jobRequest() {
    return JobRequest.newBuilder()
        .setRequestId("6f1c2d3e-0000-4000-8000-000000000010")
        .setJobId("firmware-2-4-0")
        .setOperation(JobOperation.CREATE)
        .setDefinition(jobDefinition())
        .setComment("staged rollout")
        .setRequestedBy("fleet-ops")
        .setRequestedAt(NOW)
        .build();
  }

  static Job job() {
    return Job.newBuilder()
        .setJobId("firmware-2-4-0")
        .setDefinition(jobDefinition())
        .setStatus(JobStatus.CANCELED)
        .setReasonCode("FAILED>=10.0%")
        .setTargetsResolved(true)
        .setCurrentRatePerMinute(20)
        .setProcessDetails(jobProcessDetails())
        .setCreatedAt(NOW.minusSeconds(600))
        .setLastUpdatedAt(NOW)
        .setCompletedAt(NOW)
        .build();
  }

  static JobStatusChange jobStatusChange() {
    return JobStatusChange.newBuilder()
        .setJobId("firmware-2-4-0")
        .setStatus(JobStatus.CANCELED)
        .setPreviousStatus(JobStatus.IN_PROGRESS)
        .setReasonCode("FAILED>=10.0%")
        .setProcessDetails(jobProcessDetails())
        .setOccurredAt(NOW)
        .build();
  }

  static JobEvent jobEvent() {
    return JobEvent.newBuilder()
        .setJobId("firmware-2-4-0")
        .setType(JobEventType.CHANGED)
        .setDeviceId("speaker-0001")
        .setPartition(3)
        .setPartitions(12)
        .setFrom(JobExecutionStatus.QUEUED)
        .setTo(JobExecutionStatus.IN_PROGRESS)
        .setOccurredAt(NOW)
        .build();
  }

  static JobExecutionRequest jobExecutionRequest() {
    return JobExecutionRequest.newBuilder()
        .setRequestId("6f1c2d3e-0000-4000-8000-000000000011")
        .setDeviceId("speaker-0001")
        .setOperation(JobExecutionOperation.UPDATE)
        .setJobId("firmware-2-4-0")
        .setDocument("{\"status\":\"SUCCEEDED\",\"expectedVersion\":2}")
        .setSource(RequestSource.DEVICE)
        .setMqttTopic("devices/speaker-0001/jobs/firmware-2-4-0/update")
        .setBroker("mosquitto-0")
        .setRequestedAt(NOW)
        .build();
  }

  static DeviceJobExecutions deviceJobExecutions() {
    return DeviceJobExecutions.newBuilder()
        .setDeviceId("speaker-0001")
        .setExecutions(
            java.util.List.of(
                JobExecution.newBuilder()
                    .setJobId("firmware-2-4-0")
                    .setStatus(JobExecutionStatus.IN_PROGRESS)
                    .setVersionNumber(2)
                    .setStatusDetails(Map.of("step", "download"))
                    .setJobDocument("{\"url\":\"https://fw.example/2.4.0.bin\"}")
                    .setJobCanceled(false)
                    .setQueuedAt(NOW.minusSeconds(60))
                    .setStartedAt(NOW)
                    .setLastUpdatedAt(NOW)
                    .build()))
        .setUpdatedAt(NOW)
        .build();
  }

  static JobResponse jobResponse() {
    return JobResponse.newBuilder()
        .setDeviceId("speaker-0001")
        .setType(JobResponseType.REJECTED)
        .setOperation(JobExecutionOperation.UPDATE)
        .setJobId("firmware-2-4-0")
        .setRequestId("6f1c2d3e-0000-4000-8000-000000000011")
        .setCode(409)
        .setPayload("{\"code\":409,\"message\":\"VersionMismatch\"}")
        .setCreatedAt(NOW)
        .build();
  }
}
