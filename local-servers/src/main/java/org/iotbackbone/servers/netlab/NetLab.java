package org.iotbackbone.servers.netlab;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import java.util.zip.CRC32;
import org.iotbackbone.servers.internal.Executables;

/**
 * A network of the test's own on this machine, to put the platform's parts on and break the links
 * between them: a switch (a Linux bridge in a network namespace of its own), a link from the root
 * namespace to it with the address {@code 10.231.K.1/24}, and a {@link Host} per part, a namespace
 * with one link to the switch and an address {@code 10.231.K.N}. The root namespace reaches every
 * host and the hosts reach each other (one L2 segment, nothing forwarded by the root namespace); a
 * host reaches nothing else, so the lab's traffic stays on this machine.
 *
 * <pre>{@code
 * try (NetLab lab = NetLab.create("chaos")) {
 *   Host kafka = lab.host("kafka");
 *   Host bridge = lab.host("bridge");
 *   Launch.java("...").inNamespace(kafka.namespace()).start();   // binds kafka.addressString()
 *   lab.between(kafka, bridge).delay(Duration.ofMillis(200));      // round trip +200 ms
 *   bridge.partition();                                            // cut off from everyone
 *   bridge.heal();
 *   report.plot(lab.faultLog());
 * }
 * }</pre>
 *
 * <p>It changes the root namespace only by its one interface ({@code nl-LAB}) and that interface's
 * address and route; it never touches the root namespace's sysctls, firewall, routes of other
 * interfaces or queueing disciplines. Faults are {@code tc} qdiscs on the lab's own interfaces
 * inside the lab's namespaces (see {@link TcPlan}).
 *
 * <p>Cleanup: {@link #close()} ends the processes still in the lab's namespaces and deletes the
 * namespaces and interfaces; {@link #create} first removes what a crashed run of the same lab name
 * left; a JVM shutdown hook closes labs still open. Needs root and iproute2: {@link
 * #unavailableReason()} says why not, for a test to skip.
 */
public final class NetLab implements AutoCloseable {

  private static final Set<NetLab> OPEN = ConcurrentHashMap.newKeySet();
  private static final Path LOCK =
      Path.of(System.getProperty("java.io.tmpdir"), "iotbackbone-netlab.lock");
  private static final Duration PROCESS_GRACE = Duration.ofSeconds(5);
  private static boolean hookInstalled;
  private static Probe probe;

  private final String name;
  private final LabNames names;
  private final int subnet;
  private final Map<String, Host> hosts = new LinkedHashMap<>();
  private final Map<Host, Impairment> linkFaults = new HashMap<>();
  private final Map<Pair, Impairment> pairFaults = new HashMap<>();
  private final Set<String> installed = new HashSet<>();
  private final List<FaultEvent> faultLog = new ArrayList<>();
  private boolean closed;

  private NetLab(String name, LabNames names, int subnet) {
    this.name = name;
    this.names = names;
    this.subnet = subnet;
  }

  /**
   * Why a lab cannot be made on this machine (not root, no {@code ip} or {@code tc}, namespaces,
   * veth pairs, bridges, the HTB qdisc or the u32 and bpf filters not permitted), or empty when it
   * can. Probed once per JVM in a namespace of its own.
   */
  public static Optional<String> unavailableReason() {
    return probe().lab();
  }

  /**
   * Why {@link Faults#delay} cannot be used here (the lab cannot, or the kernel has no netem
   * qdisc), or empty when it can. Losses and partitions need no netem.
   */
  public static Optional<String> netemUnavailableReason() {
    return probe().lab().or(() -> probe().netem());
  }

  /**
   * Makes the lab's switch and its link from the root namespace, after removing what an earlier run
   * of a lab of this name left (its namespaces, its root interface and processes left in them).
   *
   * @param name letters and digits are kept, at most 8 (a longer name is shortened with a checksum)
   */
  public static NetLab create(String name) throws IOException {
    Optional<String> reason = unavailableReason();
    if (reason.isPresent()) {
      throw new IllegalStateException("no network lab on this machine: " + reason.get());
    }
    LabNames names = new LabNames(name);
    // Labs of parallel test JVMs must not choose the same subnet between looking and taking it.
    try (FileChannel channel =
        FileChannel.open(LOCK, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      FileLock lock = channel.lock(); // released when the channel closes
      assert lock.isValid();
      removeLeftovers(names);
      List<String> inUse =
          Subnets.networksInUse(
              Shell.run(List.of(Shell.ip(), "-4", "-o", "addr")),
              Shell.run(List.of(Shell.ip(), "-4", "route", "show", "table", "all")));
      int k = Subnets.choose(inUse, preferredSubnet(names.lab()));
      if (k < 0) {
        throw new IOException("every 10.231.K.0/24 is in use on this machine");
      }
      NetLab lab = new NetLab(name, names, k);
      register(lab);
      try {
        lab.makeSwitch();
      } catch (IOException | RuntimeException e) {
        lab.close();
        throw e;
      }
      return lab;
    }
  }

  /** The name given to {@link #create}. */
  public String name() {
    return name;
  }

  /** The lab's subnet, {@code 10.231.K.0/24}. */
  public String subnet() {
    return Subnets.cidr(subnet);
  }

  /** The root namespace's address in the lab ({@code 10.231.K.1}), what hosts connect to. */
  public InetAddress rootAddress() {
    return inet(Subnets.address(subnet, 1));
  }

  /** The root namespace's interface to the lab's switch ({@code nl-LAB}). */
  public String rootInterface() {
    return names.rootDevice();
  }

  /** The namespace of the switch (no part runs there). */
  public String switchNamespace() {
    return names.switchNamespace();
  }

  /**
   * A new host for a part: its namespace (loopback up), its link to the switch, its address.
   *
   * @throws IllegalArgumentException when the lab has a host of that name (after shortening to 12
   *     letters and digits)
   */
  public synchronized Host host(String partName) throws IOException {
    requireOpen();
    String namespace = names.hostNamespace(partName);
    if (hosts.containsKey(namespace)) {
      throw new IllegalArgumentException(
          "the lab has a host named "
              + hosts.get(namespace).name()
              + " already ("
              + namespace
              + ")");
    }
    int index = hosts.size() + 2;
    if (index > 254) {
      throw new IllegalStateException("a lab holds at most 253 hosts");
    }
    Host host = new Host(this, partName, namespace, inet(Subnets.address(subnet, index)), index);
    hosts.put(namespace, host);
    String ip = Shell.ip();
    String sw = names.switchNamespace();
    String port = LabNames.switchPort(index);
    Shell.run(List.of(ip, "netns", "add", namespace));
    Shell.run(List.of(ip, "-n", namespace, "link", "set", "dev", "lo", "up"));
    Shell.run(
        List.of(
            ip,
            "link",
            "add",
            LabNames.HOST_DEVICE,
            "netns",
            namespace,
            "type",
            "veth",
            "peer",
            "name",
            port,
            "netns",
            sw));
    Shell.run(List.of(ip, "-n", sw, "link", "set", "dev", port, "master", LabNames.BRIDGE, "up"));
    Shell.run(
        List.of(
            ip,
            "-n",
            namespace,
            "addr",
            "add",
            host.addressString() + "/24",
            "dev",
            LabNames.HOST_DEVICE));
    Shell.run(List.of(ip, "-n", namespace, "link", "set", "dev", LabNames.HOST_DEVICE, "up"));
    return host;
  }

  /** The hosts, in the order they were made. */
  public synchronized List<Host> hosts() {
    return List.copyOf(hosts.values());
  }

  /** The path between two hosts of this lab, for faults between them only. */
  public HostPair between(Host a, Host b) {
    Objects.requireNonNull(a, "a");
    Objects.requireNonNull(b, "b");
    if (a.lab() != this || b.lab() != this) {
      throw new IllegalArgumentException("not hosts of lab " + name + ": " + a + ", " + b);
    }
    if (a == b) {
      throw new IllegalArgumentException("a host has no path to itself: " + a);
    }
    return new HostPair(a, b);
  }

  /** Heals every fault of the lab (each one logged). */
  public synchronized void healAll() {
    for (Host host : List.copyOf(linkFaults.keySet())) {
      host.heal();
    }
    for (Pair pair : List.copyOf(pairFaults.keySet())) {
      between(pair.a(), pair.b()).heal();
    }
  }

  /** Every fault applied and healed so far, in order. */
  public synchronized List<FaultEvent> faultLog() {
    return List.copyOf(faultLog);
  }

  /**
   * Ends the processes still in the lab's namespaces ({@code SIGTERM}, then {@code SIGKILL} after 5
   * s) and deletes the namespaces and interfaces. A process left in a namespace would keep it, and
   * its interfaces, alive after {@code ip netns del}.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    OPEN.remove(this);
    removeLeftovers(names);
  }

  synchronized void change(Host host, Host peer, UnaryOperator<Impairment> fault, String action) {
    requireOpen();
    if (peer == null) {
      Impairment before = linkFaults.getOrDefault(host, Impairment.NONE);
      Impairment after = fault.apply(before);
      if (after.equals(before)) {
        return;
      }
      requireNetemFor(after);
      put(linkFaults, host, after);
      try {
        applyHost(host);
        applySwitchPort(host);
      } catch (IOException | RuntimeException e) {
        put(linkFaults, host, before);
        throw failed(action, "host:" + host.name(), e);
      }
      log("host:" + host.name(), action, after);
    } else {
      Pair pair = Pair.of(host, peer);
      Impairment before = pairFaults.getOrDefault(pair, Impairment.NONE);
      Impairment after = fault.apply(before);
      if (after.equals(before)) {
        return;
      }
      requireNetemFor(after);
      put(pairFaults, pair, after);
      try {
        applyHost(pair.a());
        applyHost(pair.b());
      } catch (IOException | RuntimeException e) {
        put(pairFaults, pair, before);
        throw failed(action, pair.toString(), e);
      }
      log(pair.toString(), action, after);
    }
  }

  private void makeSwitch() throws IOException {
    String ip = Shell.ip();
    String sw = names.switchNamespace();
    String root = names.rootDevice();
    Shell.run(List.of(ip, "netns", "add", sw));
    Shell.run(List.of(ip, "-n", sw, "link", "set", "dev", "lo", "up"));
    Shell.run(List.of(ip, "-n", sw, "link", "add", "name", LabNames.BRIDGE, "type", "bridge"));
    Shell.run(List.of(ip, "-n", sw, "link", "set", "dev", LabNames.BRIDGE, "up"));
    Shell.run(
        List.of(
            ip,
            "link",
            "add",
            root,
            "type",
            "veth",
            "peer",
            "name",
            LabNames.UPLINK_PORT,
            "netns",
            sw));
    // No IPv6 link-local address on the root's interface: the lab is IPv4, and the root namespace
    // should not start talking IPv6 (router solicitations, DAD) on an interface of ours.
    Shell.runQuietly(List.of(ip, "link", "set", "dev", root, "addrgenmode", "none"));
    Shell.run(List.of(ip, "addr", "add", Subnets.address(subnet, 1) + "/24", "dev", root));
    Shell.run(List.of(ip, "link", "set", "dev", root, "up"));
    Shell.run(
        List.of(
            ip,
            "-n",
            sw,
            "link",
            "set",
            "dev",
            LabNames.UPLINK_PORT,
            "master",
            LabNames.BRIDGE,
            "up"));
  }

  /** What the host sends: its link's fault, and each faulty pair's toward that peer. */
  private void applyHost(Host host) throws IOException {
    Impairment link = linkFaults.getOrDefault(host, Impairment.NONE);
    Map<String, Impairment> perPeer = new HashMap<>();
    pairFaults.forEach(
        (pair, fault) -> {
          if (pair.a() == host) {
            perPeer.put(pair.b().addressString(), fault);
          } else if (pair.b() == host) {
            perPeer.put(pair.a().addressString(), fault);
          }
        });
    apply(host.namespace(), LabNames.HOST_DEVICE, link, perPeer);
  }

  /** What the host receives, from anyone: its link's fault, on the switch's port to it. */
  private void applySwitchPort(Host host) throws IOException {
    apply(
        names.switchNamespace(),
        LabNames.switchPort(host.index()),
        linkFaults.getOrDefault(host, Impairment.NONE),
        Map.of());
  }

  private void apply(
      String namespace, String device, Impairment all, Map<String, Impairment> perPeer)
      throws IOException {
    String key = namespace + "/" + device;
    boolean wasInstalled = installed.contains(key);
    try {
      Shell.tcBatch(namespace, TcPlan.egress(device, wasInstalled, all, perPeer));
    } catch (IOException e) {
      // A batch that failed half way may have left part of a tree: none is better than a part.
      Shell.runQuietly(List.of(Shell.tc(), "-n", namespace, "qdisc", "del", "dev", device, "root"));
      installed.remove(key);
      throw e;
    }
    if (TcPlan.installs(all, perPeer)) {
      installed.add(key);
    } else {
      installed.remove(key);
    }
  }

  private void requireNetemFor(Impairment fault) {
    if (fault.needsNetem()) {
      Optional<String> reason = netemUnavailableReason();
      if (reason.isPresent()) {
        throw new UnsupportedOperationException(reason.get());
      }
    }
  }

  private static <K> void put(Map<K, Impairment> faults, K key, Impairment fault) {
    if (fault.isNone()) {
      faults.remove(key);
    } else {
      faults.put(key, fault);
    }
  }

  private void log(String target, String action, Impairment state) {
    faultLog.add(new FaultEvent(Instant.now(), target, action, state.describe()));
  }

  private static IllegalStateException failed(String action, String target, Exception e) {
    return new IllegalStateException(action + " on " + target + " failed: " + e.getMessage(), e);
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("network lab " + name + " is closed");
    }
  }

  /** Removes the namespaces and the root interface of a lab of these names, and what runs there. */
  private static void removeLeftovers(LabNames names) {
    String ip = Shell.ip();
    Shell.runQuietly(List.of(ip, "link", "del", names.rootDevice()));
    List<String> namespaces = new ArrayList<>();
    try {
      for (String line : Shell.run(List.of(ip, "netns", "list")).split("\n")) {
        String namespace = line.strip().split("\\s+")[0];
        if (namespace.startsWith(names.namespacePrefix())) {
          namespaces.add(namespace);
        }
      }
    } catch (IOException e) {
      return;
    }
    for (String namespace : namespaces) {
      endProcessesIn(namespace);
      Shell.runQuietly(List.of(ip, "netns", "del", namespace));
    }
  }

  private static void endProcessesIn(String namespace) {
    List<ProcessHandle> processes = new ArrayList<>();
    try {
      for (String pid : Shell.run(List.of(Shell.ip(), "netns", "pids", namespace)).split("\\s+")) {
        if (!pid.isBlank() && Long.parseLong(pid) != ProcessHandle.current().pid()) {
          ProcessHandle.of(Long.parseLong(pid)).ifPresent(processes::add);
        }
      }
    } catch (IOException | NumberFormatException e) {
      return;
    }
    processes.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + PROCESS_GRACE.toNanos();
    for (ProcessHandle process : processes) {
      while (process.isAlive() && System.nanoTime() < deadline) {
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      if (process.isAlive()) {
        process.destroyForcibly();
      }
    }
  }

  private static synchronized void register(NetLab lab) {
    if (!hookInstalled) {
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(() -> List.copyOf(OPEN).forEach(NetLab::close), "netlab-exit"));
      hookInstalled = true;
    }
    OPEN.add(lab);
  }

  /** Labs of different names start at different subnets, so rarely contend for one. */
  static int preferredSubnet(String labName) {
    CRC32 crc = new CRC32();
    crc.update(labName.getBytes(StandardCharsets.UTF_8));
    return (int) (crc.getValue() % 256);
  }

  private static InetAddress inet(String address) {
    try {
      return InetAddress.getByName(address); // a literal: no lookup
    } catch (IOException e) {
      throw new IllegalArgumentException(address, e);
    }
  }

  private static synchronized Probe probe() {
    if (probe == null) {
      probe = Probe.run();
    }
    return probe;
  }

  /** Two hosts, the one made first as {@code a}, so that a pair has one key either way round. */
  private record Pair(Host a, Host b) {
    static Pair of(Host x, Host y) {
      return x.index() < y.index() ? new Pair(x, y) : new Pair(y, x);
    }

    @Override
    public String toString() {
      return a.name() + "<->" + b.name();
    }
  }

  /** What this machine allows, found by trying it in a namespace made for the purpose. */
  private record Probe(Optional<String> lab, Optional<String> netem) {

    static Probe run() {
      if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
        return unavailable(
            "network namespaces are Linux's; this is " + System.getProperty("os.name"));
      }
      Optional<String> uid = effectiveUid();
      if (uid.isEmpty() || !uid.get().equals("0")) {
        return unavailable(
            "a network lab needs root (it makes namespaces and interfaces); effective uid "
                + uid.orElse("unknown"));
      }
      for (String tool : List.of("ip", "tc")) {
        if (Executables.find(tool).isEmpty()) {
          return unavailable(
              "no " + tool + " on PATH or in /usr/sbin (Debian: apt-get install iproute2)");
        }
      }
      String namespace = LabNames.PREFIX + "probe" + ProcessHandle.current().pid();
      String ip = Shell.ip();
      String tc = Shell.tc();
      try {
        Shell.run(List.of(ip, "netns", "add", namespace));
        Shell.run(
            List.of(
                ip, "-n", namespace, "link", "add", "name", "va", "type", "veth", "peer", "name",
                "vb"));
        Shell.run(List.of(ip, "-n", namespace, "link", "add", "name", "br0", "type", "bridge"));
        Shell.tcBatch(
            namespace,
            TcPlan.egress(
                "va",
                false,
                Impairment.NONE,
                Map.of("10.0.0.1", Impairment.NONE.withLoss(5).withPartition())));
      } catch (IOException e) {
        Shell.runQuietly(List.of(ip, "netns", "del", namespace));
        return unavailable(
            "cannot make a namespace with a veth pair, a bridge and an HTB qdisc with u32 and"
                + " bpf filters here: "
                + e.getMessage());
      }
      Optional<String> netem = Optional.empty();
      try {
        Shell.run(
            List.of(
                tc, "-n", namespace, "qdisc", "add", "dev", "vb", "root", "netem", "delay", "1ms"));
      } catch (IOException e) {
        netem =
            Optional.of(
                "the kernel has no netem qdisc (CONFIG_NET_SCH_NETEM, module sch_netem), so no"
                    + " delay can be injected here; losses and partitions can ("
                    + e.getMessage()
                    + ")");
      } finally {
        Shell.runQuietly(List.of(ip, "netns", "del", namespace));
      }
      return new Probe(Optional.empty(), netem);
    }

    private static Probe unavailable(String reason) {
      return new Probe(Optional.of(reason), Optional.of(reason));
    }

    /** The second number of {@code Uid:} in {@code /proc/self/status}. */
    private static Optional<String> effectiveUid() {
      try {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
          if (line.startsWith("Uid:")) {
            String[] ids = line.substring(4).trim().split("\\s+");
            return ids.length > 1 ? Optional.of(ids[1]) : Optional.empty();
          }
        }
      } catch (IOException e) {
        return Optional.empty();
      }
      return Optional.empty();
    }
  }
}
