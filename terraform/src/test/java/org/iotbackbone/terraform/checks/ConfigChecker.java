package org.iotbackbone.terraform.checks;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The offline checks of a Terraform module, what {@code terraform validate} would find without
 * providers and more: every file parses as HCL2; every {@code var.}, {@code local.}, {@code
 * module.}, {@code data.} and resource reference resolves inside the module (a module's outputs in
 * the module it calls); every variable has a type and a description and is used; every output is
 * described; {@code required_version} is set and every provider the module uses is in {@code
 * required_providers} with a source and a pinned version; module sources are local directories that
 * exist, or pinned; a module call passes only the variables the module declares, and every one
 * without a default.
 */
final class ConfigChecker {

  /** An exact version, or {@code ~>} with at least major.minor. */
  static final Pattern PINNED =
      Pattern.compile("^\\s*(=\\s*)?\\d+\\.\\d+\\.\\d+\\s*$|^\\s*~>\\s*\\d+\\.\\d+(\\.\\d+)?\\s*$");

  private static final Set<String> MODULE_META =
      Set.of("source", "version", "providers", "depends_on", "count", "for_each");

  private final Hcl2Json parser;
  private final Map<Path, ConfigDirectory> loaded = new HashMap<>();

  ConfigChecker(Hcl2Json parser) {
    this.parser = parser;
  }

  /** Parses every directory's files in one go (one node process), for the checks that follow. */
  void load(List<Path> dirs) {
    List<Path> files = new ArrayList<>();
    List<Path> pending =
        dirs.stream()
            .map(d -> d.toAbsolutePath().normalize())
            .filter(d -> !loaded.containsKey(d))
            .toList();
    pending.forEach(d -> files.addAll(ConfigDirectory.tfFiles(d)));
    Map<Path, Hcl2Json.Parsed> parsed = parser.parse(files);
    for (Path dir : pending) {
      Map<Path, Hcl2Json.Parsed> own = new LinkedHashMap<>();
      parsed.forEach(
          (file, p) -> {
            if (file.getParent().equals(dir)) {
              own.put(file, p);
            }
          });
      loaded.put(dir, new ConfigDirectory(dir, own));
    }
  }

  ConfigDirectory directory(Path dir) {
    Path key = dir.toAbsolutePath().normalize();
    if (!loaded.containsKey(key)) {
      load(List.of(key));
    }
    return loaded.get(key);
  }

  /**
   * The problems of the module in {@code dir}, each naming the file or directory; empty if none.
   */
  List<String> check(Path dir) {
    ConfigDirectory config = directory(dir);
    List<String> problems = new ArrayList<>();
    String where = dir.toString();
    if (config.files.isEmpty()) {
      problems.add(where + ": no .tf files");
      return problems;
    }
    config.files.values().stream()
        .filter(p -> !p.ok())
        .forEach(p -> problems.add(p.file() + ": does not parse as HCL2: " + p.error()));
    if (!problems.isEmpty()) {
      // What a file that does not parse declares is unknown: checking the rest would only report
      // what follows from its absence.
      return problems;
    }

    checkVariables(config, where, problems);
    checkOutputs(config, where, problems);
    Set<String> providerNames = checkVersions(config, where, problems);
    checkReferences(config, providerNames, where, problems);
    checkModuleCalls(config, where, problems);
    return problems;
  }

  private static void checkVariables(ConfigDirectory config, String where, List<String> problems) {
    config.variables.forEach(
        (name, body) -> {
          if (!body.hasNonNull("type") || body.get("type").asText().isBlank()) {
            problems.add(where + ": variable \"" + name + "\" has no type");
          }
          if (!body.hasNonNull("description") || body.get("description").asText().isBlank()) {
            problems.add(where + ": variable \"" + name + "\" has no description");
          }
        });
  }

  private static void checkOutputs(ConfigDirectory config, String where, List<String> problems) {
    config.outputs.forEach(
        (name, body) -> {
          if (!body.hasNonNull("description") || body.get("description").asText().isBlank()) {
            problems.add(where + ": output \"" + name + "\" has no description");
          }
        });
  }

  /** Returns the provider local names declared in {@code required_providers}. */
  private static Set<String> checkVersions(
      ConfigDirectory config, String where, List<String> problems) {
    List<String> versions = config.requiredVersions();
    if (versions.isEmpty()) {
      problems.add(where + ": no required_version in a terraform block");
    }
    versions.stream()
        .filter(v -> !PINNED.matcher(v).matches())
        .forEach(
            v ->
                problems.add(
                    where
                        + ": required_version \""
                        + v
                        + "\" is not pinned (an exact version, or ~> MAJOR.MINOR)"));

    Map<String, JsonNode> required = config.requiredProviders();
    required.forEach(
        (name, spec) -> {
          if (!spec.isObject() || !spec.hasNonNull("source")) {
            problems.add(where + ": provider \"" + name + "\" has no source in required_providers");
          }
          String version = spec.path("version").asText("");
          if (version.isBlank()) {
            problems.add(
                where + ": provider \"" + name + "\" has no version in required_providers");
          } else if (!PINNED.matcher(version).matches()) {
            problems.add(
                where
                    + ": provider \""
                    + name
                    + "\" is not pinned: version \""
                    + version
                    + "\" (an exact version, or ~> MAJOR.MINOR)");
          }
        });

    Set<String> used = new LinkedHashSet<>();
    config.resources.keySet().forEach(k -> used.add(provider(k)));
    config.data.keySet().forEach(k -> used.add(provider(k)));
    used.addAll(config.providers.keySet());
    used.remove("terraform");
    for (String provider : used) {
      if (!required.containsKey(provider)) {
        problems.add(
            where + ": provider \"" + provider + "\" is used but not in required_providers");
      }
    }
    return required.keySet();
  }

  private static String provider(String typeAndName) {
    String type = typeAndName.substring(0, typeAndName.indexOf('.'));
    int underscore = type.indexOf('_');
    return underscore < 0 ? type : type.substring(0, underscore);
  }

  private void checkReferences(
      ConfigDirectory config, Set<String> providerNames, String where, List<String> problems) {
    Set<String> usedVariables = new HashSet<>();
    Set<String> reported = new HashSet<>();
    BiConsumer<String, JsonNode> scan =
        (context, node) ->
            strings(
                node,
                (text) -> {
                  for (Expressions.Reference ref : Expressions.references(text)) {
                    if (ref.kind().equals("var")) {
                      usedVariables.add(ref.name());
                    }
                    unresolved(config, providerNames, ref)
                        .filter(msg -> reported.add(context + msg))
                        .ifPresent(msg -> problems.add(where + ": " + context + ": " + msg));
                  }
                });
    // A variable's type is a type expression (object({...})), not references.
    config.variables.forEach(
        (n, b) -> {
          com.fasterxml.jackson.databind.node.ObjectNode body = b.deepCopy();
          body.remove("type");
          scan.accept("variable \"" + n + "\"", body);
        });
    config.locals.forEach((n, b) -> scan.accept("local \"" + n + "\"", b));
    config.outputs.forEach((n, b) -> scan.accept("output \"" + n + "\"", b));
    config.modules.forEach((n, b) -> scan.accept("module \"" + n + "\"", b));
    config.data.forEach((n, b) -> scan.accept("data \"" + n + "\"", b));
    config.resources.forEach((n, b) -> scan.accept("resource \"" + n + "\"", b));
    config.providers.forEach((n, b) -> scan.accept("provider \"" + n + "\"", b));
    for (String variable : config.variables.keySet()) {
      if (!usedVariables.contains(variable)) {
        problems.add(where + ": variable \"" + variable + "\" is declared but never used");
      }
    }
  }

  private Optional<String> unresolved(
      ConfigDirectory config, Set<String> providerNames, Expressions.Reference ref) {
    switch (ref.kind()) {
      case "var":
        return config.variables.containsKey(ref.name())
            ? Optional.empty()
            : Optional.of("var." + ref.name() + " is not a declared variable");
      case "local":
        return config.locals.containsKey(ref.name())
            ? Optional.empty()
            : Optional.of("local." + ref.name() + " is not a declared local value");
      case "data":
        return config.data.containsKey(ref.name())
            ? Optional.empty()
            : Optional.of("data." + ref.name() + " is not a declared data source");
      case "module":
        {
          JsonNode call = config.modules.get(ref.name());
          if (call == null) {
            return Optional.of("module." + ref.name() + " is not a declared module call");
          }
          Path child = localSource(config, call);
          if (ref.attribute() != null && child != null && Files.isDirectory(child)) {
            ConfigDirectory module = directory(child);
            if (!module.outputs.containsKey(ref.attribute())) {
              return Optional.of(
                  "module."
                      + ref.name()
                      + "."
                      + ref.attribute()
                      + " is not an output of "
                      + call.path("source").asText());
            }
          }
          return Optional.empty();
        }
      case "resource":
        {
          // Only names whose prefix is a provider of this module are resource types; anything
          // else with an '_' (an iterator, a block's own attribute) is not a resource reference.
          String type = ref.name().substring(0, ref.name().indexOf('.'));
          if (!providerNames.contains(type.substring(0, type.indexOf('_')))) {
            return Optional.empty();
          }
          return config.resources.containsKey(ref.name())
              ? Optional.empty()
              : Optional.of(ref.name() + " is not a declared resource");
        }
      default:
        return Optional.empty();
    }
  }

  private void checkModuleCalls(ConfigDirectory config, String where, List<String> problems) {
    config.modules.forEach(
        (name, call) -> {
          String source = call.path("source").asText("");
          if (source.isEmpty()) {
            problems.add(where + ": module \"" + name + "\" has no source");
            return;
          }
          Path child = localSource(config, call);
          if (child == null) {
            if (!pinnedRemote(source, call)) {
              problems.add(
                  where
                      + ": module \""
                      + name
                      + "\" source \""
                      + source
                      + "\" is neither local nor pinned (a registry module needs an exact version, a git source ?ref=)");
            }
            return;
          }
          if (!Files.isDirectory(child) || ConfigDirectory.tfFiles(child).isEmpty()) {
            problems.add(
                where
                    + ": module \""
                    + name
                    + "\" source \""
                    + source
                    + "\" is not a directory of .tf files");
            return;
          }
          ConfigDirectory module = directory(child);
          call.properties().stream()
              .map(Map.Entry::getKey)
              .forEach(
                  argument -> {
                    if (!MODULE_META.contains(argument)
                        && !module.variables.containsKey(argument)) {
                      problems.add(
                          where
                              + ": module \""
                              + name
                              + "\" passes \""
                              + argument
                              + "\", not a variable of "
                              + source);
                    }
                  });
          module.variables.forEach(
              (variable, body) -> {
                if (!body.has("default") && !call.has(variable)) {
                  problems.add(
                      where
                          + ": module \""
                          + name
                          + "\" does not pass \""
                          + variable
                          + "\", which "
                          + source
                          + " requires (no default)");
                }
              });
        });
  }

  private static Path localSource(ConfigDirectory config, JsonNode call) {
    String source = call.path("source").asText("");
    if (source.startsWith("./") || source.startsWith("../")) {
      return config.dir.resolve(source).toAbsolutePath().normalize();
    }
    return null;
  }

  private static boolean pinnedRemote(String source, JsonNode call) {
    if (source.startsWith("git::") || source.startsWith("github.com/") || source.contains(".git")) {
      return source.matches(".*[?&]ref=[^&]+.*");
    }
    String version = call.path("version").asText("");
    return version.matches("^\\s*=?\\s*\\d+\\.\\d+\\.\\d+\\s*$");
  }

  /** Every string under {@code node} (keys of objects too: hcl2json puts expressions there). */
  private static void strings(JsonNode node, Consumer<String> each) {
    if (node.isTextual()) {
      each.accept(node.asText());
    } else if (node.isArray()) {
      node.forEach(n -> strings(n, each));
    } else if (node.isObject()) {
      node.properties()
          .forEach(
              e -> {
                each.accept(e.getKey());
                strings(e.getValue(), each);
              });
    }
  }
}
