package org.iotbackbone.streamsapp.internal.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.iotbackbone.schemas.Command;
import org.iotbackbone.schemas.RequestSource;
import org.iotbackbone.schemas.ShadowOperation;
import org.iotbackbone.schemas.ShadowRequest;
import org.iotbackbone.schemas.ShadowResponse;
import org.iotbackbone.schemas.ShadowResponseType;
import org.iotbackbone.schemas.topics.Topics;
import org.iotbackbone.streamsapp.ShadowSerdes;
import org.iotbackbone.streamsapp.internal.json.Json;

/** What the REST API writes: cloud shadow updates (answered like a device's) and commands. */
final class Writes {

  private final Producer<String, byte[]> producer;
  private final ShadowSerdes serdes;
  private final ResponseWaiter waiter;
  private final Duration timeout;
  private final Duration defaultTtl;

  Writes(
      Producer<String, byte[]> producer,
      ShadowSerdes serdes,
      ResponseWaiter waiter,
      Duration timeout,
      Duration defaultTtl) {
    this.producer = producer;
    this.serdes = serdes;
    this.waiter = waiter;
    this.timeout = timeout;
    this.defaultTtl = defaultTtl;
  }

  /** Sends a cloud update and answers with the topology's answer: the accepted or rejected one. */
  Reply updateShadow(String deviceId, String shadowName, String body) {
    JsonNode document = parse(body);
    if (!document.isObject()) {
      throw new ApiError(400, "The body must be a JSON object");
    }
    ShadowRequest request =
        ShadowRequest.newBuilder()
            .setRequestId(UUID.randomUUID().toString())
            .setDeviceId(deviceId)
            .setShadowName(shadowName)
            .setOperation(ShadowOperation.UPDATE)
            .setSource(RequestSource.CLOUD)
            .setDocument(body)
            .setRequestedAt(Instant.now())
            .build();
    CompletableFuture<ShadowResponse> answer = waiter.expect(deviceId, request.getRequestId());
    send(
        Topics.SHADOW_REQUESTS.name(),
        deviceId,
        serdes.requests().serializer().serialize(Topics.SHADOW_REQUESTS.name(), request));
    try {
      ShadowResponse response = answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      int status =
          response.getType() == ShadowResponseType.ACCEPTED || response.getCode() == null
              ? 200
              : response.getCode();
      return new Reply(status, response.getPayload());
    } catch (TimeoutException e) {
      answer.cancel(false);
      throw new ApiError(504, "No answer to the update within " + timeout.toMillis() + " ms");
    } catch (ExecutionException e) {
      throw new ApiError(503, "Answers cannot be read: " + e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiError(503, "Interrupted");
    }
  }

  /** Issues a command: {@code {"name":..,"payload":{..}?,"ttlSeconds":n?,"commandId":..?}}. */
  Reply sendCommand(String deviceId, String body) {
    JsonNode json = parse(body);
    if (!json.isObject()) {
      throw new ApiError(400, "The body must be a JSON object");
    }
    JsonNode name = json.path("name");
    if (!name.isTextual() || name.asText().isBlank() || name.asText().length() > 128) {
      throw new ApiError(400, "name must be a non-empty string of at most 128 characters");
    }
    JsonNode payload = json.has("payload") ? json.get("payload") : Json.object();
    if (!payload.isObject()) {
      throw new ApiError(400, "payload must be a JSON object");
    }
    Duration ttl = defaultTtl;
    if (json.has("ttlSeconds")) {
      JsonNode seconds = json.get("ttlSeconds");
      if (!seconds.isIntegralNumber()
          || seconds.asLong() < 1
          || seconds.asLong() > 30L * 24 * 3600) {
        throw new ApiError(400, "ttlSeconds must be a whole number from 1 to 2592000");
      }
      ttl = Duration.ofSeconds(seconds.asLong());
    }
    String commandId = UUID.randomUUID().toString();
    if (json.has("commandId")) {
      try {
        commandId = UUID.fromString(json.get("commandId").asText()).toString();
      } catch (IllegalArgumentException e) {
        throw new ApiError(400, "commandId must be a UUID");
      }
    }
    Instant now = Instant.now();
    Command command =
        Command.newBuilder()
            .setCommandId(commandId)
            .setDeviceId(deviceId)
            .setName(name.asText())
            .setPayload(Json.write(payload))
            .setCreatedAt(now)
            .setExpiresAt(now.plus(ttl))
            .setIssuedBy("rest-api")
            .build();
    send(
        Topics.COMMANDS.name(),
        deviceId,
        serdes.commands().serializer().serialize(Topics.COMMANDS.name(), command));
    ObjectNode out = Json.object();
    out.put("commandId", commandId);
    out.put("deviceId", deviceId);
    out.put("expiresAt", command.getExpiresAt().toString());
    return new Reply(202, Json.write(out));
  }

  private void send(String topic, String key, byte[] value) {
    send(producer, timeout, topic, key, value);
  }

  /** Writes a record and waits until Kafka took it: 503 when it did not within the timeout. */
  static void send(
      Producer<String, byte[]> producer, Duration timeout, String topic, String key, byte[] value) {
    try {
      producer
          .send(new ProducerRecord<>(topic, key, value))
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new ApiError(503, "Kafka did not take the record: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiError(503, "Interrupted");
    }
  }

  private static JsonNode parse(String body) {
    try {
      return Json.parse(body);
    } catch (JsonProcessingException e) {
      throw new ApiError(400, "The body is not valid JSON");
    }
  }
}
