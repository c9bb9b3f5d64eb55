package org.iotbackbone.servers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Temporary directories for server data. */
public final class DataDirs {

  private DataDirs() {}

  /** A new, empty directory under the system's temporary directory. */
  public static Path create(String serverName) {
    try {
      return Files.createTempDirectory("iot-" + serverName + "-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a data directory for " + serverName, e);
    }
  }

  /** Deletes a directory and everything below it; a missing directory is fine. */
  public static void delete(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }
}
