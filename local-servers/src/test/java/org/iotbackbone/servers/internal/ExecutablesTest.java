package org.iotbackbone.servers.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExecutablesTest {

  @TempDir Path dir;

  @Test
  void findsAnExecutableOnThePathAndSkipsPlainFiles() throws IOException {
    Path notExecutable = Files.createDirectories(dir.resolve("a")).resolve("broker");
    Files.writeString(notExecutable, "");
    Path executable = Files.createDirectories(dir.resolve("b")).resolve("broker");
    Files.writeString(executable, "#!/bin/sh\n");
    assertThat(executable.toFile().setExecutable(true)).isTrue();

    String path = dir.resolve("a") + File.pathSeparator + dir.resolve("b");

    assertThat(Executables.find("broker", path)).contains(executable);
  }

  @Test
  void reportsAMissingExecutable() {
    assertThat(Executables.find("no-such-broker-here", dir.toString())).isEmpty();
  }
}
