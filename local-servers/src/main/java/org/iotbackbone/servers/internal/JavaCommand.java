package org.iotbackbone.servers.internal;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Builds the command line of a server JVM. */
public final class JavaCommand {

  private final List<String> jvmArgs = new ArrayList<>();
  private final List<Path> classpath = new ArrayList<>();
  private final List<String> args = new ArrayList<>();
  private String mainClass;
  private Optional<ProcessHandle> owner = Optional.empty();
  private Path dataDir;
  private boolean quickStart;

  /** The JVM of this process: server JVMs run on the same Java as the tests. */
  public static Path currentJava() {
    return Path.of(System.getProperty("java.home"), "bin", "java");
  }

  public JavaCommand jvmArgs(List<String> values) {
    jvmArgs.addAll(values);
    return this;
  }

  public JavaCommand jvmArg(String value) {
    jvmArgs.add(value);
    return this;
  }

  public JavaCommand classpath(List<Path> entries) {
    classpath.addAll(entries);
    return this;
  }

  public JavaCommand mainClass(String value) {
    mainClass = value;
    return this;
  }

  public JavaCommand args(List<String> values) {
    args.addAll(values);
    return this;
  }

  /**
   * Runs the main class through {@link ChildMain}, which ends the JVM, and deletes its data
   * directory, when the owner ends. Without an owner the server is left running.
   */
  public JavaCommand ownedBy(Optional<ProcessHandle> owner, Path dataDir) {
    this.owner = owner;
    this.dataDir = dataDir;
    return this;
  }

  /**
   * The C1 compiler only and the serial collector: a test server spends most of its life starting,
   * and on a 2-core machine C2 compiling and G1's threads take CPU that start-up needs (measured:
   * Kafka 25 s of CPU to ready with the defaults, 18 s with these).
   */
  public JavaCommand quickStart(boolean value) {
    quickStart = value;
    return this;
  }

  public List<String> build() {
    List<String> command = new ArrayList<>();
    command.add(currentJava().toString());
    if (quickStart) {
      command.add("-XX:TieredStopAtLevel=1");
      command.add("-XX:+UseSerialGC");
    }
    command.addAll(jvmArgs);
    List<Path> fullClasspath = new ArrayList<>(classpath);
    if (owner.isPresent()) {
      fullClasspath.add(Runtimes.codeRoot(ChildMain.class));
    }
    command.add("-cp");
    command.add(
        String.join(File.pathSeparator, fullClasspath.stream().map(Path::toString).toList()));
    if (owner.isPresent()) {
      command.add(ChildMain.class.getName());
      command.add(Long.toString(owner.get().pid()));
      command.add(dataDir.toString());
    }
    command.add(mainClass);
    command.addAll(args);
    return command;
  }
}
