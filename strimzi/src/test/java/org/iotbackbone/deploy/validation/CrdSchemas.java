package org.iotbackbone.deploy.validation;

import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.iotbackbone.deploy.validation.internal.StrictSchemas;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The strict schemas of every served version of every CRD under a folder (the operators' CRDs, see
 * strimzi/README.md), keyed by apiVersion and kind. How the strict schema is made is in {@code
 * internal.StrictSchemas}; they are validated with the OpenAPI 3.0 dialect, the one {@code
 * openAPIV3Schema} is written in ({@code nullable}, no {@code $schema}).
 */
public final class CrdSchemas {

  private static final Map<Path, CrdSchemas> CACHE = new ConcurrentHashMap<>();

  private final Map<GroupVersionKind, CrdSchema> schemas;

  private CrdSchemas(Map<GroupVersionKind, CrdSchema> schemas) {
    this.schemas = schemas;
  }

  /** The schemas of {@code dir}, loaded once per test JVM. */
  public static CrdSchemas cached(Path dir) {
    return CACHE.computeIfAbsent(dir.toAbsolutePath().normalize(), CrdSchemas::load);
  }

  /** Loads every {@code CustomResourceDefinition} in the YAML files under {@code dir}. */
  public static CrdSchemas load(Path dir) {
    SchemaRegistry registry = SchemaRegistry.withDefaultDialect(Dialects.getOpenApi30());
    Map<GroupVersionKind, CrdSchema> schemas =
        new TreeMap<>((a, b) -> a.toString().compareTo(b.toString()));
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.filter(CrdSchemas::isYaml).sorted().toList()) {
        for (ObjectNode document : Yaml.readAll(file)) {
          if ("CustomResourceDefinition".equals(document.path("kind").asString(""))) {
            addServedVersions(registry, document, dir.relativize(file).toString(), schemas);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (schemas.isEmpty()) {
      throw new IllegalStateException("no CustomResourceDefinition under " + dir);
    }
    return new CrdSchemas(schemas);
  }

  private static void addServedVersions(
      SchemaRegistry registry,
      JsonNode crd,
      String source,
      Map<GroupVersionKind, CrdSchema> schemas) {
    JsonNode spec = crd.path("spec");
    String group = spec.path("group").asString();
    String kind = spec.path("names").path("kind").asString();
    for (JsonNode version : spec.path("versions")) {
      if (!version.path("served").asBoolean(false)) {
        continue; // the API server refuses resources of versions it does not serve
      }
      JsonNode schema = version.path("schema").path("openAPIV3Schema");
      if (!schema.isObject()) {
        throw new IllegalStateException(source + ": no openAPIV3Schema for " + kind);
      }
      GroupVersionKind gvk =
          new GroupVersionKind(group + "/" + version.path("name").asString(), kind);
      ObjectNode strict = StrictSchemas.strict(schema);
      schemas.put(gvk, new CrdSchema(gvk, strict, registry.getSchema(strict), source));
    }
  }

  private static boolean isYaml(Path file) {
    String name = file.getFileName().toString();
    return Files.isRegularFile(file) && (name.endsWith(".yaml") || name.endsWith(".yml"));
  }

  /** The schema of a custom resource's apiVersion and kind, if a CRD serves it. */
  public Optional<CrdSchema> find(GroupVersionKind kind) {
    return Optional.ofNullable(schemas.get(kind));
  }

  /** Every apiVersion and kind served. */
  public Set<GroupVersionKind> kinds() {
    return schemas.keySet();
  }
}
