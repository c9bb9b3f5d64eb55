package org.iotbackbone.servers.internal;

import java.util.Arrays;

/**
 * The entry point of a server JVM started for tests: it ends the JVM when the process that started
 * it ends, then runs the server's own {@code main}. A test JVM killed with {@code kill -9} (or by a
 * build timeout) runs no shutdown hook, and without this its servers would live on.
 *
 * <p>Arguments: the parent's process id, the server's main class, then the server's arguments. This
 * class must not depend on anything but the JDK: it is put on the classpath of every server.
 */
public final class ChildMain {

  private ChildMain() {}

  public static void main(String[] args) throws Throwable {
    long parentPid = Long.parseLong(args[0]);
    String mainClass = args[1];
    String[] serverArgs = Arrays.copyOfRange(args, 2, args.length);
    ProcessHandle.of(parentPid)
        .ifPresentOrElse(
            parent -> parent.onExit().thenRun(ChildMain::haltOrphan), ChildMain::haltOrphan);
    try {
      Class.forName(mainClass).getMethod("main", String[].class).invoke(null, (Object) serverArgs);
    } catch (java.lang.reflect.InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private static void haltOrphan() {
    System.err.println("ChildMain: the parent process is gone; halting this server");
    Runtime.getRuntime().halt(143);
  }
}
