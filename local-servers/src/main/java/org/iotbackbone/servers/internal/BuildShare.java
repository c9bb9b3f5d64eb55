package org.iotbackbone.servers.internal;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;

/**
 * Servers shared by every test JVM of one Maven build, not only by the tests of one module.
 *
 * <p>Kafka and the registry take a minute or more to start on a 2-core build machine, and every
 * module's integration tests need them; started once per module they would cost most of the build's
 * time. So the first test JVM that needs one starts it <em>owned by the Maven process</em> (it
 * ends, and its data is deleted, when Maven ends) and writes its description to a file in the share
 * directory ({@value #DIR_PROPERTY}, set by the build for failsafe); later test JVMs of the same
 * build, in this module or the next, read the file and use the running server. A file lock makes
 * test JVMs that run in parallel start one server, not two.
 *
 * <p>Outside Maven (an IDE run), or without the property, there is no build share.
 */
public final class BuildShare {

  /** The system property that names the share directory. */
  public static final String DIR_PROPERTY = "iotbackbone.servers.shareDir";

  /** Maven's main class, on the command line of the Maven process that forked this JVM. */
  private static final String MAVEN_MAIN = "org.codehaus.plexus.classworlds.launcher.Launcher";

  private final Path dir;
  private final ProcessHandle build;

  BuildShare(Path dir, ProcessHandle build) {
    this.dir = dir;
    this.build = build;
  }

  /** The share of the Maven build this JVM is a test JVM of, if there is one. */
  public static Optional<BuildShare> ofThisBuild() {
    String dir = System.getProperty(DIR_PROPERTY, "");
    if (dir.isBlank()) {
      return Optional.empty();
    }
    return mavenProcess().map(build -> new BuildShare(Path.of(dir), build));
  }

  /**
   * The Maven process among this JVM's ancestors: surefire and failsafe fork test JVMs from it,
   * directly or through a shell.
   */
  static Optional<ProcessHandle> mavenProcess() {
    Optional<ProcessHandle> ancestor = ProcessHandle.current().parent();
    while (ancestor.isPresent()) {
      if (ancestor.get().info().commandLine().orElse("").contains(MAVEN_MAIN)) {
        return ancestor;
      }
      ancestor = ancestor.get().parent();
    }
    return Optional.empty();
  }

  /**
   * The description of the running server shared under {@code key}: the one this build started, or
   * one that {@code start} starts now, owned by the build's Maven process, and describes.
   */
  public Map<String, String> obtain(
      String key, Function<ProcessHandle, Map<String, String>> start) {
    try {
      Files.createDirectories(dir);
      try (FileChannel channel =
          FileChannel.open(
              dir.resolve(key + ".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
        // Held until the channel closes; other test JVMs of the build wait here.
        channel.lock();
        Path file = dir.resolve(key + ".properties");
        Optional<Map<String, String>> running = read(file).filter(this::startedByThisBuild);
        if (running.isPresent()) {
          return running.get();
        }
        Map<String, String> description = new LinkedHashMap<>(start.apply(build));
        description.put("build.pid", Long.toString(build.pid()));
        description.put("build.started", buildStarted());
        write(file, description);
        return description;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot share servers through " + dir, e);
    }
  }

  /** A file left by an earlier build (or by a server that died) names a process not ours. */
  private boolean startedByThisBuild(Map<String, String> description) {
    boolean sameBuild =
        Long.toString(build.pid()).equals(description.get("build.pid"))
            && buildStarted().equals(description.get("build.started"));
    return sameBuild
        && ProcessHandle.of(Long.parseLong(description.getOrDefault("pid", "-1")))
            .map(ProcessHandle::isAlive)
            .orElse(false);
  }

  /** With the process id, tells this build from an earlier one that had the same id. */
  private String buildStarted() {
    return build.info().startInstant().map(Object::toString).orElse("");
  }

  private static Optional<Map<String, String>> read(Path file) throws IOException {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    Properties properties = new Properties();
    try (Reader in = Files.newBufferedReader(file)) {
      properties.load(in);
    }
    Map<String, String> description = new LinkedHashMap<>();
    properties
        .stringPropertyNames()
        .forEach(name -> description.put(name, properties.getProperty(name)));
    return Optional.of(description);
  }

  private static void write(Path file, Map<String, String> description) throws IOException {
    Properties properties = new Properties();
    properties.putAll(description);
    Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
    try (Writer out = Files.newBufferedWriter(temporary)) {
      properties.store(out, "a server shared by the test JVMs of one build");
    }
    Files.move(
        temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
