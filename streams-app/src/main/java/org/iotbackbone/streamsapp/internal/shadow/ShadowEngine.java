package org.iotbackbone.streamsapp.internal.shadow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.iotbackbone.schemas.DeviceShadow;
import org.iotbackbone.schemas.ShadowDocument;
import org.iotbackbone.schemas.ShadowOperation;
import org.iotbackbone.schemas.ShadowRequest;
import org.iotbackbone.schemas.ShadowResponse;
import org.iotbackbone.schemas.ShadowResponseType;
import org.iotbackbone.streamsapp.ShadowLimits;
import org.iotbackbone.streamsapp.internal.json.Json;
import org.iotbackbone.streamsapp.internal.json.JsonTrees;

/**
 * The shadow semantics of docs/design.md as a pure function: a device's record and one request in,
 * the record after it and the messages for the device out. No Kafka in here.
 */
public final class ShadowEngine {

  private static final Pattern SHADOW_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  private final ShadowLimits limits;
  private final RequestParser parser;

  public ShadowEngine(ShadowLimits limits) {
    this.limits = limits;
    this.parser = new RequestParser(limits);
  }

  /**
   * Applies a request.
   *
   * @param current the device's record, or null when it has none
   * @param limiter the in-flight count of the task (429)
   * @param nowMs the processing time, for metadata and timestamps
   */
  public Outcome apply(
      DeviceShadow current, ShadowRequest request, InFlightLimiter limiter, long nowMs) {
    return apply(current, request, limiter, null, nowMs);
  }

  /**
   * Applies a request, answering a redelivered one (same shadow, clientToken and body as one
   * accepted within the window of {@code tokens}) with its first answer instead.
   *
   * @param tokens the device's recent clientTokens, changed here when a request is accepted; null
   *     to apply every request
   */
  public Outcome apply(
      DeviceShadow current,
      ShadowRequest request,
      InFlightLimiter limiter,
      RecentTokens tokens,
      long nowMs) {
    String name = request.getShadowName();
    Responses responses = new Responses(request, name, nowMs);
    Shadow before = find(current, name);
    Long versionBefore = before == null ? null : before.version;
    try {
      if (name != null && !SHADOW_NAME.matcher(name).matches()) {
        throw new Rejection(Rejection.BAD_REQUEST, "Invalid shadow name");
      }
      ShadowOperation operation = request.getOperation();
      if (operation == null || operation == ShadowOperation.UNKNOWN) {
        throw new Rejection(Rejection.BAD_REQUEST, "Unsupported operation");
      }
      ParsedRequest parsed = parser.parse(operation, request.getDocument());
      boolean remembers =
          tokens != null && parsed.clientToken() != null && operation != ShadowOperation.GET;
      long receivedAt = request.getRequestedAt().toEpochMilli();
      String shadowKey = name == null ? "" : name;
      if (remembers) {
        RecentTokens.Entry first =
            tokens.find(shadowKey, parsed.clientToken(), request.getDocument(), receivedAt);
        if (first != null) {
          return Outcome.unchanged(current, List.of(replay(request, name, parsed, first)));
        }
      }
      if (!limiter.tryAcquire(request.getDeviceId(), request.getRequestedAt().toEpochMilli())) {
        throw new Rejection(Rejection.TOO_MANY_REQUESTS, "Too many requests", parsed.clientToken());
      }
      Outcome outcome =
          switch (operation) {
            case UPDATE -> update(current, before, parsed, responses, nowMs);
            case GET -> get(current, before, parsed, responses);
            case DELETE -> delete(current, before, parsed, responses, nowMs);
            default -> throw new IllegalStateException("unreachable: " + operation);
          };
      if (remembers) {
        // Only what was accepted: a rejected request changed nothing and is decided again.
        tokens.remember(
            shadowKey,
            parsed.clientToken(),
            request.getDocument(),
            operation == ShadowOperation.UPDATE
                ? outcome.responses().get(0).getVersion()
                : versionBefore,
            nowMs,
            receivedAt);
      }
      return outcome;
    } catch (Rejection rejection) {
      return Outcome.unchanged(current, List.of(responses.rejected(rejection, versionBefore)));
    }
  }

  /**
   * The first answer again, for this (redelivered) request: the accepted document as it was, with
   * its version and timestamp; no documents or delta message, which went out the first time.
   */
  private static ShadowResponse replay(
      ShadowRequest request, String name, ParsedRequest parsed, RecentTokens.Entry first) {
    Responses then = new Responses(request, name, first.answeredAtMs());
    ObjectNode payload = Json.object();
    if (request.getOperation() == ShadowOperation.UPDATE) {
      ObjectNode state = parsed.stateEcho();
      payload.set("state", state);
      payload.set("metadata", stampsOf(state, then.timestamp()));
      payload.put("version", first.version());
      return then.accepted(payload, first.version(), parsed.clientToken());
    }
    if (first.version() != null) {
      payload.put("version", first.version());
    }
    return then.accepted(payload, null, parsed.clientToken());
  }

  private Outcome update(
      DeviceShadow current, Shadow before, ParsedRequest parsed, Responses out, long nowMs) {
    long version = before == null ? 0 : before.version;
    checkVersion(parsed, version);
    Shadow after = before == null ? new Shadow() : before.copy();
    long ts = out.timestamp();
    applySection(parsed.desired(), after.desired, after.desiredMetadata, ts);
    if (parsed.desired() instanceof NullNode) {
      after.desired = Json.object();
      after.desiredMetadata = Json.object();
    }
    applySection(parsed.reported(), after.reported, after.reportedMetadata, ts);
    if (parsed.reported() instanceof NullNode) {
      after.reported = Json.object();
      after.reportedMetadata = Json.object();
    }
    Shadow.Text text = after.text();
    if (text.stateBytes() > limits.maxDocumentBytes()) {
      throw new Rejection(
          Rejection.PAYLOAD_TOO_LARGE,
          "The payload exceeds the maximum size allowed (" + limits.maxDocumentBytes() + " bytes)",
          parsed.clientToken());
    }
    if (before == null
        && out.shadowName() != null
        && namedCount(current) >= limits.maxNamedShadows()) {
      throw new Rejection(
          Rejection.BAD_REQUEST,
          "The device has the maximum number of named shadows ("
              + limits.maxNamedShadows()
              + "); delete one first",
          parsed.clientToken());
    }
    after.version = version + 1;
    after.updatedAt = nowMs;

    List<ShadowResponse> responses = new ArrayList<>();
    ObjectNode accepted = Json.object();
    ObjectNode state = parsed.stateEcho();
    accepted.set("state", state);
    accepted.set("metadata", stampsOf(state, ts));
    accepted.put("version", after.version);
    responses.add(out.accepted(accepted, after.version, parsed.clientToken()));

    ObjectNode documents = Json.object();
    documents.set("previous", before == null ? NullNode.getInstance() : snapshot(before));
    documents.set("current", snapshot(after));
    responses.add(
        out.notification(
            ShadowResponseType.DOCUMENTS, documents, after.version, parsed.clientToken()));

    // A delta goes to the device only when the update changed it and there is one.
    ObjectNode deltaBefore = before == null ? Json.object() : before.delta();
    ObjectNode deltaAfter = after.delta();
    if (!deltaAfter.isEmpty() && !deltaAfter.equals(deltaBefore)) {
      ObjectNode delta = Json.object();
      delta.set("state", deltaAfter);
      delta.set("metadata", JsonTrees.project(after.desiredMetadata, deltaAfter));
      delta.put("version", after.version);
      responses.add(
          out.notification(ShadowResponseType.DELTA, delta, after.version, parsed.clientToken()));
    }
    DeviceShadow next = withShadow(current, out, after.toDocument(text, deltaAfter), nowMs);
    // The whole record must fit the changelog and ScyllaDB: one record, all of a device's shadows.
    if (!DeviceSizes.fits(next, limits.maxDeviceBytes())) {
      throw new Rejection(
          Rejection.PAYLOAD_TOO_LARGE,
          "The device's shadows would exceed the maximum size allowed ("
              + limits.maxDeviceBytes()
              + " bytes with metadata, all shadows together)",
          parsed.clientToken());
    }
    return new Outcome(true, next, responses);
  }

  private Outcome get(DeviceShadow current, Shadow before, ParsedRequest parsed, Responses out) {
    if (before == null) {
      throw notFound(parsed, out);
    }
    ObjectNode payload = Json.object();
    payload.set("state", before.state(true));
    payload.set("metadata", before.metadata());
    payload.put("version", before.version);
    return Outcome.unchanged(
        current, List.of(out.accepted(payload, before.version, parsed.clientToken())));
  }

  private Outcome delete(
      DeviceShadow current, Shadow before, ParsedRequest parsed, Responses out, long nowMs) {
    if (before == null) {
      throw notFound(parsed, out);
    }
    checkVersion(parsed, before.version);
    ObjectNode payload = Json.object();
    payload.put("version", before.version);
    DeviceShadow next = withShadow(current, out, null, nowMs);
    return new Outcome(true, next, List.of(out.accepted(payload, null, parsed.clientToken())));
  }

  private static void checkVersion(ParsedRequest parsed, long version) {
    if (parsed.version() != null && parsed.version() != version) {
      throw new Rejection(Rejection.CONFLICT, "Version conflict", parsed.clientToken());
    }
  }

  private static Rejection notFound(ParsedRequest parsed, Responses out) {
    // AWS names the thing for the classic shadow and the shadow for a named one.
    String name = out.shadowName() == null ? out.deviceId() : out.shadowName();
    return new Rejection(
        Rejection.NOT_FOUND, "No shadow exists with name: '" + name + "'", parsed.clientToken());
  }

  private static void applySection(JsonNode patch, ObjectNode target, ObjectNode meta, long ts) {
    if (patch instanceof ObjectNode object) {
      JsonTrees.merge(target, meta, object, ts);
    }
  }

  private static ObjectNode stampsOf(ObjectNode state, long ts) {
    ObjectNode metadata = Json.object();
    for (Map.Entry<String, JsonNode> section : state.properties()) {
      if (section.getValue() instanceof ObjectNode object) {
        metadata.set(section.getKey(), JsonTrees.stamps(object, ts));
      }
    }
    return metadata;
  }

  private static ObjectNode snapshot(Shadow shadow) {
    ObjectNode snapshot = Json.object();
    snapshot.set("state", shadow.state(false));
    snapshot.set("metadata", shadow.metadata());
    snapshot.put("version", shadow.version);
    return snapshot;
  }

  private static int namedCount(DeviceShadow current) {
    return current == null ? 0 : current.getNamed().size();
  }

  private static Shadow find(DeviceShadow current, String name) {
    if (current == null) {
      return null;
    }
    ShadowDocument document = name == null ? current.getClassic() : current.getNamed().get(name);
    return document == null ? null : Shadow.from(document);
  }

  /**
   * The record with one shadow replaced (or removed, when {@code document} is null); null when that
   * leaves the device without any shadow, which becomes a tombstone.
   */
  private static DeviceShadow withShadow(
      DeviceShadow current, Responses out, ShadowDocument document, long nowMs) {
    String name = out.shadowName();
    ShadowDocument classic = current == null ? null : current.getClassic();
    Map<String, ShadowDocument> named =
        new HashMap<>(current == null ? Map.of() : current.getNamed());
    if (name == null) {
      classic = document;
    } else if (document == null) {
      named.remove(name);
    } else {
      named.put(name, document);
    }
    if (classic == null && named.isEmpty()) {
      return null;
    }
    return DeviceShadow.newBuilder()
        .setDeviceId(out.deviceId())
        .setClassic(classic)
        .setNamed(named)
        .setPresence(current == null ? null : current.getPresence())
        .setRevision(current == null ? 1 : current.getRevision() + 1)
        .setUpdatedAt(Instant.ofEpochMilli(nowMs))
        .build();
  }
}
