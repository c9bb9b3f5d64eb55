package org.iotbackbone.servers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DistributionTest {

  @TempDir Path repo;

  @Test
  void theRepositoryIsTheNearestDirectoryWithMvnwAboveTheCode() throws Exception {
    Files.writeString(repo.resolve("mvnw"), "#!/bin/sh\n");
    Path classes = Files.createDirectories(repo.resolve("local-stack/target/classes"));

    assertThat(Distribution.repositoryAbove(classes)).isEqualTo(repo.toAbsolutePath());
  }

  @Test
  void noRepositoryAboveTheCodeNamesTheProperty() throws Exception {
    Path elsewhere = Files.createDirectories(repo.resolve("a/b"));

    assertThatThrownBy(() -> Distribution.repositoryAbove(elsewhere))
        .hasMessageContaining(Distribution.REPO_ROOT_PROPERTY);
  }

  @Test
  void aBuiltDistributionGivesItsLauncherScript() throws Exception {
    Path bin = Files.createDirectories(repo.resolve("streams-app/target/dist/bin"));
    Files.createDirectories(repo.resolve("streams-app/target/dist/lib"));
    Path script = Files.writeString(bin.resolve("streams-app"), "#!/bin/sh\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));

    assertThat(Distribution.of(repo, "streams-app").requireBuilt().launcher())
        .isEqualTo(script.toAbsolutePath().normalize());
  }

  @Test
  void aMissingDistributionSaysHowToBuildIt() {
    assertThatThrownBy(() -> Distribution.of(repo, "ingest-bridge").requireBuilt())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("ingest-bridge/target/dist/bin/ingest-bridge")
        .hasMessageContaining("./mvnw package -DskipTests -pl ingest-bridge -am");
  }

  @Test
  void onlyTheServicesHaveDistributions() {
    assertThatThrownBy(() -> Distribution.of(repo, "local-stack"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
