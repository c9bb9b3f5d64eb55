package org.iotbackbone.ingestbridge.internal.uplink;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.iotbackbone.ingestbridge.internal.topic.DeviceTopic;
import org.iotbackbone.ingestbridge.internal.topic.DeviceTopics;
import org.iotbackbone.ingestbridge.internal.topic.TopicParse;
import org.iotbackbone.schemas.CommandEvent;
import org.iotbackbone.schemas.CommandStatus;
import org.iotbackbone.schemas.DeadLetter;
import org.iotbackbone.schemas.DeadLetterReason;
import org.iotbackbone.schemas.DeadLetters;
import org.iotbackbone.schemas.DeadLetters.Origin;
import org.iotbackbone.schemas.DeviceEvent;
import org.iotbackbone.schemas.JobExecutionRequest;
import org.iotbackbone.schemas.PresenceEvent;
import org.iotbackbone.schemas.PresenceStatus;
import org.iotbackbone.schemas.RequestSource;
import org.iotbackbone.schemas.ShadowOperation;
import org.iotbackbone.schemas.ShadowRequest;
import org.iotbackbone.schemas.topics.Topics;

/**
 * Turns an uplink MQTT message into the record of {@code docs/design.md}, or into a dead letter
 * with a reason. Pure and total: it never throws, whatever the topic and payload.
 *
 * <p>The checks run in this order, the first failure wins: topic shape and device id, payload size,
 * UTF-8 (where text is required), JSON (where JSON is required), then the message's own rules (an
 * ack's status, a presence word).
 */
public final class UplinkMapper {

  /** The MQTT 5 user property whose value, when a device sets it, becomes the event's id. */
  public static final String EVENT_ID_PROPERTY = "eventId";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final Set<String> ACK_STATUSES =
      Set.of("ACCEPTED", "SUCCEEDED", "FAILED", "REJECTED");

  /**
   * What a record carries besides the payload, topic, user properties and content type (ids,
   * broker, timestamps, Avro framing), counted generously: the estimate must not be below the real
   * size, or a record the bridge let through could still be one Kafka refuses.
   */
  static final int RECORD_OVERHEAD_BYTES = 512;

  /**
   * At most this much of the payload is kept in the dead letter of a record Kafka found too big.
   */
  static final int REFUSED_PAYLOAD_KEPT_BYTES = 1024;

  private final int maxPayloadBytes;
  private final int maxUserProperties;
  private final int maxRecordBytes;

  /**
   * A mapper that refuses payloads over {@code maxPayloadBytes}; no other bound (tests of the
   * mapping itself).
   */
  public UplinkMapper(int maxPayloadBytes) {
    this(maxPayloadBytes, Integer.MAX_VALUE, Integer.MAX_VALUE);
  }

  /**
   * A mapper that refuses payloads over {@code maxPayloadBytes}, more than {@code
   * maxUserProperties} user properties, and messages whose record would be over {@code
   * maxRecordBytes} (payload, topic, user properties and all).
   */
  public UplinkMapper(int maxPayloadBytes, int maxUserProperties, int maxRecordBytes) {
    this.maxPayloadBytes = maxPayloadBytes;
    this.maxUserProperties = maxUserProperties;
    this.maxRecordBytes = maxRecordBytes;
  }

  /** The record for {@code message}, or the dead letter that says why there is none. */
  public UplinkDecision map(InboundMessage message) {
    try {
      return mapChecked(message);
    } catch (RuntimeException e) {
      // A bug must not block the session: the message is kept as a dead letter.
      return reject(message, null, DeadLetterReason.PROCESSING_FAILED, e.toString(), null);
    }
  }

  private UplinkDecision mapChecked(InboundMessage message) {
    TopicParse parsed = DeviceTopics.parse(message.topic());
    if (!parsed.isValid()) {
      return reject(message, null, parsed.reason(), parsed.message(), parsed.deviceId());
    }
    DeviceTopic topic = parsed.topic();
    byte[] payload = message.payload();
    if (payload.length > maxPayloadBytes) {
      return reject(
          message,
          topic,
          DeadLetterReason.PAYLOAD_TOO_LARGE,
          "payload of " + payload.length + " bytes is over the limit of " + maxPayloadBytes,
          topic.deviceId());
    }
    String tooBig = recordTooLarge(message);
    if (tooBig != null) {
      return reject(message, topic, DeadLetterReason.PAYLOAD_TOO_LARGE, tooBig, topic.deviceId());
    }
    // Java 17 has no pattern matching in switch; the interface is sealed to these five.
    if (topic instanceof DeviceTopic.Event event) {
      return new UplinkDecision.Produce(
          Topics.DEVICE_EVENTS, event.deviceId(), deviceEvent(message, event));
    } else if (topic instanceof DeviceTopic.ShadowRequest request) {
      return shadowRequest(message, request);
    } else if (topic instanceof DeviceTopic.JobRequest request) {
      return jobRequest(message, request);
    } else if (topic instanceof DeviceTopic.CommandAck ack) {
      return commandAck(message, ack);
    } else {
      return presence(message, (DeviceTopic.Presence) topic);
    }
  }

  /**
   * Why the message's record would be too big for Kafka, or null when it is not. The payload alone
   * is capped above; but MQTT 5 user properties (up to the packet's 256 MiB) are copied into the
   * event too, and a record Kafka refuses ({@code RecordTooLargeException}) must never be what
   * decides: it is checked here, before sending, with a clear reason.
   */
  String recordTooLarge(InboundMessage message) {
    Map<String, String> properties = message.userProperties();
    if (properties.size() > maxUserProperties) {
      return properties.size()
          + " user properties are over the limit of "
          + maxUserProperties
          + " (uplink.max.user.properties)";
    }
    long propertyBytes = 0;
    for (Map.Entry<String, String> property : properties.entrySet()) {
      propertyBytes += utf8Length(property.getKey()) + utf8Length(property.getValue()) + 2;
    }
    long topicBytes = utf8Length(message.topic());
    long size =
        message.payload().length
            + topicBytes
            + propertyBytes
            + utf8Length(message.contentType())
            + utf8Length(message.broker())
            + RECORD_OVERHEAD_BYTES;
    if (size > maxRecordBytes) {
      return "record of about "
          + size
          + " bytes (payload "
          + message.payload().length
          + ", topic "
          + topicBytes
          + ", "
          + properties.size()
          + " user properties "
          + propertyBytes
          + ") is over the limit of "
          + maxRecordBytes
          + " (uplink.max.record.bytes)";
    }
    return null;
  }

  /**
   * The dead letter of a message that could not become its record for a reason found after mapping
   * (Kafka refused it for good, a bug): {@code reason} and {@code text} say why. With {@code
   * keepLittle} (Kafka found the record too large) at most {@value #REFUSED_PAYLOAD_KEPT_BYTES}
   * bytes of the payload are kept, so that the dead letter itself fits. A shadow or jobs requester
   * gets its {@code …/rejected} answer.
   */
  public UplinkDecision.Reject failed(
      InboundMessage message, DeadLetterReason reason, String text, boolean keepLittle) {
    TopicParse parsed = DeviceTopics.parse(message.topic());
    DeviceTopic topic = parsed.isValid() ? parsed.topic() : null;
    String device = parsed.isValid() ? parsed.topic().deviceId() : parsed.deviceId();
    int kept = keepLittle ? Math.min(maxPayloadBytes, REFUSED_PAYLOAD_KEPT_BYTES) : maxPayloadBytes;
    return reject(message, topic, reason, text, device, kept);
  }

  private static long utf8Length(String text) {
    if (text == null) {
      return 0;
    }
    long bytes = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3;
    }
    return bytes;
  }

  private static DeviceEvent deviceEvent(InboundMessage message, DeviceTopic.Event event) {
    return DeviceEvent.newBuilder()
        // A redelivered message would get a new random id; a device that needs consumers to
        // deduplicate exactly gives its own in the user property eventId.
        .setEventId(
            message.userProperties().getOrDefault(EVENT_ID_PROPERTY, UUID.randomUUID().toString()))
        .setDeviceId(event.deviceId())
        .setEventType(event.eventType())
        .setPayload(ByteBuffer.wrap(message.payload()))
        .setContentType(message.contentType())
        .setUserProperties(message.userProperties())
        .setMqttTopic(message.topic())
        .setQos(message.qos())
        .setBroker(message.broker())
        .setReceivedAt(Instant.ofEpochMilli(message.receivedAt()))
        .build();
  }

  private UplinkDecision shadowRequest(InboundMessage message, DeviceTopic.ShadowRequest request) {
    String text = utf8(message.payload());
    if (text == null) {
      return reject(
          message,
          request,
          DeadLetterReason.INVALID_UTF8,
          "payload is not UTF-8",
          request.deviceId());
    }
    boolean jsonRequired = request.operation() == ShadowOperation.UPDATE;
    if ((jsonRequired || !text.isBlank()) && parseJson(text) == null) {
      return reject(
          message,
          request,
          DeadLetterReason.INVALID_JSON,
          "payload is not a JSON document",
          request.deviceId());
    }
    ShadowRequest value =
        ShadowRequest.newBuilder()
            .setRequestId(UUID.randomUUID().toString())
            .setDeviceId(request.deviceId())
            .setShadowName(request.shadowName())
            .setOperation(request.operation())
            .setSource(RequestSource.DEVICE)
            .setDocument(text.isBlank() ? null : text)
            .setMqttTopic(message.topic())
            .setBroker(message.broker())
            .setRequestedAt(Instant.ofEpochMilli(message.receivedAt()))
            .build();
    return new UplinkDecision.Produce(Topics.SHADOW_REQUESTS, request.deviceId(), value);
  }

  private UplinkDecision jobRequest(InboundMessage message, DeviceTopic.JobRequest request) {
    String text = utf8(message.payload());
    if (text == null) {
      return reject(
          message,
          request,
          DeadLetterReason.INVALID_UTF8,
          "payload is not UTF-8",
          request.deviceId());
    }
    // Passed on as it is, JSON or not: the streams app validates every field of a jobs request and
    // answers 400 naming what is wrong, one rule for the bridge's requests and the REST API's.
    JobExecutionRequest value =
        JobExecutionRequest.newBuilder()
            .setRequestId(UUID.randomUUID().toString())
            .setDeviceId(request.deviceId())
            .setOperation(request.operation())
            .setJobId(request.jobId())
            .setDocument(text.isEmpty() ? null : text)
            .setSource(RequestSource.DEVICE)
            .setMqttTopic(message.topic())
            .setBroker(message.broker())
            .setRequestedAt(Instant.ofEpochMilli(message.receivedAt()))
            .build();
    return new UplinkDecision.Produce(Topics.JOB_EXECUTION_REQUESTS, request.deviceId(), value);
  }

  private UplinkDecision commandAck(InboundMessage message, DeviceTopic.CommandAck ack) {
    String text = utf8(message.payload());
    if (text == null) {
      return reject(
          message, ack, DeadLetterReason.INVALID_UTF8, "payload is not UTF-8", ack.deviceId());
    }
    JsonNode json = parseJson(text);
    if (json == null) {
      return reject(message, ack, DeadLetterReason.INVALID_JSON, "ack is not JSON", ack.deviceId());
    }
    JsonNode status = json.path("status");
    if (!status.isTextual() || !ACK_STATUSES.contains(status.asText())) {
      return reject(
          message,
          ack,
          DeadLetterReason.INVALID_REQUEST,
          "ack status must be one of " + ACK_STATUSES,
          ack.deviceId());
    }
    JsonNode result = json.get("result");
    CommandEvent event =
        CommandEvent.newBuilder()
            .setCommandId(ack.commandId())
            .setDeviceId(ack.deviceId())
            .setStatus(CommandStatus.valueOf(status.asText()))
            .setDeviceResult(result == null || result.isNull() ? null : result.toString())
            .setBroker(message.broker())
            .setOccurredAt(Instant.ofEpochMilli(message.receivedAt()))
            .build();
    return new UplinkDecision.Produce(Topics.COMMAND_EVENTS, ack.deviceId(), event);
  }

  private UplinkDecision presence(InboundMessage message, DeviceTopic.Presence presence) {
    String text = utf8(message.payload());
    if (text == null) {
      return reject(
          message,
          presence,
          DeadLetterReason.INVALID_UTF8,
          "payload is not UTF-8",
          presence.deviceId());
    }
    PresenceStatus status =
        switch (text.trim()) {
          case "online" -> PresenceStatus.CONNECTED;
          case "offline" -> PresenceStatus.DISCONNECTED;
          default -> null;
        };
    if (status == null) {
      return reject(
          message,
          presence,
          DeadLetterReason.INVALID_REQUEST,
          "presence must be online or offline",
          presence.deviceId());
    }
    PresenceEvent event =
        PresenceEvent.newBuilder()
            .setDeviceId(presence.deviceId())
            .setStatus(status)
            .setBroker(message.broker())
            .setOccurredAt(Instant.ofEpochMilli(message.receivedAt()))
            .build();
    return new UplinkDecision.Produce(Topics.DEVICE_PRESENCE, presence.deviceId(), event);
  }

  private UplinkDecision.Reject reject(
      InboundMessage message,
      DeviceTopic topic,
      DeadLetterReason reason,
      String text,
      String deviceId) {
    return reject(message, topic, reason, text, deviceId, maxPayloadBytes);
  }

  private UplinkDecision.Reject reject(
      InboundMessage message,
      DeviceTopic topic,
      DeadLetterReason reason,
      String text,
      String deviceId,
      int keptPayloadBytes) {
    Map<String, String> attributes = new HashMap<>();
    attributes.put("qos", Integer.toString(message.qos()));
    attributes.put("broker", String.valueOf(message.broker()));
    // The user properties are not kept: they can be what made the record too large.
    attributes.put("userProperties", Integer.toString(message.userProperties().size()));
    byte[] payload = message.payload();
    if (payload.length > keptPayloadBytes) {
      // Kept short so that the dead letter itself fits in a Kafka record.
      attributes.put("payloadBytes", Integer.toString(payload.length));
      attributes.put("limitBytes", Integer.toString(keptPayloadBytes));
      attributes.put("truncated", "true");
      payload = Arrays.copyOf(payload, keptPayloadBytes);
    }
    DeadLetter deadLetter =
        DeadLetters.builder(Origin.INGEST_BRIDGE, reason)
            .message(text)
            .device(deviceId)
            .source(message.topic())
            .payload(payload)
            .attributes(attributes)
            .occurredAt(Instant.ofEpochMilli(message.receivedAt()))
            .build();
    if (topic instanceof DeviceTopic.ShadowRequest request) {
      return new UplinkDecision.Reject(
          deadLetter,
          request.responseTopic(false),
          rejection(reason, text, message.payload(), null));
    }
    if (topic instanceof DeviceTopic.JobRequest request) {
      // The jobs' error document carries a timestamp too (docs/design.md, "Device answers").
      return new UplinkDecision.Reject(
          deadLetter,
          request.responseTopic(false),
          rejection(reason, text, message.payload(), message.receivedAt()));
    }
    return new UplinkDecision.Reject(deadLetter, null, null);
  }

  /**
   * The error document of {@code docs/design.md}: {@code
   * {"code":..,"message":..,"clientToken":..}}, with AWS IoT's codes: 413 too large, 415 not UTF-8,
   * 500 the platform's failure (the record could not be written), 400 anything else; with a {@code
   * timestamp} (epoch milliseconds) for a jobs request, without (null) for a shadow request.
   */
  static byte[] rejection(DeadLetterReason reason, String text, byte[] payload, Long timestamp) {
    String token = reason == DeadLetterReason.PAYLOAD_TOO_LARGE ? null : clientToken(payload);
    return errorDocument(code(reason), text, token, timestamp);
  }

  private static int code(DeadLetterReason reason) {
    return switch (reason) {
      case PAYLOAD_TOO_LARGE -> 413;
      case INVALID_UTF8 -> 415;
      // Not the request's fault: the platform could not store it.
      case WRITE_FAILED, PROCESSING_FAILED -> 500;
      default -> 400;
    };
  }

  /**
   * {@code {"code","message","timestamp"?,"clientToken"?}}: the shadows' error document, and with a
   * {@code timestamp} (epoch milliseconds) the jobs' one.
   */
  static byte[] errorDocument(int code, String text, String clientToken, Long timestamp) {
    ObjectNode body = JSON.createObjectNode();
    body.put("code", code);
    body.put("message", text);
    if (timestamp != null) {
      body.put("timestamp", timestamp);
    }
    if (clientToken != null) {
      body.put("clientToken", clientToken);
    }
    return body.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The request's {@code clientToken}, or null when it has none (or is not UTF-8 JSON). */
  static String clientToken(byte[] payload) {
    return payload == null ? null : clientToken(utf8(payload));
  }

  /** The request's {@code clientToken}, or null when it has none (or is not JSON). */
  static String clientToken(String text) {
    JsonNode json = text == null ? null : parseJson(text);
    return json != null && json.path("clientToken").isTextual()
        ? json.path("clientToken").asText()
        : null;
  }

  /** The payload as text, or null when it is not valid UTF-8. */
  static String utf8(byte[] payload) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(payload))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /** The JSON document, or null when the text is not one. */
  static JsonNode parseJson(String text) {
    try {
      JsonNode node = JSON.readTree(text);
      return node == null || node.isMissingNode() ? null : node;
    } catch (JsonProcessingException e) {
      return null;
    }
  }
}
