package org.iotbackbone.servers.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Makes a native server end when the JVM that started it ends, as {@link ChildMain} does for server
 * JVMs: a JVM killed with {@code kill -9} runs no shutdown hook, and its servers would live on.
 *
 * <p>The command runs through {@code /bin/sh}, which starts a watcher in the background and then
 * {@code exec}s the server, so that the server keeps the process id that {@link ServerProcess}
 * knows and gets its signals directly. The watcher polls once a second; when the parent is gone it
 * sends the server {@code SIGTERM} (a graceful stop), and it ends by itself when the server ends.
 */
public final class ParentWatch {

  private static final String SCRIPT =
      "parent=$1; shift; self=$$; "
          + "(while kill -0 \"$parent\" 2>/dev/null && kill -0 \"$self\" 2>/dev/null; "
          + "do sleep 1; done; kill -TERM \"$self\" 2>/dev/null) </dev/null >/dev/null 2>&1 & "
          + "exec \"$@\"";

  private ParentWatch() {}

  /** The command, wrapped so that it ends with this JVM. */
  public static List<String> wrap(List<String> command) {
    return wrap(ProcessHandle.current().pid(), command);
  }

  /** The command, wrapped so that it ends with the process of that id. */
  public static List<String> wrap(long parentPid, List<String> command) {
    List<String> wrapped = new ArrayList<>(List.of("/bin/sh", "-c", SCRIPT, "sh"));
    wrapped.add(Long.toString(parentPid));
    wrapped.addAll(command);
    return wrapped;
  }
}
