package org.iotbackbone.deploy.validation;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Validates one Kubernetes document strictly: a custom resource against its CRD's strict schema, a
 * core object against the Kubernetes model, and the metadata of both as an ObjectMeta. A kind with
 * neither is refused ("no schema for KIND"): a file nothing can check is not accepted.
 */
public final class ResourceValidator {

  private final CrdSchemas crds;

  /** A validator for the custom resources {@code crds} serves and the core kinds. */
  public ResourceValidator(CrdSchemas crds) {
    this.crds = crds;
  }

  /**
   * A validator of the core kinds only, for where the CRDs are not at hand: a custom resource gets
   * its metadata checked, its spec not.
   */
  public static ResourceValidator coreOnly() {
    return new ResourceValidator(null);
  }

  /** Every problem found in {@code document}, each starting with the resource it is about. */
  public List<String> validate(JsonNode document) {
    GroupVersionKind kind = GroupVersionKind.of(document);
    String name = kind.kind() + "/" + document.path("metadata").path("name").asString("?");
    List<String> problems = new ArrayList<>();
    Optional<CrdSchema> crd = crds == null ? Optional.empty() : crds.find(kind);
    Optional<Class<?>> model = CoreModels.modelOf(kind);
    if (crds == null && model.isEmpty()) {
      problems.addAll(CoreModels.validateMetadata(document));
    } else if (crd.isPresent()) {
      problems.addAll(crd.get().validate(document));
      problems.addAll(CoreModels.validateMetadata(document));
    } else if (model.isPresent()) {
      // The model reads metadata as V1ObjectMeta itself; the name check is the extra.
      problems.addAll(CoreModels.validate(document, model.get()));
      problems.addAll(CoreModels.validateMetadata(document));
    } else {
      problems.add("no schema for " + kind);
    }
    return problems.stream().distinct().map(p -> name + ": " + p).toList();
  }
}
