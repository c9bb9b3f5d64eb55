package org.iotbackbone.terraform.checks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * {@code terraform fmt -check} over the modules and environments, where a {@code terraform} binary
 * is on the PATH (fmt needs no providers and no network). Terraform is not in Debian and {@code
 * .ci/run} does not install it, so without it this is skipped, in CI too; the HCL2 parse of every
 * file (TerraformFilesTest) runs everywhere.
 */
class TerraformFmtTest {

  private static Path terraform() {
    Optional<Path> terraform = Hcl2Json.onPath("terraform");
    Assumptions.assumeTrue(
        terraform.isPresent(), "no terraform binary on the PATH: fmt not checked");
    return terraform.get();
  }

  /** The exit code of {@code terraform fmt -check -recursive -diff DIR}, and its output. */
  private static Result fmtCheck(Path terraform, Path dir)
      throws IOException, InterruptedException {
    ProcessBuilder builder =
        new ProcessBuilder(
                terraform.toString(), "fmt", "-check", "-recursive", "-diff", dir.toString())
            .redirectErrorStream(true);
    // No CLI configuration file is needed for fmt; this keeps its warning out of the output.
    builder.environment().put("TF_CLI_CONFIG_FILE", "/dev/null");
    Process process = builder.start();
    process.getOutputStream().close();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Result(process.exitValue(), out);
  }

  private record Result(int exit, String output) {}

  @Test
  void modulesAndEnvironmentsAreFormatted() throws Exception {
    Path terraform = terraform();
    for (String dir : new String[] {"modules", "environments"}) {
      Result result = fmtCheck(terraform, TestEnvironment.terraformDir().resolve(dir));
      assertThat(result.exit())
          .as(
              "terraform fmt -check -recursive terraform/%s (fix: terraform fmt -recursive terraform/%s; not terraform/ as a whole, whose test fixtures are unformatted on purpose)%n%s",
              dir, dir, result.output())
          .isZero();
    }
  }

  @Test
  void anUnformattedFileFailsTheCheck() throws Exception {
    Result result = fmtCheck(terraform(), ConfigCheckerTest.fixture("unformatted"));
    assertThat(result.exit()).isNotZero();
    assertThat(result.output()).contains("main.tf");
  }
}
