package org.iotbackbone.ingestbridge.internal.topic;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.iotbackbone.schemas.DeadLetterReason;
import org.iotbackbone.schemas.JobExecutionOperation;
import org.iotbackbone.schemas.ShadowOperation;
import org.iotbackbone.schemas.ShadowResponseType;

/** The MQTT topics of {@code docs/design.md}: parsing the uplink ones, making the downlink ones. */
public final class DeviceTopics {

  /** A device id: the MQTT client id, 1 to 64 of {@code [A-Za-z0-9_-]}. */
  public static final Pattern DEVICE_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  /** An event type. */
  public static final Pattern EVENT_TYPE = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

  /** A shadow name. */
  public static final Pattern SHADOW_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  /** A command id as it appears in an ack topic (a UUID, or any id of the same alphabet). */
  public static final Pattern COMMAND_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  /** A job id as it appears in a jobs topic (the design's limit of a job id). */
  public static final Pattern JOB_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  /**
   * The filters the bridge subscribes to: the uplink topics only, so that it never receives what it
   * publishes itself (commands, shadow and jobs answers, notify-next).
   */
  public static final List<String> UPLINK_FILTERS =
      List.of(
          "devices/+/events/#",
          "devices/+/shadow/update",
          "devices/+/shadow/get",
          "devices/+/shadow/delete",
          "devices/+/shadow/name/+/update",
          "devices/+/shadow/name/+/get",
          "devices/+/shadow/name/+/delete",
          "devices/+/commands/+/ack",
          "devices/+/presence",
          "devices/+/jobs/start-next",
          "devices/+/jobs/+/get",
          "devices/+/jobs/+/update");

  private DeviceTopics() {}

  /** Takes an uplink topic apart; never throws. */
  public static TopicParse parse(String topic) {
    if (topic == null) {
      return TopicParse.invalid(DeadLetterReason.INVALID_TOPIC, "no topic", null);
    }
    String[] s = topic.split("/", -1);
    if (s.length < 3 || !"devices".equals(s[0])) {
      return TopicParse.invalid(
          DeadLetterReason.INVALID_TOPIC, "not under devices/{id}/: " + topic, null);
    }
    String id = s[1];
    if (!DEVICE_ID.matcher(id).matches()) {
      return TopicParse.invalid(
          DeadLetterReason.INVALID_DEVICE_ID,
          "device id must be 1-64 of [A-Za-z0-9_-]: '" + id + "'",
          null);
    }
    return switch (s[2]) {
      case "events" -> event(topic, s, id);
      case "shadow" -> shadow(topic, s, id);
      case "commands" -> ack(topic, s, id);
      case "jobs" -> job(topic, s, id);
      case "presence" ->
          s.length == 3
              ? TopicParse.valid(new DeviceTopic.Presence(id))
              : wrongShape(topic, id, "devices/{id}/presence");
      default ->
          wrongShape(topic, id, "events, shadow, commands, jobs or presence after devices/{id}/");
    };
  }

  private static TopicParse event(String topic, String[] s, String id) {
    if (s.length != 4) {
      return wrongShape(topic, id, "devices/{id}/events/{type}");
    }
    if (!EVENT_TYPE.matcher(s[3]).matches()) {
      return wrongShape(topic, id, "an event type of 1-64 [A-Za-z0-9_.-]");
    }
    return TopicParse.valid(new DeviceTopic.Event(id, s[3]));
  }

  private static TopicParse shadow(String topic, String[] s, String id) {
    String name = null;
    int opIndex = 3;
    if (s.length == 6 && "name".equals(s[3])) {
      name = s[4];
      opIndex = 5;
      if (!SHADOW_NAME.matcher(name).matches()) {
        return wrongShape(topic, id, "a shadow name of 1-64 [A-Za-z0-9_-]");
      }
    } else if (s.length != 4) {
      return wrongShape(topic, id, "devices/{id}/shadow[/name/{name}]/{update,get,delete}");
    }
    ShadowOperation op =
        switch (s[opIndex]) {
          case "update" -> ShadowOperation.UPDATE;
          case "get" -> ShadowOperation.GET;
          case "delete" -> ShadowOperation.DELETE;
          default -> null;
        };
    if (op == null) {
      return wrongShape(topic, id, "update, get or delete");
    }
    return TopicParse.valid(new DeviceTopic.ShadowRequest(id, name, op));
  }

  private static TopicParse ack(String topic, String[] s, String id) {
    if (s.length != 5 || !"ack".equals(s[4])) {
      return wrongShape(topic, id, "devices/{id}/commands/{commandId}/ack");
    }
    if (!COMMAND_ID.matcher(s[3]).matches()) {
      return wrongShape(topic, id, "a command id of 1-64 [A-Za-z0-9_-]");
    }
    return TopicParse.valid(new DeviceTopic.CommandAck(id, s[3]));
  }

  /**
   * {@code devices/{id}/jobs/start-next} or {@code devices/{id}/jobs/{jobId}/{get,update}}. The
   * downlink ones ({@code notify-next}, {@code .../accepted}, {@code .../rejected}) are the
   * bridge's to publish: a device publishing there gets no subscriber of the bridge, but were one
   * to arrive it is INVALID_TOPIC, never a request.
   */
  private static TopicParse job(String topic, String[] s, String id) {
    if (s.length == 4 && "start-next".equals(s[3])) {
      return TopicParse.valid(
          new DeviceTopic.JobRequest(id, JobExecutionOperation.START_NEXT, null));
    }
    if (s.length != 5) {
      return wrongShape(topic, id, "devices/{id}/jobs/start-next or .../jobs/{jobId}/{get,update}");
    }
    JobExecutionOperation op =
        switch (s[4]) {
          case "get" -> JobExecutionOperation.GET;
          case "update" -> JobExecutionOperation.UPDATE;
          default -> null;
        };
    if (op == null) {
      return wrongShape(topic, id, "get or update after devices/{id}/jobs/{jobId}/");
    }
    if (!JOB_ID.matcher(s[3]).matches()) {
      return wrongShape(topic, id, "a job id of 1-64 [A-Za-z0-9_-]");
    }
    return TopicParse.valid(new DeviceTopic.JobRequest(id, op, s[3]));
  }

  private static TopicParse wrongShape(String topic, String id, String expected) {
    return TopicParse.invalid(
        DeadLetterReason.INVALID_TOPIC, "expected " + expected + ": " + topic, id);
  }

  /** {@code devices/{id}/shadow} or {@code devices/{id}/shadow/name/{name}}. */
  public static String shadowPrefix(String deviceId, String shadowName) {
    return "devices/" + deviceId + "/shadow" + (shadowName == null ? "" : "/name/" + shadowName);
  }

  /** The topic segment of an operation: {@code update}, {@code get}, {@code delete}. */
  public static String operationSegment(ShadowOperation operation) {
    return operation.name().toLowerCase(Locale.ROOT);
  }

  /** Where a shadow response goes: {@code devices/{id}/shadow[/name/{n}]/{op}/{type}}. */
  public static String shadowResponseTopic(
      String deviceId, String shadowName, ShadowOperation operation, ShadowResponseType type) {
    return shadowPrefix(deviceId, shadowName)
        + "/"
        + operationSegment(operation)
        + "/"
        + type.name().toLowerCase(Locale.ROOT);
  }

  /** Where a device is told its next pending job: {@code devices/{id}/jobs/notify-next}. */
  public static String jobNotifyNextTopic(String deviceId) {
    return "devices/" + deviceId + "/jobs/notify-next";
  }

  /**
   * Where the answer to a jobs request goes: {@code
   * devices/{id}/jobs/start-next/{accepted|rejected}} or {@code
   * devices/{id}/jobs/{jobId}/{get|update}/{accepted|rejected}}.
   *
   * @throws IllegalArgumentException for an UNKNOWN operation, or a GET or UPDATE without a job id
   */
  public static String jobResponseTopic(
      String deviceId, JobExecutionOperation operation, String jobId, boolean accepted) {
    String request =
        switch (operation) {
          case START_NEXT -> "start-next";
          case GET, UPDATE -> {
            if (jobId == null) {
              throw new IllegalArgumentException(operation + " answer without a job id");
            }
            yield jobId + "/" + operation.name().toLowerCase(Locale.ROOT);
          }
          default -> throw new IllegalArgumentException("unknown jobs operation: " + operation);
        };
    return "devices/" + deviceId + "/jobs/" + request + (accepted ? "/accepted" : "/rejected");
  }

  /** Where commands for a device go. */
  public static String commandTopic(String deviceId) {
    return "devices/" + deviceId + "/commands";
  }

  /** Where a device acks a command. */
  public static String ackTopic(String deviceId, String commandId) {
    return "devices/" + deviceId + "/commands/" + commandId + "/ack";
  }
}
