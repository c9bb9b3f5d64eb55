package org.iotbackbone.localstack.internal.chaos;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.iotbackbone.localstack.internal.PartStarts;
import org.iotbackbone.localstack.internal.Placement;
import org.iotbackbone.localstack.internal.ServerStarts;
import org.iotbackbone.localstack.internal.StackDir;
import org.iotbackbone.localstack.internal.StackParts;
import org.iotbackbone.localstack.internal.StackServers;
import org.iotbackbone.localstack.internal.StackStop;
import org.iotbackbone.servers.LocalServer;
import org.iotbackbone.servers.netlab.FaultEvent;
import org.iotbackbone.servers.netlab.Faults;
import org.iotbackbone.servers.netlab.Host;
import org.iotbackbone.servers.netlab.NetLab;
import org.iotbackbone.simulator.Endpoints;

/**
 * The whole platform as {@code ./iot up} starts it, but owned by this JVM: the servers end with it,
 * and every part, server or not, is a {@link Target} a fault can be injected into and that can be
 * brought back on the same ports and data.
 */
final class ChaosPlatform implements AutoCloseable {

  /** The platform's own processes, besides the servers. */
  private static final List<String> OWN_PROCESSES =
      List.of("ingest-bridge", "streams-app", "connect");

  private final StackDir dir;
  private final Map<String, Target> targets;
  private final Map<String, LocalServer> servers;
  private final Endpoints endpoints;
  private final StackServers addresses;
  private final String keyspace;
  private final Optional<NetLab> lab;

  private ChaosPlatform(
      StackDir dir,
      Map<String, Target> targets,
      Map<String, LocalServer> servers,
      Endpoints endpoints,
      StackServers addresses,
      String keyspace,
      Optional<NetLab> lab) {
    this.lab = lab;
    this.dir = dir;
    this.targets = targets;
    this.servers = servers;
    this.endpoints = endpoints;
    this.addresses = addresses;
    this.keyspace = keyspace;
  }

  /**
   * Starts everything in {@code home} and waits until every part is healthy. With {@code lab}, each
   * part runs in a host of that network lab (its own namespace and address), where network faults
   * reach it; the lab is closed with the platform.
   */
  static ChaosPlatform start(
      Path home,
      StackParts.Settings settings,
      Path repoRoot,
      Optional<NetLab> lab,
      Consumer<String> progress)
      throws Exception {
    StackDir dir = new StackDir(home);
    Map<String, LocalServer> servers = new LinkedHashMap<>();
    ServerStarts starts = null;
    try {
      if (lab.isPresent()) {
        Map<String, Placement> placements = new LinkedHashMap<>();
        for (String part : ChaosRun.PARTS) {
          Host host = lab.get().host(part);
          placements.put(part, new Placement(host.addressString(), Optional.of(host.namespace())));
        }
        settings = settings.withPlacements(placements);
        progress.accept("network lab " + lab.get().name() + " on " + lab.get().subnet());
      }
      starts = ServerStarts.start(dir, settings, progress, false);
      PartStarts parts = new PartStarts(dir, settings, repoRoot);
      Endpoints endpoints = parts.start(starts, progress);
      Map<String, Target> targets = new LinkedHashMap<>();
      for (Map.Entry<String, CompletableFuture<LocalServer>> server :
          starts.processes().entrySet()) {
        servers.put(server.getKey(), server.getValue().join());
        targets.put(
            server.getKey(), Target.server(server.getKey(), dir, servers.get(server.getKey())));
      }
      for (String part : OWN_PROCESSES) {
        targets.put(part, Target.part(part, dir, parts));
      }
      return new ChaosPlatform(
          dir,
          targets,
          servers,
          endpoints,
          starts.servers(),
          new StackParts(dir, settings, repoRoot, starts.security()).keyspace(),
          lab);
    } catch (Exception e) {
      StackStop.stopAll(dir, progress);
      if (starts != null) {
        // Those that started; the others end with this JVM.
        starts.processes().values().forEach(f -> f.thenAccept(LocalServer::close));
      }
      lab.ifPresent(NetLab::close);
      throw e;
    }
  }

  /**
   * The network between the parts a network fault names: one part's link ({@code kafka}) or the
   * path between two ({@code ingest-bridge/kafka}).
   */
  Faults network(String target) {
    NetLab network =
        lab.orElseThrow(
            () ->
                new IllegalStateException(
                    "network faults need the parts in a network lab: " + target));
    List<Host> hosts = new ArrayList<>();
    for (String part : target.split("/")) {
      hosts.add(
          network.hosts().stream()
              .filter(host -> host.name().equals(part))
              .findFirst()
              .orElseThrow(() -> new IllegalArgumentException("no lab host for " + part)));
    }
    return hosts.size() == 1 ? hosts.get(0) : network.between(hosts.get(0), hosts.get(1));
  }

  /** Whether network faults can be injected (the parts run in a network lab). */
  boolean hasNetwork() {
    return lab.isPresent();
  }

  /** The lab's log of network faults, for the report; empty without a lab. */
  List<FaultEvent> networkLog() {
    return lab.map(NetLab::faultLog).orElse(List.of());
  }

  /** The part of that name. */
  Target target(String name) {
    Target target = targets.get(name);
    if (target == null) {
      throw new IllegalArgumentException("no part '" + name + "'; the parts: " + targets.keySet());
    }
    return target;
  }

  /** Every part's name: the servers', then the platform's own. */
  List<String> partNames() {
    return new ArrayList<>(targets.keySet());
  }

  Endpoints endpoints() {
    return endpoints;
  }

  /** Where the CQL server is, {@code host:port}. */
  String cqlContactPoint() {
    return addresses.cqlContactPoint();
  }

  String cqlDatacenter() {
    return addresses.cqlDatacenter();
  }

  /** The sink's keyspace. */
  String keyspace() {
    return keyspace;
  }

  /** Where the parts' logs are. */
  Path logs() {
    return dir.logs();
  }

  /**
   * Waits until every part is healthy by its record's check; returns the unhealthy ones with what
   * is wrong when {@code timeout} runs out (empty: all healthy).
   */
  Map<String, String> awaitHealthy(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Map<String, String> problems = new LinkedHashMap<>();
      targets.forEach(
          (name, target) -> {
            Optional<String> problem = target.problem();
            problem.ifPresent(p -> problems.put(name, p));
          });
      if (problems.isEmpty() || System.nanoTime() > deadline) {
        return problems;
      }
      Thread.sleep(500);
    }
  }

  @Override
  public void close() throws java.io.IOException {
    try {
      lab.ifPresent(NetLab::healAll);
      StackStop.stopAll(dir, line -> {});
    } finally {
      try {
        servers.values().forEach(LocalServer::close);
      } finally {
        lab.ifPresent(NetLab::close);
      }
    }
  }
}
