package org.iotbackbone.localstack.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DistributionsTest {

  @TempDir Path repo;

  @Test
  void theRepositoryIsTheNearestDirectoryWithMvnwAboveTheCode() throws Exception {
    Files.writeString(repo.resolve("mvnw"), "#!/bin/sh\n");
    Path classes = Files.createDirectories(repo.resolve("local-stack/target/classes"));

    assertThat(Distributions.repoRootAbove(classes)).isEqualTo(repo.toAbsolutePath());
  }

  @Test
  void noRepositoryAboveTheCodeNamesTheProperty() throws Exception {
    Path elsewhere = Files.createDirectories(repo.resolve("a/b"));

    assertThatThrownBy(() -> Distributions.repoRootAbove(elsewhere))
        .hasMessageContaining(Distributions.REPO_ROOT_PROPERTY);
  }

  @Test
  void aBuiltDistributionGivesItsLauncherScript() throws Exception {
    Path bin = Files.createDirectories(repo.resolve("streams-app/target/dist/bin"));
    Path script = Files.writeString(bin.resolve("streams-app"), "#!/bin/sh\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));

    assertThat(new Distributions(repo).script("streams-app"))
        .isEqualTo(script.toAbsolutePath().normalize());
  }

  @Test
  void aMissingDistributionSaysHowToBuildIt() {
    assertThatThrownBy(() -> new Distributions(repo).script("ingest-bridge"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("ingest-bridge/target/dist/bin/ingest-bridge")
        .hasMessageContaining("./mvnw package -DskipTests");
  }

  @Test
  void onlyTheServicesHaveDistributions() {
    assertThatThrownBy(() -> new Distributions(repo).script("local-stack"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
