package org.iotbackbone.servers.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * How to start one server process.
 *
 * @param command the program and its arguments
 * @param environment variables added to the inherited environment
 * @param workDir the process's working directory
 * @param readyLine a log line that says the server is ready; {@link ProcessServer#isReady()} is
 *     asked after it appeared
 */
public record ProcessSpec(
    List<String> command, Map<String, String> environment, Path workDir, Pattern readyLine) {

  public ProcessSpec {
    command = List.copyOf(command);
    environment = Map.copyOf(environment);
  }
}
