package org.iotbackbone.servers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A service's distribution as {@code ./mvnw package} builds it (the root {@code src/dist}): {@code
 * MODULE/target/dist/bin/MODULE}, the launcher, and {@code MODULE/target/dist/lib/}, the class
 * path. The local stack and the distribution tests run services through it, as an operator would.
 *
 * <p>The launcher takes the service's own arguments and environment; {@code JAVA_HOME} chooses the
 * Java and {@code JAVA_OPTS} carries JVM options.
 *
 * @param module the module's directory name, which is also the launcher's name
 * @param home the distribution's root, holding {@code bin/} and {@code lib/}
 */
public record Distribution(String module, Path home) {

  /** The system property naming the repository's root (Maven's test plugins set it). */
  public static final String REPO_ROOT_PROPERTY = "iotbackbone.repoRoot";

  /** The distribution of {@code module} in the repository at {@code repoRoot}. */
  public static Distribution of(Path repoRoot, String module) {
    return new Distribution(module, repoRoot.resolve(module).resolve("target").resolve("dist"));
  }

  /**
   * The distribution of {@code module} in this repository: the root is {@link #REPO_ROOT_PROPERTY}
   * when set, else the nearest directory above the working directory that holds {@code mvnw}.
   */
  public static Distribution inRepository(String module) {
    return of(repositoryRoot(), module);
  }

  /** This repository's root (see {@link #inRepository(String)}). */
  public static Path repositoryRoot() {
    String property = System.getProperty(REPO_ROOT_PROPERTY);
    if (property != null && !property.isBlank()) {
      return Path.of(property).toAbsolutePath().normalize();
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("mvnw"))) {
        return dir;
      }
    }
    throw new IllegalStateException(
        "cannot find the repository's root (no mvnw above "
            + Path.of("").toAbsolutePath()
            + "); set -D"
            + REPO_ROOT_PROPERTY);
  }

  /** The launcher script, {@code bin/MODULE}. */
  public Path launcher() {
    return home.resolve("bin").resolve(module);
  }

  /** The class path directory, {@code lib/}. */
  public Path lib() {
    return home.resolve("lib");
  }

  /**
   * This distribution, after checking that it was built.
   *
   * @throws IllegalStateException naming the command that builds it, when it was not
   */
  public Distribution requireBuilt() {
    if (!Files.isExecutable(launcher()) || !Files.isDirectory(lib())) {
      throw new IllegalStateException(
          "the "
              + module
              + " distribution is not built ("
              + launcher()
              + " is missing): run ./mvnw -q package -DskipTests -pl "
              + module
              + " -am");
    }
    return this;
  }

  /**
   * A process builder that runs the launcher with {@code arguments}, {@code javaOptions} as {@code
   * JAVA_OPTS}, and {@code environment} added to this process's environment.
   */
  public ProcessBuilder command(
      List<String> arguments, String javaOptions, Map<String, String> environment) {
    ProcessBuilder builder = new ProcessBuilder();
    builder.command().add(requireBuilt().launcher().toString());
    builder.command().addAll(arguments);
    builder.environment().putAll(environment);
    builder.environment().put("JAVA_OPTS", javaOptions);
    builder.environment().putIfAbsent("JAVA_HOME", System.getProperty("java.home"));
    return builder;
  }

  /**
   * Runs the launcher to its end, for commands that end by themselves ({@code --help}, a refused
   * configuration); the process is killed after {@code timeout}.
   *
   * @return its exit code and its standard output and error, interleaved
   */
  public Run run(
      List<String> arguments,
      String javaOptions,
      Map<String, String> environment,
      Duration timeout) {
    ProcessBuilder builder = command(arguments, javaOptions, environment).redirectErrorStream(true);
    try {
      Process process = builder.start();
      process.getOutputStream().close();
      // The output is small (usage, one error line), so reading it after the end cannot block.
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(launcher() + " did not end within " + timeout);
      }
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return new Run(process.exitValue(), output);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + launcher(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + launcher(), e);
    }
  }

  /** The end of a {@link #run}: exit code and output. */
  public record Run(int exitCode, String output) {}
}
