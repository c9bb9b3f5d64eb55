package org.iotbackbone.deploy.validation.internal;

import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns a CRD's structural {@code openAPIV3Schema} into the strict schema the API server in effect
 * applies: the API server prunes (with {@code kubectl apply --validate=strict}, refuses) fields a
 * schema does not declare, while plain JSON Schema allows them. So every object that declares
 * {@code properties} is closed with {@code additionalProperties: false}, unless it keeps unknown
 * fields ({@code x-kubernetes-preserve-unknown-fields}). Schemas under {@code oneOf}/{@code
 * anyOf}/{@code allOf}/{@code not} are left alone: in a structural schema they only constrain
 * values the enclosing schema already declares, and closing them would refuse valid objects. {@code
 * x-kubernetes-int-or-string} values have no JSON type, so their {@code type} is dropped.
 */
public final class StrictSchemas {

  private StrictSchemas() {}

  /** A strict copy of {@code schema}; the argument is not changed. */
  public static ObjectNode strict(JsonNode schema) {
    ObjectNode copy = (ObjectNode) schema.deepCopy();
    close(copy);
    return copy;
  }

  private static void close(ObjectNode schema) {
    if (schema.path("x-kubernetes-int-or-string").asBoolean(false)) {
      schema.remove("type");
    }
    boolean keepsUnknown = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
    JsonNode properties = schema.get("properties");
    if (properties != null && properties.isObject()) {
      if (!keepsUnknown && !schema.has("additionalProperties")) {
        schema.put("additionalProperties", false);
      }
      for (Map.Entry<String, JsonNode> property : properties.properties()) {
        closeIfObject(property.getValue());
      }
    }
    JsonNode items = schema.get("items");
    if (items != null && items.isArray()) {
      items.values().forEach(StrictSchemas::closeIfObject);
    } else {
      closeIfObject(items);
    }
    closeIfObject(schema.get("additionalProperties"));
    // oneOf/anyOf/allOf/not: deliberately not descended into (see the class comment).
  }

  private static void closeIfObject(JsonNode node) {
    if (node != null && node.isObject()) {
      close((ObjectNode) node);
    }
  }
}
