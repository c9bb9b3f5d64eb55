package org.iotbackbone.servers.launch;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import org.iotbackbone.servers.internal.ChildMain;
import org.iotbackbone.servers.internal.Executables;
import org.iotbackbone.servers.internal.ParentWatch;
import org.iotbackbone.servers.internal.Sessions;

/**
 * The one way this code base starts a child process: a Java main class, a launcher script (a
 * distribution's {@code bin/NAME}) or a native program, with its arguments, environment, working
 * directory and log file, and whether it ends with its owner or outlives the command that started
 * it.
 *
 * <pre>{@code
 * Launched bridge =
 *     Launch.script(home.resolve("bin/ingest-bridge"))
 *         .jvmOptions(List.of("-Xmx512m"))
 *         .env(Map.of("IOT_BRIDGE_HTTP_PORT", "8081"))
 *         .logFile(logs.resolve("ingest-bridge.log"))
 *         .detached()
 *         .start();
 * ...
 * bridge.stop(Duration.ofSeconds(30));
 * }</pre>
 *
 * <p>Without a log file the child's standard output is a pipe ({@link Launched#output()}) and its
 * standard error is this process's.
 */
public final class Launch {

  /** What is started. */
  private enum Kind {
    JAVA,
    SCRIPT,
    COMMAND
  }

  private final Kind kind;
  private final String program;
  private final List<String> jvmOptions = new ArrayList<>();
  private final List<String> args = new ArrayList<>();
  private final Map<String, String> env = new LinkedHashMap<>();
  private List<String> classPath = thisClassPath();
  private Predicate<String> removedEnv = name -> false;
  private boolean quickStart;
  private Path logFile;
  private Path workDir;
  private boolean detached;
  private boolean inheritIo;
  private ProcessHandle owner;
  private Path ownerDataDir;
  private List<String> commandPrefix = List.of();

  private Launch(Kind kind, String program) {
    this.kind = kind;
    this.program = Objects.requireNonNull(program, "program");
  }

  /** A main class in a JVM of its own, on this JVM's Java and (unless told) class path. */
  public static Launch java(String mainClass) {
    return new Launch(Kind.JAVA, mainClass);
  }

  /**
   * A launcher script that starts a JVM: it gets the {@link #jvmOptions} in {@code JAVA_OPTS} and
   * this JVM's Java in {@code JAVA_HOME} (unless {@link #env} says otherwise).
   */
  public static Launch script(Path script) {
    return new Launch(Kind.SCRIPT, script.toString());
  }

  /** A native program and its first arguments. */
  public static Launch command(List<String> command) {
    Launch launch = new Launch(Kind.COMMAND, command.get(0));
    launch.args.addAll(command.subList(1, command.size()));
    return launch;
  }

  /** The Java of this JVM: children run on the same Java as their parent. */
  public static Path currentJava() {
    return Path.of(System.getProperty("java.home"), "bin", "java");
  }

  /** The entries of this JVM's class path. */
  public static List<String> thisClassPath() {
    String classPath = System.getProperty("java.class.path", "");
    return classPath.isEmpty() ? List.of() : Arrays.asList(classPath.split(File.pathSeparator));
  }

  /** The directory or jar a class was loaded from. */
  public static Path codeLocation(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException("no code location for " + type, e);
    }
  }

  /** The class path of a {@link #java} child, instead of this JVM's. */
  public Launch classPath(List<String> entries) {
    requireKind(Kind.JAVA, "a class path");
    classPath = List.copyOf(entries);
    return this;
  }

  /** The class path of a {@link #java} child, as paths. */
  public Launch classPathOf(List<Path> entries) {
    return classPath(entries.stream().map(Path::toString).toList());
  }

  /** Options of the child's JVM ({@code -Xmx512m}, {@code -Dname=value}). */
  public Launch jvmOptions(List<String> options) {
    if (kind == Kind.COMMAND) {
      throw new IllegalStateException("a native command has no JVM options");
    }
    jvmOptions.addAll(options);
    return this;
  }

  /**
   * The C1 compiler only and the serial collector: a server or part spends much of its life
   * starting, and on a 2-core machine C2 compiling and G1's threads take CPU that start-up needs
   * (measured: Kafka 25 s of CPU to ready with the defaults, 18 s with these).
   */
  public Launch quickStart(boolean value) {
    quickStart = value;
    return this;
  }

  public Launch args(List<String> values) {
    args.addAll(values);
    return this;
  }

  public Launch arg(String value) {
    args.add(value);
    return this;
  }

  /** Variables added to the inherited environment. */
  public Launch env(Map<String, String> variables) {
    env.putAll(variables);
    return this;
  }

  /** Inherited variables the child must not see (a test's own settings, say). */
  public Launch removeEnv(Predicate<String> names) {
    removedEnv = removedEnv.or(names);
    return this;
  }

  /** Standard output and error appended to this file (its directory is created). */
  public Launch logFile(Path file) {
    logFile = file;
    return this;
  }

  /** The child's working directory (created); this process's when not set. */
  public Launch workDir(Path dir) {
    workDir = dir;
    return this;
  }

  /**
   * The child shares this process's terminal: its input, output and error are this process's, as
   * for a command a user runs in the foreground (a Ctrl-C reaches both).
   */
  public Launch inheritIo() {
    inheritIo = true;
    return this;
  }

  /**
   * The child outlives the command that started it: it runs in a session of its own ({@code
   * setsid}), so that a Ctrl-C in the starting terminal does not reach it, with no standard input.
   */
  public Launch detached() {
    detached = true;
    return this;
  }

  /**
   * The child ends when {@code owner} ends, and {@code dataDir} is deleted then: a JVM killed with
   * {@code kill -9} runs no shutdown hook, and its children would live on. A Java child runs
   * through {@link ChildMain}; a script or program under a shell watcher ({@link ParentWatch}).
   */
  public Launch ownedBy(ProcessHandle owner, Path dataDir) {
    this.owner = owner;
    this.ownerDataDir = dataDir;
    return this;
  }

  /**
   * The child runs under this command: {@code PREFIX... COMMAND...}. The prefix must {@code exec}
   * the command (as {@code ip netns exec}, {@code env} and {@code nice} do), so that the process
   * started keeps the id that {@link Launched} knows and gets its signals. It goes inside {@link
   * #detached()}'s {@code setsid} and outside {@link #ownedBy}'s watcher, which so runs under it
   * too.
   */
  public Launch commandPrefix(List<String> prefix) {
    commandPrefix = List.copyOf(prefix);
    return this;
  }

  /**
   * The child runs in the named network namespace ({@code ip netns exec NAMESPACE}, which needs
   * root), as the parts of a {@code org.iotbackbone.servers.netlab.NetLab} do: it sees only that
   * namespace's interfaces and addresses.
   */
  public Launch inNamespace(String namespace) {
    String ip = Executables.find("ip").map(Path::toString).orElse("ip");
    return commandPrefix(List.of(ip, "netns", "exec", namespace));
  }

  /** What runs: the main class, the script or the program. */
  public String program() {
    return program;
  }

  /** The command line {@link #start()} runs. */
  public List<String> command() {
    List<String> command = new ArrayList<>();
    if (kind == Kind.JAVA) {
      command.add(currentJava().toString());
      command.addAll(effectiveJvmOptions());
      List<String> fullClassPath = new ArrayList<>(classPath);
      if (owner != null) {
        fullClassPath.add(codeLocation(ChildMain.class).toString());
      }
      command.add("-cp");
      command.add(String.join(File.pathSeparator, fullClassPath));
      if (owner != null) {
        command.add(ChildMain.class.getName());
        command.add(Long.toString(owner.pid()));
        command.add(ownerDataDir.toString());
      }
      command.add(program);
      command.addAll(args);
    } else {
      command.add(program);
      command.addAll(args);
      if (owner != null) {
        command = ParentWatch.wrap(owner.pid(), command);
      }
    }
    if (!commandPrefix.isEmpty()) {
      List<String> prefixed = new ArrayList<>(commandPrefix);
      prefixed.addAll(command);
      command = prefixed;
    }
    return detached ? Sessions.detached(command) : command;
  }

  /** The variables added to the inherited environment. */
  public Map<String, String> environment() {
    Map<String, String> all = new LinkedHashMap<>();
    if (kind == Kind.SCRIPT) {
      all.put("JAVA_HOME", System.getProperty("java.home"));
      all.put("JAVA_OPTS", String.join(" ", effectiveJvmOptions()));
    }
    all.putAll(env);
    return all;
  }

  /** Starts the process; returns at once (readiness is the caller's to check). */
  public Launched start() throws IOException {
    if (kind == Kind.SCRIPT && !Files.isExecutable(Path.of(program))) {
      throw new IOException("no executable launcher script at " + program);
    }
    ProcessBuilder builder = new ProcessBuilder(command());
    if (workDir != null) {
      builder.directory(Files.createDirectories(workDir).toFile());
    }
    if (inheritIo) {
      builder.inheritIO();
    } else if (logFile != null) {
      Files.createDirectories(logFile.toAbsolutePath().getParent());
      builder
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
    } else {
      builder.redirectError(ProcessBuilder.Redirect.INHERIT);
    }
    if (detached) {
      builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    }
    builder.environment().keySet().removeIf(removedEnv);
    builder.environment().putAll(environment());
    return new Launched(builder.start());
  }

  private List<String> effectiveJvmOptions() {
    List<String> options = new ArrayList<>();
    if (quickStart) {
      options.add("-XX:TieredStopAtLevel=1");
      options.add("-XX:+UseSerialGC");
    }
    options.addAll(jvmOptions);
    return options;
  }

  private void requireKind(Kind required, String what) {
    if (kind != required) {
      throw new IllegalStateException("a " + kind.name().toLowerCase() + " launch has no " + what);
    }
  }

  @Override
  public String toString() {
    return String.join(" ", command());
  }
}
