package org.iotbackbone.streamsapp.internal.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/**
 * The tree operations of shadow semantics: JSON merge with per-leaf metadata, the recursive delta,
 * nesting depth. Pure functions over Jackson trees; the inputs given as patches are never changed.
 */
public final class JsonTrees {

  private JsonTrees() {}

  /**
   * Merges {@code patch} into {@code target}: objects merge, arrays and scalars replace, {@code
   * null} deletes the key. {@code metadata} mirrors {@code target} and gets {@code {"timestamp":
   * ts}} on every leaf the patch sets (and loses the keys the patch deletes).
   */
  public static void merge(ObjectNode target, ObjectNode metadata, ObjectNode patch, long ts) {
    for (Map.Entry<String, JsonNode> field : patch.properties()) {
      String key = field.getKey();
      JsonNode value = field.getValue();
      if (value.isNull()) {
        target.remove(key);
        metadata.remove(key);
      } else if (value.isObject()) {
        JsonNode existing = target.get(key);
        ObjectNode child = existing != null && existing.isObject() ? (ObjectNode) existing : null;
        JsonNode existingMeta = metadata.get(key);
        ObjectNode childMeta =
            child != null && existingMeta != null && existingMeta.isObject()
                ? (ObjectNode) existingMeta
                : null;
        if (child == null) {
          child = target.putObject(key);
        }
        if (childMeta == null || isLeafMetadata(childMeta)) {
          childMeta = metadata.putObject(key);
        }
        merge(child, childMeta, (ObjectNode) value, ts);
      } else {
        target.set(key, value.deepCopy());
        metadata.set(key, timestamp(ts));
      }
    }
  }

  /** The metadata an update's own state gets: {@code {"timestamp": ts}} on each of its leaves. */
  public static ObjectNode stamps(ObjectNode patch, long ts) {
    ObjectNode out = Json.object();
    for (Map.Entry<String, JsonNode> field : patch.properties()) {
      JsonNode value = field.getValue();
      out.set(field.getKey(), value.isObject() ? stamps((ObjectNode) value, ts) : timestamp(ts));
    }
    return out;
  }

  /**
   * The desired leaves whose value differs from reported, recursively; objects that end up empty
   * are left out.
   *
   * @param reported may be null (nothing reported)
   */
  public static ObjectNode delta(ObjectNode desired, ObjectNode reported) {
    ObjectNode out = Json.object();
    for (Map.Entry<String, JsonNode> field : desired.properties()) {
      String key = field.getKey();
      JsonNode want = field.getValue();
      JsonNode have = reported == null ? null : reported.get(key);
      if (want.isObject()) {
        ObjectNode sub =
            delta((ObjectNode) want, have != null && have.isObject() ? (ObjectNode) have : null);
        if (!sub.isEmpty()) {
          out.set(key, sub);
        }
      } else if (!want.equals(have)) {
        out.set(key, want.deepCopy());
      }
    }
    return out;
  }

  /** The part of {@code metadata} that mirrors the keys of {@code shape}. */
  public static ObjectNode project(ObjectNode metadata, ObjectNode shape) {
    ObjectNode out = Json.object();
    for (Map.Entry<String, JsonNode> field : shape.properties()) {
      JsonNode meta = metadata.get(field.getKey());
      if (meta == null) {
        continue;
      }
      if (field.getValue().isObject() && meta.isObject() && !isLeafMetadata(meta)) {
        out.set(field.getKey(), project((ObjectNode) meta, (ObjectNode) field.getValue()));
      } else {
        out.set(field.getKey(), meta.deepCopy());
      }
    }
    return out;
  }

  /**
   * The nesting depth of a section: {@code {"a":1}} is 1, {@code {"a":{"b":1}}} is 2; an object
   * inside an array counts as a level too.
   */
  public static int depth(JsonNode node) {
    int max = 0;
    if (node.isObject() || node.isArray()) {
      Iterator<JsonNode> children = node.elements();
      while (children.hasNext()) {
        JsonNode child = children.next();
        max = Math.max(max, child.isContainerNode() ? depth(child) : 0);
      }
      return node.isObject() ? max + 1 : max;
    }
    return 0;
  }

  /** A leaf's metadata is {@code {"timestamp": n}}; an object's mirrors its keys. */
  private static boolean isLeafMetadata(JsonNode meta) {
    JsonNode ts = meta.get("timestamp");
    return meta.size() == 1 && ts != null && ts.isNumber();
  }

  private static ObjectNode timestamp(long ts) {
    ObjectNode node = Json.object();
    node.put("timestamp", ts);
    return node;
  }
}
