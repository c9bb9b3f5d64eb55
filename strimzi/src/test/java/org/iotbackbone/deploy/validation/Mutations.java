package org.iotbackbone.deploy.validation;

import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Broken copies of valid resources, to show that the validation refuses them: one with a field no
 * schema declares, one with a value outside an enum of its CRD.
 */
public final class Mutations {

  /** The field the unknown-field mutation adds. */
  public static final String UNKNOWN_FIELD = "notAFieldOfThisKind";

  /** The value the bad-enum mutation sets. */
  public static final String BAD_ENUM_VALUE = "not-a-value-of-this-enum";

  /**
   * A broken copy and where it was broken.
   *
   * @param document the copy
   * @param path the JSON pointer of the changed field
   */
  public record Mutation(ObjectNode document, String path) {}

  private Mutations() {}

  /** A copy with an unknown field in {@code spec} (at the top where a kind has no spec). */
  public static Mutation withUnknownField(ObjectNode document) {
    ObjectNode copy = document.deepCopy();
    JsonNode spec = copy.get("spec");
    if (spec != null && spec.isObject()) {
      ((ObjectNode) spec).put(UNKNOWN_FIELD, true);
      return new Mutation(copy, "/spec/" + UNKNOWN_FIELD);
    }
    copy.put(UNKNOWN_FIELD, true);
    return new Mutation(copy, "/" + UNKNOWN_FIELD);
  }

  /**
   * A copy with a bad value in a string enum of {@code schema}: an enum field the document sets,
   * else one added to an object the document has, else one added with the objects that lead to it
   * (never under {@code status}, which a user does not write); empty when the schema has no enum
   * reachable through objects.
   */
  public static Optional<Mutation> withBadEnum(ObjectNode document, JsonNode schema) {
    ObjectNode copy = document.deepCopy();
    Optional<String> path = mutate(copy, schema, "", true);
    if (path.isEmpty()) {
      path = mutate(copy, schema, "", false);
    }
    if (path.isEmpty()) {
      path = create(copy, schema, "", 0);
    }
    return path.map(p -> new Mutation(copy, p));
  }

  /** True when the schema, outside {@code status}, has a string enum reachable through objects. */
  public static boolean hasEnum(JsonNode schema) {
    return create(new ObjectNode(JsonNodeFactory.instance), schema, "", 0).isPresent();
  }

  private static Optional<String> create(
      ObjectNode object, JsonNode schema, String path, int depth) {
    if (depth > 8) {
      return Optional.empty();
    }
    for (Map.Entry<String, JsonNode> property : schema.path("properties").properties()) {
      String key = property.getKey();
      if (depth == 0 && (key.equals("status") || key.equals("metadata"))) {
        continue;
      }
      if (isStringEnum(property.getValue())) {
        object.put(key, BAD_ENUM_VALUE);
        return Optional.of(path + "/" + key);
      }
    }
    for (Map.Entry<String, JsonNode> property : schema.path("properties").properties()) {
      String key = property.getKey();
      JsonNode child = object.get(key);
      if ((depth == 0 && (key.equals("status") || key.equals("metadata")))
          || !property.getValue().path("properties").isObject()
          || (child != null && !child.isObject())) {
        continue;
      }
      ObjectNode target = child == null ? object.objectNode() : (ObjectNode) child;
      Optional<String> found = create(target, property.getValue(), path + "/" + key, depth + 1);
      if (found.isPresent()) {
        object.set(key, target);
        return found;
      }
    }
    return Optional.empty();
  }

  private static Optional<String> mutate(
      JsonNode node, JsonNode schema, String path, boolean onlyPresent) {
    if (node.isArray()) {
      JsonNode items = schema.path("items");
      for (int i = 0; i < node.size(); i++) {
        Optional<String> found = mutate(node.get(i), items, path + "/" + i, onlyPresent);
        if (found.isPresent()) {
          return found;
        }
      }
      return Optional.empty();
    }
    if (!node.isObject() || !schema.path("properties").isObject()) {
      return Optional.empty();
    }
    ObjectNode object = (ObjectNode) node;
    for (Map.Entry<String, JsonNode> property : schema.path("properties").properties()) {
      if (isStringEnum(property.getValue()) && (!onlyPresent || object.has(property.getKey()))) {
        object.put(property.getKey(), BAD_ENUM_VALUE);
        return Optional.of(path + "/" + property.getKey());
      }
    }
    for (Map.Entry<String, JsonNode> property : schema.path("properties").properties()) {
      JsonNode child = object.get(property.getKey());
      if (child != null) {
        Optional<String> found =
            mutate(child, property.getValue(), path + "/" + property.getKey(), onlyPresent);
        if (found.isPresent()) {
          return found;
        }
      }
    }
    return Optional.empty();
  }

  private static boolean isStringEnum(JsonNode schema) {
    JsonNode values = schema.path("enum");
    return values.isArray() && !values.isEmpty() && values.get(0).isString();
  }
}
