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
   * The CRD folder: {@code iotbackbone.crdsDir} (the pom's {@code crds.dir}) when set, else the
   * nearest {@code shared/crds} beside the repository or beside one of its parent directories (the
   * project's setup keeps them in {@code ../shared/crds}; a CI checkout may sit deeper).
   */
  public static Path crdsDir() {
    String dir = System.getProperty("iotbackbone.crdsDir");
    if (dir != null && !dir.isBlank()) {
      return Path.of(dir).toAbsolutePath().normalize();
    }
    for (Path parent = repoRoot().toAbsolutePath().normalize().getParent();
        parent != null;
        parent = parent.getParent()) {
      Path candidate = parent.resolve("shared").resolve("crds");
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    return repoRoot().resolve("../shared/crds").toAbsolutePath().normalize();
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

  /**
   * The CRDs, or the calling test skipped when their folder is missing. Unlike the other
   * prerequisites this skips in CI too: the CRDs are not in the repository but beside it, in the
   * project's setup, and a clone outside that setup cannot validate custom resources (the setup's
   * own rule for them); the skip names the folder it looked for.
   */
  public static CrdSchemas crdSchemas() {
    Path dir = crdsDir();
    Assumptions.assumeTrue(
        Files.isDirectory(dir),
        "no CRD folder at "
            + dir
            + " (the operators' CRDs, kept beside the repository; see strimzi/README.md; set"
            + " -Dcrds.dir=...)");
    return CrdSchemas.cached(dir);
  }

  /** The CRDs when their folder is there (see {@link #crdSchemas()}), else empty. */
  public static java.util.Optional<CrdSchemas> crdSchemasIfPresent() {
    Path dir = crdsDir();
    return Files.isDirectory(dir)
        ? java.util.Optional.of(CrdSchemas.cached(dir))
        : java.util.Optional.empty();
  }
}
