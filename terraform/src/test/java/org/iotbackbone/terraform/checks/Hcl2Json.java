package org.iotbackbone.terraform.checks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * HashiCorp's HCL2 parser, as npm's {@code @cdktf/hcl2json} ships it (compiled to WebAssembly), run
 * with node: the same parser Terraform uses, with no Terraform providers and no network. Each file
 * comes back as hcl2json's JSON form (blocks as objects of lists, expressions as {@code "${...}"}
 * strings) or as the parser's error.
 *
 * <p>Where the package is looked for: {@code $HCL2JSON_DIR} (the package's directory), {@code
 * /opt/hcl2json/node_modules/@cdktf/hcl2json} (where {@code .ci/run} installs it), the
 * repository's own {@code node_modules}, then npm's global folder ({@code npm install -g
 * @cdktf/hcl2json}).
 */
final class Hcl2Json {

  /** One file's result: its JSON form, or the parser's error. */
  record Parsed(Path file, JsonNode json, String error) {
    boolean ok() {
      return error == null;
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PACKAGE = "@cdktf/hcl2json";
  private static Optional<Hcl2Json> found;

  private final Path node;
  private final Path packageDir;

  private Hcl2Json(Path node, Path packageDir) {
    this.node = node;
    this.packageDir = packageDir;
  }

  /** The parser, or the calling test skipped (failed in CI) naming what is missing. */
  static Hcl2Json require() {
    Optional<Path> node = onPath("node");
    TestEnvironment.require(
        node.isPresent(), "no node on the PATH: the HCL2 checks run npm's " + PACKAGE + " with it");
    String env = System.getenv("HCL2JSON_DIR");
    TestEnvironment.require(
        env == null || env.isBlank() || Files.isRegularFile(Path.of(env, "package.json")),
        "HCL2JSON_DIR="
            + env
            + " is not the @cdktf/hcl2json package's directory (no package.json)");
    Optional<Hcl2Json> parser = find();
    TestEnvironment.require(
        parser.isPresent(),
        "npm's "
            + PACKAGE
            + " not found ($HCL2JSON_DIR, /opt/hcl2json, ./node_modules, npm root -g):"
            + " npm install -g "
            + PACKAGE
            + " (.ci/run installs it)");
    return parser.orElseThrow();
  }

  static synchronized Optional<Hcl2Json> find() {
    if (found == null) {
      found = onPath("node").flatMap(node -> packageDir().map(dir -> new Hcl2Json(node, dir)));
    }
    return found;
  }

  private static Optional<Path> packageDir() {
    List<Path> candidates = new ArrayList<>();
    String env = System.getenv("HCL2JSON_DIR");
    if (env != null && !env.isBlank()) {
      candidates.add(Path.of(env));
    }
    candidates.add(Path.of("/opt/hcl2json/node_modules").resolve(PACKAGE));
    candidates.add(TestEnvironment.repoRoot().resolve("node_modules").resolve(PACKAGE));
    npmGlobalRoot().ifPresent(root -> candidates.add(root.resolve(PACKAGE)));
    return candidates.stream()
        .filter(dir -> Files.isRegularFile(dir.resolve("package.json")))
        .findFirst();
  }

  private static Optional<Path> npmGlobalRoot() {
    Optional<Path> npm = onPath("npm");
    if (npm.isEmpty()) {
      return Optional.empty();
    }
    try {
      Process process =
          new ProcessBuilder(npm.get().toString(), "root", "-g").redirectErrorStream(false).start();
      process.getOutputStream().close();
      String out =
          new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0 || out.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(Path.of(out));
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  static Optional<Path> onPath(String command) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, command);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** Parses every file in one node process; the result keeps the files' order. */
  Map<Path, Parsed> parse(List<Path> files) {
    Map<Path, Parsed> result = new LinkedHashMap<>();
    if (files.isEmpty()) {
      return result;
    }
    List<String> command =
        new ArrayList<>(List.of(node.toString(), script().toString(), packageDir.toString()));
    files.forEach(f -> command.add(f.toAbsolutePath().toString()));
    try {
      Path err = Files.createTempFile("hcl2json", ".err");
      try {
        Process process = new ProcessBuilder(command).redirectError(err.toFile()).start();
        process.getOutputStream().close();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new IllegalStateException("hcl2json did not finish in 120 s");
        }
        if (process.exitValue() != 0) {
          throw new IllegalStateException(
              "hcl2json failed (exit " + process.exitValue() + "): " + Files.readString(err));
        }
        JsonNode all = JSON.readTree(out);
        for (Path file : files) {
          JsonNode entry = all.get(file.toAbsolutePath().toString());
          if (entry == null) {
            throw new IllegalStateException("hcl2json returned nothing for " + file);
          }
          result.put(
              file,
              entry.has("error")
                  ? new Parsed(file, null, entry.get("error").asText())
                  : new Parsed(file, entry.get("json"), null));
        }
        return result;
      } finally {
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static Path script() {
    try {
      return Path.of(Hcl2Json.class.getResource("/hcl2json-parse.js").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
