package org.iotbackbone.servers.netlab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.iotbackbone.servers.launch.Launch;
import org.iotbackbone.servers.launch.Launched;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A lab of real namespaces: an {@link EchoServer} in host A's namespace, probed from this JVM (the
 * root namespace) and from host B's namespace ({@link EchoProbe} in a child JVM there), before,
 * during and after faults.
 */
@Timeout(180)
class NetLabIT {

  private static final int PORT = 7070;
  private static final Duration PROBE_TIMEOUT = Duration.ofMillis(1500);

  private final List<Launched> children = new ArrayList<>();
  private NetLab lab;
  private Host a;
  private Host b;

  /**
   * Skips without root or iproute2, or where the kernel forbids; fails where root has iproute2 and
   * the probe still fails for another reason: that is a bug of the probe (one was: {@code ip} read
   * an interface named {@code a} as its keyword {@code address}), and a skip would have hidden it
   * with every test of this class.
   */
  @BeforeAll
  static void needsALab() {
    Optional<String> reason = NetLab.unavailableReason();
    reason
        .filter(why -> why.startsWith("cannot make") && !why.contains("not permitted"))
        .ifPresent(why -> fail("the lab's probe failed as root with iproute2: " + why));
    assumeTrue(reason.isEmpty(), () -> reason.get());
  }

  @BeforeEach
  void makeLab() throws Exception {
    lab = NetLab.create("it" + ProcessHandle.current().pid() % 10_000);
    a = lab.host("echo-server");
    b = lab.host("client");
    startEchoServer();
  }

  @AfterEach
  void closeLab() {
    children.forEach(child -> child.stop(Duration.ofSeconds(5)));
    if (lab != null) {
      lab.close();
    }
  }

  @Test
  void aHostIsReachableFromTheRootAndFromAnotherHost() throws Exception {
    assertThat(fromRoot()).startsWith("RTT_MS");
    assertThat(fromB()).startsWith("RTT_MS");
    assertThat(lab.rootAddress().getHostAddress()).isEqualTo(lab.subnet().replace(".0/24", ".1"));
    assertThat(a.addressString()).startsWith(lab.subnet().replace(".0/24", "."));
  }

  @Test
  void aPartitionBetweenTwoHostsCutsThemOnlyUntilHealed() throws Exception {
    lab.between(a, b).partition();

    assertThat(fromB()).isEqualTo("TIMEOUT");
    assertThat(fromRoot()).startsWith("RTT_MS");

    lab.between(b, a).heal();

    assertThat(fromB()).startsWith("RTT_MS");
    assertThat(lab.faultLog())
        .extracting(FaultEvent::target, FaultEvent::action, FaultEvent::state)
        .containsExactly(
            tuple("echo-server<->client", "partition", "partitioned"),
            tuple("echo-server<->client", "heal", "none"));
    assertThat(lab.faultLog().get(0).at()).isBeforeOrEqualTo(lab.faultLog().get(1).at());
  }

  @Test
  void aPartitionedHostReachesNobodyAndNobodyReachesIt() throws Exception {
    a.partition();
    a.partition(); // idempotent: nothing changes, nothing is logged

    assertThat(fromRoot()).isIn("TIMEOUT", "UNREACHABLE");
    assertThat(fromB()).isIn("TIMEOUT", "UNREACHABLE");

    a.heal();

    assertThat(fromRoot()).startsWith("RTT_MS");
    assertThat(fromB()).startsWith("RTT_MS");
    assertThat(lab.faultLog()).extracting(FaultEvent::action).containsExactly("partition", "heal");
  }

  @Test
  void aDelayBetweenTwoHostsSlowsTheirRoundTripsOnly() throws Exception {
    Optional<String> noNetem = NetLab.netemUnavailableReason();
    assumeTrue(noNetem.isEmpty(), () -> noNetem.get());

    lab.between(a, b).delay(Duration.ofMillis(200));

    assertThat(rtt(fromB())).isBetween(190.0, 400.0);
    assertThat(rtt(fromRoot())).isLessThan(50.0);

    lab.between(a, b).heal();

    assertThat(rtt(fromB())).isLessThan(50.0);
  }

  @Test
  void withoutNetemADelayIsRefusedWithTheReason() {
    Optional<String> noNetem = NetLab.netemUnavailableReason();
    assumeTrue(noNetem.isPresent(), "this machine has netem");

    assertThatThrownBy(() -> lab.between(a, b).delay(Duration.ofMillis(200)))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("netem");
    assertThatThrownBy(() -> a.delay(Duration.ofMillis(200), Duration.ofMillis(10)))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("netem");
    assertThat(lab.faultLog()).isEmpty();
  }

  @Test
  void aLossBetweenTwoHostsDropsTheirPacketsOnly() throws Exception {
    lab.between(a, b).loss(100);

    assertThat(fromB()).isEqualTo("TIMEOUT");
    assertThat(fromRoot()).startsWith("RTT_MS");

    lab.between(a, b).loss(50);
    long droppedBefore = dropped(a) + dropped(b);
    fromB(); // may get through or not; either way some of its packets are lost
    for (int i = 0; i < 3; i++) {
      assertThat(fromRoot()).as("root -> A, untouched by the pair's loss").startsWith("RTT_MS");
    }

    assertThat(dropped(a) + dropped(b)).isGreaterThan(droppedBefore);

    lab.between(a, b).heal();

    assertThat(fromB()).startsWith("RTT_MS");
    assertThat(lab.faultLog())
        .extracting(FaultEvent::action, FaultEvent::state)
        .containsExactly(
            tuple("loss", "loss 100%"), tuple("loss", "loss 50%"), tuple("heal", "none"));
  }

  @Test
  void aLossyLinkDropsPacketsFromTheRootToo() throws Exception {
    a.loss(100);

    assertThat(fromRoot()).isIn("TIMEOUT", "UNREACHABLE");

    a.heal();

    assertThat(fromRoot()).startsWith("RTT_MS");
  }

  @Test
  void thePartsRunInTheirHostsNamespaces() throws Exception {
    Object inode = Files.getAttribute(Path.of("/run/netns", a.namespace()), "unix:ino");

    assertThat(echoServerNetNs).isEqualTo("net:[" + inode + "]");
    assertThat(echoServerNetNs)
        .isNotEqualTo(Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString());
  }

  @Test
  void aSecondHostOfTheSameNameIsRefused() {
    assertThatThrownBy(() -> lab.host("Echo_Server"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("echo-server");
    assertThatThrownBy(() -> lab.between(a, a)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void closeLeavesNoNamespaceAndNoInterfaceBehind() throws Exception {
    String prefix = lab.switchNamespace().substring(0, lab.switchNamespace().length() - 2);
    assertThat(namespaces()).anyMatch(ns -> ns.startsWith(prefix));

    lab.close();
    lab.close(); // twice is fine

    assertThat(namespaces()).noneMatch(ns -> ns.startsWith(prefix));
    assertThat(run("ip", "-o", "link"))
        .doesNotContain(lab.rootInterface() + ":", lab.rootInterface() + "@");
    assertThat(children.get(0).isAlive()).as("the echo server, ended with its namespace").isFalse();
    assertThatThrownBy(() -> a.partition()).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void createRemovesTheLeftoversOfACrashedRun() throws Exception {
    String name = "crash" + ProcessHandle.current().pid() % 1000;
    String prefix = "nl-" + new LabNames(name).lab() + "-";
    run("ip", "netns", "add", prefix + "h-ghost");

    try (NetLab again = NetLab.create(name)) {
      assertThat(namespaces()).doesNotContain(prefix + "h-ghost").contains(again.switchNamespace());
    }
    assertThat(namespaces()).noneMatch(ns -> ns.startsWith(prefix));
  }

  private String echoServerNetNs;

  private void startEchoServer() throws Exception {
    Launched server =
        Launch.java(EchoServer.class.getName())
            .quickStart(true)
            .args(List.of(a.addressString(), Integer.toString(PORT)))
            .inNamespace(a.namespace())
            .ownedBy(ProcessHandle.current(), Files.createTempDirectory("echo"))
            .start();
    children.add(server);
    BufferedReader out =
        new BufferedReader(new InputStreamReader(server.output(), StandardCharsets.UTF_8));
    String line = out.readLine();
    assertThat(line).as("the echo server's first line").startsWith("LISTENING ");
    echoServerNetNs = line.substring("LISTENING ".length());
  }

  private String fromRoot() {
    return EchoProbe.probe(a.addressString(), PORT, 5, PROBE_TIMEOUT);
  }

  /** A probe in a child JVM in B's namespace. */
  private String fromB() throws Exception {
    Launched probe =
        Launch.java(EchoProbe.class.getName())
            .quickStart(true)
            .args(
                List.of(
                    a.addressString(),
                    Integer.toString(PORT),
                    "5",
                    Long.toString(PROBE_TIMEOUT.toMillis())))
            .inNamespace(b.namespace())
            .start();
    String answer = new String(probe.output().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(probe.waitFor(Duration.ofSeconds(30))).isTrue();
    return answer;
  }

  /** What the drop class of the host's egress tree has dropped (0 without one). */
  private static long dropped(Host host) throws IOException {
    String stats = run("tc", "-n", host.namespace(), "-s", "qdisc", "show", "dev", "lab0");
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile(
                "qdisc pfifo 20: .*?\\(dropped (\\d+)", java.util.regex.Pattern.DOTALL)
            .matcher(stats);
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }

  private static double rtt(String answer) {
    assertThat(answer).startsWith("RTT_MS ");
    return Double.parseDouble(answer.substring("RTT_MS ".length()));
  }

  private static List<String> namespaces() throws IOException {
    List<String> names = new ArrayList<>();
    for (String line : run("ip", "netns", "list").split("\n")) {
      if (!line.isBlank()) {
        names.add(line.strip().split("\\s+")[0]);
      }
    }
    return names;
  }

  private static String run(String... command) throws IOException {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.waitFor()).as(String.join(" ", command) + ": " + out).isZero();
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }
}
