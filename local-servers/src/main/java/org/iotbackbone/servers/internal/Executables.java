package org.iotbackbone.servers.internal;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Finds native programs that servers are started from. */
public final class Executables {

  /**
   * Searched after {@code PATH}: daemons live in {@code sbin}, which is often missing from the
   * {@code PATH} of a non-root user or of an IDE.
   */
  private static final List<String> EXTRA_DIRS =
      List.of("/usr/sbin", "/usr/local/sbin", "/opt/homebrew/sbin", "/snap/bin");

  private Executables() {}

  /** The first executable file called {@code name} on {@code PATH} or in the usual sbin dirs. */
  public static Optional<Path> find(String name) {
    return find(name, System.getenv("PATH"));
  }

  static Optional<Path> find(String name, String pathVariable) {
    List<String> dirs = new ArrayList<>();
    if (pathVariable != null) {
      dirs.addAll(List.of(pathVariable.split(File.pathSeparator)));
    }
    dirs.addAll(EXTRA_DIRS);
    return dirs.stream()
        .filter(dir -> !dir.isBlank())
        .map(dir -> Path.of(dir, name))
        .filter(file -> Files.isRegularFile(file) && Files.isExecutable(file))
        .findFirst();
  }
}
