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

  /**
   * Desired and reported as compact JSON text (null when empty), written once for both the size
   * check and the stored document: writing them twice was a third of an update's JSON text (issue
   * 22).
   */
  Text text() {
    return new Text(
        desired.isEmpty() ? null : Json.write(desired),
        reported.isEmpty() ? null : Json.write(reported));
  }

  /**
   * The shadow as stored, with the text of {@link #text()} and its delta ({@link #delta()}), taken
   * after the last change.
   */
  ShadowDocument toDocument(Text text, ObjectNode delta) {
    ObjectNode metadata = metadata();
    return ShadowDocument.newBuilder()
        .setDesired(text.desired())
        .setReported(text.reported())
        .setDelta(delta.isEmpty() ? null : Json.write(delta))
        .setMetadata(metadata.isEmpty() ? null : Json.write(metadata))
        .setVersion(version)
        .setUpdatedAt(java.time.Instant.ofEpochMilli(updatedAt))
        .build();
  }

  /** The state sections' compact text: null for an empty section. */
  record Text(String desired, String reported) {

    /** The size that counts against the limit: desired plus reported, in UTF-8 bytes. */
    int stateBytes() {
      return Json.utf8Length(desired) + Json.utf8Length(reported);
    }
  }

  private static ObjectNode objectOrEmpty(String json) {
    return json == null ? Json.object() : Json.parseObject(json);
  }

  private static ObjectNode child(ObjectNode parent, String name) {
    return parent.get(name) instanceof ObjectNode node ? node : Json.object();
  }
}
