package org.iotbackbone.deploy.validation;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Where the tests find the repository and the operators' CRDs, and how a missing prerequisite is
 * treated: skipped with its reason on a developer's machine, a failure in CI (env {@code CI=true}),
 * so that CI cannot pass by validating nothing.
 */
public final class TestEnvironment {

  private TestEnvironment() {}

  /** The repository's root (surefire's {@code iotbackbone.repoRoot}). */
  public static Path repoRoot() {
    String root = System.getProperty("iotbackbone.repoRoot");
    return root == null ? Path.of("..").toAbsolutePath().normalize() : Path.of(root);
  }

  /** The {@code strimzi/} directory of the repository. */
  public static Path strimziDir() {
    return repoRoot().resolve("strimzi");
  }

  /**
   * The CRD folder: {@code iotbackbone.crdsDir} (the pom's {@code crds.dir}, by default {@code
   * <repoRoot>/../shared/crds}).
   */
  public static Path crdsDir() {
    String dir = System.getProperty("iotbackbone.crdsDir");
    return (dir == null ? repoRoot().resolve("../shared/crds") : Path.of(dir)).normalize();
  }

  /** True when running in CI, where nothing may be skipped. */
  public static boolean isCi() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  /** Skips the calling test with {@code reason} unless {@code condition}; in CI it fails. */
  public static void require(boolean condition, String reason) {
    if (condition) {
      return;
    }
    if (isCi()) {
      Assertions.fail(reason + " (CI=true: nothing may be skipped)");
    }
    Assumptions.abort(reason);
  }

  /** The CRDs, or the calling test skipped (failed in CI) when their folder is missing. */
  public static CrdSchemas crdSchemas() {
    Path dir = crdsDir();
    require(
        Files.isDirectory(dir),
        "no CRD folder at "
            + dir
            + " (the operators' CRDs, see strimzi/README.md; set -Dcrds.dir=...)");
    return CrdSchemas.cached(dir);
  }
}
