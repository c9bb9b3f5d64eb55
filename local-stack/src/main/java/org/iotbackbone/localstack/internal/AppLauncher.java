package org.iotbackbone.localstack.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.iotbackbone.servers.internal.Sessions;

/**
 * Starts one of the platform's own parts (the bridge, the streams app, the Connect worker) as a JVM
 * of its own on this JVM's classpath, in a session of its own ({@code setsid}: it outlives the
 * command line and a Ctrl-C in its terminal), its output appended to its log.
 */
public final class AppLauncher {

  private final String classpath;
  private final String java;

  public AppLauncher() {
    this(System.getProperty("java.class.path"));
  }

  public AppLauncher(String classpath) {
    this.classpath = classpath;
    this.java = ProcessHandle.current().info().command().orElse("java");
  }

  /**
   * Starts {@code mainClass} with these JVM options, environment and arguments; returns the process
   * at once (readiness is the caller's to check).
   */
  public Process start(
      String mainClass,
      List<String> jvmOptions,
      Map<String, String> environment,
      List<String> arguments,
      Path log,
      Path workDir)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(java);
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(classpath);
    command.add(mainClass);
    command.addAll(arguments);
    Files.createDirectories(log.getParent());
    Files.createDirectories(workDir);
    ProcessBuilder builder =
        new ProcessBuilder(Sessions.detached(command))
            .directory(workDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    builder.environment().putAll(environment);
    return builder.start();
  }
}
