package org.iotbackbone.terraform.checks;

import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Where the tests find the repository, and how a missing prerequisite is treated: skipped with its
 * reason on a developer's machine, a failure in CI (env {@code CI=true}), so that CI cannot pass by
 * checking nothing.
 */
final class TestEnvironment {

  private TestEnvironment() {}

  /** The repository's root (surefire's {@code iotbackbone.repoRoot}). */
  static Path repoRoot() {
    String root = System.getProperty("iotbackbone.repoRoot");
    return (root == null ? Path.of("..") : Path.of(root)).toAbsolutePath().normalize();
  }

  /** The {@code terraform/} directory of the repository. */
  static Path terraformDir() {
    return repoRoot().resolve("terraform");
  }

  /** True when running in CI, where nothing may be skipped. */
  static boolean isCi() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  /** Skips the calling test with {@code reason} unless {@code condition}; in CI it fails. */
  static void require(boolean condition, String reason) {
    if (condition) {
      return;
    }
    if (isCi()) {
      Assertions.fail(reason + " (CI=true: nothing may be skipped)");
    }
    Assumptions.abort(reason);
  }
}
