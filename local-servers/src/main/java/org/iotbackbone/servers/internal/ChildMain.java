package org.iotbackbone.servers.internal;

import java.nio.file.Path;
import java.util.Arrays;
import org.iotbackbone.servers.DataDirs;

/**
 * The entry point of a server JVM started for tests: it ends the JVM, and deletes the server's data
 * directory, when the process that owns it ends, then runs the server's own {@code main}. A test
 * JVM killed with {@code kill -9} (or by a build timeout) runs no shutdown hook, and without this
 * its servers would live on.
 *
 * <p>Arguments: the owner's process id, the data directory, the server's main class, then the
 * server's arguments. This class (and {@link DataDirs}, which it uses) must not depend on anything
 * but the JDK: its jar is put on the classpath of every server.
 */
public final class ChildMain {

  private ChildMain() {}

  public static void main(String[] args) throws Throwable {
    long ownerPid = Long.parseLong(args[0]);
    Path dataDir = Path.of(args[1]);
    String mainClass = args[2];
    String[] serverArgs = Arrays.copyOfRange(args, 3, args.length);
    Runnable haltOrphan = () -> haltOrphan(dataDir);
    ProcessHandle.of(ownerPid)
        .ifPresentOrElse(owner -> owner.onExit().thenRun(haltOrphan), haltOrphan);
    try {
      Class.forName(mainClass).getMethod("main", String[].class).invoke(null, (Object) serverArgs);
    } catch (java.lang.reflect.InvocationTargetException e) {
      throw e.getCause();
    }
  }

  /** Nobody will start this server again: its data goes with it. */
  private static void haltOrphan(Path dataDir) {
    System.err.println("ChildMain: the owner process is gone; halting this server");
    try {
      DataDirs.delete(dataDir);
    } catch (RuntimeException e) {
      System.err.println("ChildMain: could not delete " + dataDir + ": " + e);
    }
    Runtime.getRuntime().halt(143);
  }
}
