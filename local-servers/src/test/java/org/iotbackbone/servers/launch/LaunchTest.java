package org.iotbackbone.servers.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class LaunchTest {

  @TempDir Path dir;

  @Test
  void aJavaChildOwnedByThisJvmRunsThroughChildMain() {
    List<String> command =
        Launch.java("com.example.Main")
            .classPath(List.of("/a.jar"))
            .quickStart(true)
            .jvmOptions(List.of("-Xmx64m"))
            .args(List.of("x", "y"))
            .ownedBy(ProcessHandle.current(), dir)
            .command();

    assertThat(command.get(0)).isEqualTo(Launch.currentJava().toString());
    assertThat(command)
        .containsSubsequence("-XX:TieredStopAtLevel=1", "-Xmx64m", "-cp")
        .containsSubsequence(
            "org.iotbackbone.servers.internal.ChildMain",
            Long.toString(ProcessHandle.current().pid()),
            dir.toString(),
            "com.example.Main",
            "x",
            "y");
    assertThat(command.get(command.indexOf("-cp") + 1)).startsWith("/a.jar:");
  }

  @Test
  void aScriptGetsItsJvmOptionsAndJavaThroughTheEnvironment() {
    Launch launch =
        Launch.script(dir.resolve("bin/app"))
            .jvmOptions(List.of("-Xmx512m", "-Dx=1"))
            .env(Map.of("IOT_X", "1"))
            .arg("--help");

    assertThat(launch.command()).containsExactly(dir.resolve("bin/app").toString(), "--help");
    assertThat(launch.environment())
        .containsEntry("JAVA_OPTS", "-Xmx512m -Dx=1")
        .containsEntry("JAVA_HOME", System.getProperty("java.home"))
        .containsEntry("IOT_X", "1");
  }

  @Test
  void aNamespacedChildRunsUnderIpNetnsExecInsideSetsid() {
    List<String> command =
        Launch.java("com.example.Main")
            .classPath(List.of("/a.jar"))
            .inNamespace("nl-lab-h-bridge")
            .detached()
            .command();

    assertThat(command.get(0)).isEqualTo("/usr/bin/setsid");
    assertThat(command.get(1)).endsWith("ip");
    assertThat(command.subList(2, 5)).containsExactly("netns", "exec", "nl-lab-h-bridge");
    assertThat(command.get(5)).isEqualTo(Launch.currentJava().toString());
  }

  @Test
  void anOwnedCommandHasItsWatcherInsideThePrefix() {
    List<String> command =
        Launch.command(List.of("/usr/sbin/mosquitto", "-c", "m.conf"))
            .commandPrefix(List.of("/usr/bin/env", "X=1"))
            .ownedBy(ProcessHandle.current(), dir)
            .command();

    assertThat(command.subList(0, 3)).containsExactly("/usr/bin/env", "X=1", "/bin/sh");
    assertThat(command).endsWith("/usr/sbin/mosquitto", "-c", "m.conf");
  }

  @Test
  void thePrefixExecsTheCommandSoThePidIsTheChildsOwn() throws Exception {
    Path log = dir.resolve("prefixed.log");
    Launched child =
        Launch.command(List.of("/bin/sh", "-c", "echo pid $$ $GREETING; sleep 60"))
            .commandPrefix(List.of("/usr/bin/env", "GREETING=hello"))
            .logFile(log)
            .start();
    try {
      awaitLine(log, "pid " + child.pid() + " hello");
    } finally {
      child.stop(Duration.ofSeconds(5));
    }
  }

  @Test
  void aMissingScriptFailsWithItsPath() {
    assertThatThrownBy(() -> Launch.script(dir.resolve("bin/none")).start())
        .isInstanceOf(IOException.class)
        .hasMessageContaining(dir.resolve("bin/none").toString());
  }

  @Test
  void stopEndsTheProcessAndWhatItStarted() throws Exception {
    Path log = dir.resolve("logs/child.log");
    Launched child =
        Launch.command(List.of("/bin/sh", "-c", "echo started $GREETING; sleep 60 & wait"))
            .env(Map.of("GREETING", "hello"))
            .logFile(log)
            .start();
    awaitLine(log, "started hello");
    List<ProcessHandle> descendants = child.handle().descendants().toList();

    child.stop(Duration.ofSeconds(5));

    assertThat(child.isAlive()).isFalse();
    assertThat(descendants).isNotEmpty().noneMatch(ProcessHandle::isAlive);
    assertThat(ProcessTree.alive(child.pid())).isFalse();
  }

  private static void awaitLine(Path log, String line) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!(Files.exists(log) && Files.readString(log).contains(line))) {
      assertThat(System.nanoTime()).as("'%s' in %s", line, log).isLessThan(deadline);
      Thread.sleep(20);
    }
  }
}
