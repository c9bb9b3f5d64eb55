package org.iotbackbone.servers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.iotbackbone.servers.launch.Launch;
import org.iotbackbone.servers.launch.Launched;

/**
 * A service's distribution as {@code ./mvnw package} builds it (the repository's {@code src/dist}):
 * {@code MODULE/target/dist/bin/MODULE}, the launcher, and {@code MODULE/target/dist/lib/}, its
 * class path. The local stack and the distribution tests run the services through it, as an
 * operator does.
 *
 * <p>The launcher takes the service's own arguments and environment; {@code JAVA_HOME} chooses the
 * Java and {@code JAVA_OPTS} carries JVM options ({@link Launch#jvmOptions} sets both).
 *
 * @param module the module's directory name, which is also the launcher's name
 * @param home the distribution's root, holding {@code bin/} and {@code lib/}
 */
public record Distribution(String module, Path home) {

  /** The system property naming the repository's root (the build sets it for the tests). */
  public static final String REPO_ROOT_PROPERTY = "iotbackbone.repoRoot";

  /** The modules that ship a distribution. */
  public static final List<String> MODULES =
      List.of("ingest-bridge", "streams-app", "device-simulator");

  /** The distribution of {@code module} in the repository at {@code repoRoot}. */
  public static Distribution of(Path repoRoot, String module) {
    if (!MODULES.contains(module)) {
      throw new IllegalArgumentException(
          "no distribution for '" + module + "'; there are " + MODULES);
    }
    Path root = repoRoot.toAbsolutePath().normalize();
    return new Distribution(module, root.resolve(module).resolve("target").resolve("dist"));
  }

  /**
   * The root of the repository {@code anchor}'s code was built in: the system property {@value
   * #REPO_ROOT_PROPERTY} when set, else the nearest directory holding {@code mvnw} above the code.
   */
  public static Path repositoryRoot(Class<?> anchor) {
    String property = System.getProperty(REPO_ROOT_PROPERTY);
    if (property != null && !property.isBlank()) {
      return Path.of(property).toAbsolutePath().normalize();
    }
    return repositoryAbove(Launch.codeLocation(anchor));
  }

  /** The nearest directory holding {@code mvnw} at or above {@code start}. */
  static Path repositoryAbove(Path start) {
    for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("mvnw"))) {
        return dir;
      }
    }
    throw new IllegalStateException(
        "cannot find the repository (a directory with mvnw) above "
            + start
            + "; set -D"
            + REPO_ROOT_PROPERTY
            + "=<the repository's root>");
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
              + " distribution is not built: no launcher at "
              + launcher()
              + "; build it with ./mvnw package -DskipTests -pl "
              + module
              + " -am");
    }
    return this;
  }

  /** A launch of the service from this distribution, to be given arguments, options and env. */
  public Launch launch() {
    return Launch.script(requireBuilt().launcher());
  }

  /**
   * Runs the service to its end, for commands that end by themselves ({@code --help}, a refused
   * configuration); it is killed after {@code timeout}.
   *
   * @return its exit code and its standard output and error, interleaved
   */
  public Run run(
      List<String> arguments,
      List<String> jvmOptions,
      Map<String, String> environment,
      Duration timeout) {
    try {
      Path output = Files.createTempFile(module, ".out");
      try {
        Launched process =
            launch()
                .args(arguments)
                .jvmOptions(jvmOptions)
                .env(environment)
                .logFile(output)
                .start();
        if (!process.waitFor(timeout)) {
          process.kill();
          throw new IllegalStateException(launcher() + " did not end within " + timeout);
        }
        return new Run(process.exitValue(), Files.readString(output));
      } finally {
        Files.deleteIfExists(output);
      }
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
