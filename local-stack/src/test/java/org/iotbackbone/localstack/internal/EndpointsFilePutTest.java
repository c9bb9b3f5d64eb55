package org.iotbackbone.localstack.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What starts after the parts (Prometheus) adds its variable to endpoints.env, once. */
class EndpointsFilePutTest {

  @Test
  void replacesAVariableOrAppendsItAndKeepsTheRestAndTheMode(@TempDir Path home) throws Exception {
    StackDir dir = new StackDir(home);
    Files.writeString(
        dir.endpoints(), "# written by up\nKAFKA_BOOTSTRAP=127.0.0.1:9092\nREST_TOKEN=x=y\n");

    EndpointsFile.put(dir, Map.of("PROMETHEUS_URL", "http://127.0.0.1:1"));
    EndpointsFile.put(dir, Map.of("PROMETHEUS_URL", "http://127.0.0.1:2"));

    assertThat(Files.readString(dir.endpoints()))
        .isEqualTo(
            "# written by up\nKAFKA_BOOTSTRAP=127.0.0.1:9092\nREST_TOKEN=x=y\n"
                + "PROMETHEUS_URL=http://127.0.0.1:2\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.endpoints())))
        .as("it holds a token")
        .isEqualTo("rw-------");
  }
}
