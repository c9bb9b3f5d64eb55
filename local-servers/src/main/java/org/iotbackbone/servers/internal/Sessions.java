package org.iotbackbone.servers.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Commands for processes that outlive the one that starts them (a local stack's servers and parts):
 * run through {@code setsid}, in a session of their own, so that a Ctrl-C in the terminal of the
 * starting command does not reach them. {@code setsid} keeps the process id as it execs, since a
 * {@code ProcessBuilder} child is not a process group leader.
 */
public final class Sessions {

  private static final Path SETSID = Path.of("/usr/bin/setsid");

  private Sessions() {}

  /** The command run in a session of its own; the command as it is where there is no setsid. */
  public static List<String> detached(List<String> command) {
    if (!Files.isExecutable(SETSID)) {
      return command;
    }
    List<String> detached = new ArrayList<>();
    detached.add(SETSID.toString());
    detached.addAll(command);
    return detached;
  }
}
