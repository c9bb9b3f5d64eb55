package org.iotbackbone.deploy.validation;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One served version of a custom resource: its strict schema (see {@code internal.StrictSchemas})
 * and the validator made from it.
 *
 * @param kind the resource's apiVersion and kind
 * @param strictSchema the strict {@code openAPIV3Schema}, for finding enums to mutate
 * @param source the CRD file it comes from
 */
public record CrdSchema(
    GroupVersionKind kind, ObjectNode strictSchema, Schema validator, String source) {

  /** The schema's complaints about {@code document}, each with the path it is about. */
  public List<String> validate(JsonNode document) {
    List<Error> errors = validator.validate(document);
    return errors.stream().map(e -> e.getInstanceLocation() + ": " + e.getMessage()).toList();
  }
}
