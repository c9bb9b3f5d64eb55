package org.iotbackbone.terraform.checks;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One Terraform module (a directory's {@code *.tf} files, as Terraform reads them) in hcl2json's
 * form, with what it declares: variables, locals, outputs, module calls, data sources, resources,
 * the {@code terraform} blocks and the providers it configures.
 */
final class ConfigDirectory {

  final Path dir;
  final Map<Path, Hcl2Json.Parsed> files;
  final Map<String, JsonNode> variables = new LinkedHashMap<>();
  final Map<String, JsonNode> locals = new LinkedHashMap<>();
  final Map<String, JsonNode> outputs = new LinkedHashMap<>();
  final Map<String, JsonNode> modules = new LinkedHashMap<>();
  final Map<String, JsonNode> data = new LinkedHashMap<>();
  final Map<String, JsonNode> resources = new LinkedHashMap<>();
  final Map<String, JsonNode> providers = new LinkedHashMap<>();
  final List<JsonNode> terraformBlocks = new ArrayList<>();

  ConfigDirectory(Path dir, Map<Path, Hcl2Json.Parsed> files) {
    this.dir = dir;
    this.files = files;
    for (Hcl2Json.Parsed parsed : files.values()) {
      if (!parsed.ok()) {
        continue;
      }
      JsonNode json = parsed.json();
      named(json.path("variable"), variables);
      named(json.path("output"), outputs);
      named(json.path("module"), modules);
      named(json.path("provider"), providers);
      typed(json.path("resource"), resources);
      typed(json.path("data"), data);
      for (JsonNode block : json.path("locals")) {
        block.properties().forEach(e -> locals.put(e.getKey(), e.getValue()));
      }
      json.path("terraform").forEach(terraformBlocks::add);
    }
  }

  /** The {@code *.tf} files of {@code dir} (not its subdirectories), sorted. */
  static List<Path> tfFiles(Path dir) {
    try (Stream<Path> list = Files.list(dir)) {
      return list.filter(p -> p.getFileName().toString().endsWith(".tf"))
          .filter(Files::isRegularFile)
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code required_providers}: local name to its {@code {source, version}} object. */
  Map<String, JsonNode> requiredProviders() {
    Map<String, JsonNode> required = new LinkedHashMap<>();
    for (JsonNode block : terraformBlocks) {
      for (JsonNode entry : block.path("required_providers")) {
        entry.properties().forEach(e -> required.put(e.getKey(), e.getValue()));
      }
    }
    return required;
  }

  /** Every value of {@code required_version} in the {@code terraform} blocks. */
  List<String> requiredVersions() {
    List<String> versions = new ArrayList<>();
    for (JsonNode block : terraformBlocks) {
      if (block.has("required_version")) {
        versions.add(block.get("required_version").asText());
      }
    }
    return versions;
  }

  private static void named(JsonNode byName, Map<String, JsonNode> into) {
    byName
        .properties()
        .forEach(
            e -> into.put(e.getKey(), e.getValue().isArray() ? e.getValue().get(0) : e.getValue()));
  }

  private static void typed(JsonNode byType, Map<String, JsonNode> into) {
    byType
        .properties()
        .forEach(
            type ->
                type.getValue()
                    .properties()
                    .forEach(
                        name ->
                            into.put(
                                type.getKey() + "." + name.getKey(),
                                name.getValue().isArray()
                                    ? name.getValue().get(0)
                                    : name.getValue())));
  }
}
