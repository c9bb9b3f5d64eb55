package org.iotbackbone.localstack.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.iotbackbone.servers.launch.Launch;

/**
 * The distributions the local stack runs its services from: {@code
 * <repoRoot>/<module>/target/dist/bin/<module>}, the launcher script {@code ./mvnw package} builds
 * for each deployable. The script takes the arguments of the module's main class and honours {@code
 * JAVA_HOME}, {@code JAVA_OPTS} and the service's environment variables, as a deployment runs it.
 *
 * <p>The repository is the system property {@value #REPO_ROOT_PROPERTY} (the build sets it for the
 * tests), else the directory holding {@code mvnw} above this code's location.
 */
public final class Distributions {

  /** The system property that names the repository's root. */
  public static final String REPO_ROOT_PROPERTY = "iotbackbone.repoRoot";

  /** The modules that have a distribution. */
  public static final List<String> MODULES =
      List.of("ingest-bridge", "streams-app", "device-simulator");

  private final Path repoRoot;

  public Distributions(Path repoRoot) {
    this.repoRoot = repoRoot.toAbsolutePath().normalize();
  }

  /** The distributions of the repository this code runs from. */
  public static Distributions ofThisRepository() {
    String property = System.getProperty(REPO_ROOT_PROPERTY);
    if (property != null && !property.isBlank()) {
      return new Distributions(Path.of(property));
    }
    return new Distributions(repoRootAbove(Launch.codeLocation(Distributions.class)));
  }

  /** The nearest directory holding {@code mvnw} at or above {@code start}. */
  static Path repoRootAbove(Path start) {
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

  public Path repoRoot() {
    return repoRoot;
  }

  /**
   * The launcher script of a module's distribution.
   *
   * @throws IllegalStateException naming the build command when the distribution is not built
   */
  public Path script(String module) {
    if (!MODULES.contains(module)) {
      throw new IllegalArgumentException(
          "no distribution for '" + module + "'; there are " + MODULES);
    }
    Path script = repoRoot.resolve(module).resolve("target/dist/bin").resolve(module);
    if (!Files.isExecutable(script)) {
      throw new IllegalStateException(
          "the "
              + module
              + " distribution is not built: no launcher at "
              + script
              + "; build the distributions with `./mvnw package -DskipTests` in "
              + repoRoot);
    }
    return script;
  }
}
