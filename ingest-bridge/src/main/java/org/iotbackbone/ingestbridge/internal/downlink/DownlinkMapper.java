package org.iotbackbone.ingestbridge.internal.downlink;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.iotbackbone.ingestbridge.internal.topic.DeviceTopics;
import org.iotbackbone.schemas.Command;
import org.iotbackbone.schemas.CommandEvent;
import org.iotbackbone.schemas.CommandStatus;
import org.iotbackbone.schemas.JobExecutionOperation;
import org.iotbackbone.schemas.JobResponse;
import org.iotbackbone.schemas.JobResponseType;
import org.iotbackbone.schemas.ShadowOperation;
import org.iotbackbone.schemas.ShadowResponse;
import org.iotbackbone.schemas.ShadowResponseType;

/** Turns Kafka's downlink records into MQTT messages for devices. Pure. */
public final class DownlinkMapper {

  private static final ObjectMapper JSON = new ObjectMapper();

  private DownlinkMapper() {}

  /**
   * The command as the device gets it, or null when it has expired at {@code now}: {@code
   * {"commandId","name","payload","expiresAt"}} on {@code devices/{id}/commands}, with the time
   * left (rounded up to a whole second) as message expiry, the command id as correlation data and
   * the ack topic as response topic.
   *
   * @throws IllegalArgumentException when the command's payload is not JSON or its device id is not
   *     one
   */
  public static Outbound command(Command command, Instant now) {
    if (!DeviceTopics.DEVICE_ID.matcher(command.getDeviceId()).matches()
        || !DeviceTopics.COMMAND_ID.matcher(command.getCommandId()).matches()) {
      throw new IllegalArgumentException(
          "bad device or command id: " + command.getDeviceId() + "/" + command.getCommandId());
    }
    long millisLeft = command.getExpiresAt().toEpochMilli() - now.toEpochMilli();
    if (millisLeft <= 0) {
      return null;
    }
    ObjectNode body = JSON.createObjectNode();
    body.put("commandId", command.getCommandId());
    body.put("name", command.getName());
    try {
      body.set("payload", JSON.readTree(command.getPayload()));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("command payload is not JSON: " + e.getOriginalMessage());
    }
    body.put("expiresAt", command.getExpiresAt().toEpochMilli());
    return new Outbound(
        command.getDeviceId(),
        DeviceTopics.commandTopic(command.getDeviceId()),
        body.toString().getBytes(StandardCharsets.UTF_8),
        (millisLeft + 999) / 1000,
        command.getCommandId().getBytes(StandardCharsets.UTF_8),
        DeviceTopics.ackTopic(command.getDeviceId(), command.getCommandId()));
  }

  /** A status event about a command. */
  public static CommandEvent event(
      Command command, CommandStatus status, String message, String broker, Instant at) {
    return CommandEvent.newBuilder()
        .setCommandId(command.getCommandId())
        .setDeviceId(command.getDeviceId())
        .setStatus(status)
        .setMessage(message)
        .setBroker(broker)
        .setOccurredAt(at)
        .build();
  }

  /**
   * The shadow response as the device gets it, on {@code
   * devices/{id}/shadow[/name/{n}]/{op}/{type}}.
   *
   * @throws IllegalArgumentException when its operation or type is UNKNOWN, or an id is bad
   */
  public static Outbound shadowResponse(ShadowResponse response) {
    if (response.getOperation() == ShadowOperation.UNKNOWN
        || response.getType() == ShadowResponseType.UNKNOWN) {
      throw new IllegalArgumentException(
          "unknown operation or type: " + response.getOperation() + "/" + response.getType());
    }
    if (!DeviceTopics.DEVICE_ID.matcher(response.getDeviceId()).matches()
        || (response.getShadowName() != null
            && !DeviceTopics.SHADOW_NAME.matcher(response.getShadowName()).matches())) {
      throw new IllegalArgumentException("bad device id or shadow name");
    }
    String topic =
        DeviceTopics.shadowResponseTopic(
            response.getDeviceId(),
            response.getShadowName(),
            response.getOperation(),
            response.getType());
    return new Outbound(
        response.getDeviceId(),
        topic,
        response.getPayload().getBytes(StandardCharsets.UTF_8),
        0,
        null,
        null);
  }

  /**
   * The jobs message as the device gets it, its payload as it is: a NOTIFY_NEXT on {@code
   * devices/{id}/jobs/notify-next}, an answer on {@code devices/{id}/jobs/start-next/{type}} or
   * {@code devices/{id}/jobs/{jobId}/{get|update}/{type}}.
   *
   * @throws IllegalArgumentException when its type or operation is UNKNOWN or missing, a GET or
   *     UPDATE answer has no job id, or an id is bad
   */
  public static Outbound jobResponse(JobResponse response) {
    String deviceId = response.getDeviceId();
    if (!DeviceTopics.DEVICE_ID.matcher(deviceId).matches()) {
      throw new IllegalArgumentException("bad device id: " + deviceId);
    }
    String topic;
    if (response.getType() == JobResponseType.NOTIFY_NEXT) {
      topic = DeviceTopics.jobNotifyNextTopic(deviceId);
    } else if (response.getType() == JobResponseType.ACCEPTED
        || response.getType() == JobResponseType.REJECTED) {
      JobExecutionOperation operation = response.getOperation();
      if (operation == null || operation == JobExecutionOperation.UNKNOWN) {
        throw new IllegalArgumentException(
            "jobs answer with an unknown or no operation: " + operation);
      }
      String jobId = response.getJobId();
      if (operation != JobExecutionOperation.START_NEXT
          && (jobId == null || !DeviceTopics.JOB_ID.matcher(jobId).matches())) {
        throw new IllegalArgumentException(operation + " answer without a valid job id: " + jobId);
      }
      topic =
          DeviceTopics.jobResponseTopic(
              deviceId,
              operation,
              operation == JobExecutionOperation.START_NEXT ? null : jobId,
              response.getType() == JobResponseType.ACCEPTED);
    } else {
      throw new IllegalArgumentException("unknown jobs message type: " + response.getType());
    }
    return new Outbound(
        deviceId, topic, response.getPayload().getBytes(StandardCharsets.UTF_8), 0, null, null);
  }
}
