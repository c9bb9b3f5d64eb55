package org.iotbackbone.streamsapp.internal.shadow;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.iotbackbone.schemas.ShadowDocument;
import org.iotbackbone.streamsapp.internal.json.Json;
import org.iotbackbone.streamsapp.internal.json.JsonTrees;

/** One shadow as JSON trees, to be changed by an update and written back as a ShadowDocument. */
final class Shadow {

  ObjectNode desired = Json.object();
  ObjectNode reported = Json.object();
  ObjectNode desiredMetadata = Json.object();
  ObjectNode reportedMetadata = Json.object();
  long version;
  long updatedAt;

  static Shadow from(ShadowDocument document) {
    Shadow shadow = new Shadow();
    shadow.desired = objectOrEmpty(document.getDesired());
    shadow.reported = objectOrEmpty(document.getReported());
    if (document.getMetadata() != null) {
      ObjectNode metadata = Json.parseObject(document.getMetadata());
      shadow.desiredMetadata = child(metadata, "desired");
      shadow.reportedMetadata = child(metadata, "reported");
    }
    shadow.version = document.getVersion();
    shadow.updatedAt = document.getUpdatedAt().toEpochMilli();
    return shadow;
  }

  Shadow copy() {
    Shadow copy = new Shadow();
    copy.desired = desired.deepCopy();
    copy.reported = reported.deepCopy();
    copy.desiredMetadata = desiredMetadata.deepCopy();
    copy.reportedMetadata = reportedMetadata.deepCopy();
    copy.version = version;
    copy.updatedAt = updatedAt;
    return copy;
  }

  ObjectNode delta() {
    return JsonTrees.delta(desired, reported);
  }

  /** {@code {"desired":..,"reported":..}}, leaving out empty sections, with the delta if asked. */
  ObjectNode state(boolean withDelta) {
    ObjectNode state = Json.object();
    if (!desired.isEmpty()) {
      state.set("desired", desired.deepCopy());
    }
    if (!reported.isEmpty()) {
      state.set("reported", reported.deepCopy());
    }
    if (withDelta) {
      ObjectNode delta = delta();
      if (!delta.isEmpty()) {
        state.set("delta", delta);
      }
    }
    return state;
  }

  ObjectNode metadata() {
    ObjectNode metadata = Json.object();
    if (!desiredMetadata.isEmpty()) {
      metadata.set("desired", desiredMetadata.deepCopy());
    }
    if (!reportedMetadata.isEmpty()) {
      metadata.set("reported", reportedMetadata.deepCopy());
    }
    return metadata;
  }

  /** The size that counts against the limit: desired plus reported, compact UTF-8. */
  int stateBytes() {
    return (desired.isEmpty() ? 0 : Json.utf8Size(desired))
        + (reported.isEmpty() ? 0 : Json.utf8Size(reported));
  }

  ShadowDocument toDocument() {
    ObjectNode delta = delta();
    ObjectNode metadata = metadata();
    return ShadowDocument.newBuilder()
        .setDesired(desired.isEmpty() ? null : Json.write(desired))
        .setReported(reported.isEmpty() ? null : Json.write(reported))
        .setDelta(delta.isEmpty() ? null : Json.write(delta))
        .setMetadata(metadata.isEmpty() ? null : Json.write(metadata))
        .setVersion(version)
        .setUpdatedAt(java.time.Instant.ofEpochMilli(updatedAt))
        .build();
  }

  private static ObjectNode objectOrEmpty(String json) {
    return json == null ? Json.object() : Json.parseObject(json);
  }

  private static ObjectNode child(ObjectNode parent, String name) {
    return parent.get(name) instanceof ObjectNode node ? node : Json.object();
  }
}
