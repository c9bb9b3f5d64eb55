package org.iotbackbone.streamsapp.internal.shadow;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.iotbackbone.schemas.ShadowOperation;
import org.iotbackbone.schemas.ShadowRequest;
import org.iotbackbone.schemas.ShadowResponse;
import org.iotbackbone.schemas.ShadowResponseType;
import org.iotbackbone.streamsapp.internal.json.Json;

/** Builds the messages for a device, with AWS's payloads. */
final class Responses {

  private final ShadowRequest request;
  private final String shadowName;
  private final long nowMs;

  Responses(ShadowRequest request, String shadowName, long nowMs) {
    this.request = request;
    this.shadowName = shadowName;
    this.nowMs = nowMs;
  }

  String deviceId() {
    return request.getDeviceId();
  }

  String shadowName() {
    return shadowName;
  }

  /** Epoch seconds, AWS's unit for {@code timestamp} and metadata. */
  long timestamp() {
    return nowMs / 1000;
  }

  ShadowResponse accepted(ObjectNode payload, Long version, String clientToken) {
    return answer(ShadowResponseType.ACCEPTED, null, finish(payload, clientToken), version);
  }

  ShadowResponse rejected(Rejection rejection, Long version) {
    ObjectNode payload = Json.object();
    payload.put("code", rejection.code());
    payload.put("message", rejection.getMessage());
    return answer(
        ShadowResponseType.REJECTED,
        rejection.code(),
        finish(payload, rejection.clientToken()),
        version);
  }

  /** A notification (delta, documents): no request id or source, always about an update. */
  ShadowResponse notification(
      ShadowResponseType type, ObjectNode payload, long version, String clientToken) {
    return ShadowResponse.newBuilder()
        .setDeviceId(request.getDeviceId())
        .setShadowName(shadowName)
        .setOperation(ShadowOperation.UPDATE)
        .setType(type)
        .setPayload(Json.write(finish(payload, clientToken)))
        .setVersion(version)
        .setCreatedAt(Instant.ofEpochMilli(nowMs))
        .build();
  }

  private ShadowResponse answer(ShadowResponseType type, Integer code, ObjectNode payload, Long v) {
    ShadowOperation operation =
        request.getOperation() == null ? ShadowOperation.UNKNOWN : request.getOperation();
    return ShadowResponse.newBuilder()
        .setDeviceId(request.getDeviceId())
        .setShadowName(shadowName)
        .setOperation(operation)
        .setType(type)
        .setRequestId(request.getRequestId())
        .setSource(request.getSource())
        .setCode(code)
        .setPayload(Json.write(payload))
        .setVersion(v)
        .setCreatedAt(Instant.ofEpochMilli(nowMs))
        .build();
  }

  private ObjectNode finish(ObjectNode payload, String clientToken) {
    payload.put("timestamp", timestamp());
    if (clientToken != null) {
      payload.put("clientToken", clientToken);
    }
    return payload;
  }
}
