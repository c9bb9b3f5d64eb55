package org.iotbackbone.servers.internal;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Builds the command line of a server JVM. */
public final class JavaCommand {

  private final List<String> jvmArgs = new ArrayList<>();
  private final List<Path> classpath = new ArrayList<>();
  private final List<String> args = new ArrayList<>();
  private String mainClass;
  private boolean exitWithParent;

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

  /** Runs the main class through {@link ChildMain}, which ends the JVM with its parent. */
  public JavaCommand exitWithParent(boolean value) {
    exitWithParent = value;
    return this;
  }

  public List<String> build() {
    List<String> command = new ArrayList<>();
    command.add(currentJava().toString());
    command.addAll(jvmArgs);
    List<Path> fullClasspath = new ArrayList<>(classpath);
    if (exitWithParent) {
      fullClasspath.add(Runtimes.codeRoot(ChildMain.class));
    }
    command.add("-cp");
    command.add(
        String.join(File.pathSeparator, fullClasspath.stream().map(Path::toString).toList()));
    if (exitWithParent) {
      command.add(ChildMain.class.getName());
      command.add(Long.toString(ProcessHandle.current().pid()));
    }
    command.add(mainClass);
    command.addAll(args);
    return command;
  }
}
