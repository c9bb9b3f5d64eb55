package org.iotbackbone.localstack.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.iotbackbone.servers.Ports;
import org.iotbackbone.servers.launch.ProcessTree;
import org.iotbackbone.simulator.Endpoints;

/**
 * Starts the platform's own parts on servers that are starting or running: the topics once Kafka is
 * there, then Connect, the streams app and the bridge each as soon as the servers it needs are
 * ready; then the sink connector, and waits until every part is healthy.
 */
public final class PartStarts {

  private final StackDir dir;
  private final StackParts.Settings settings;
  private final Path repoRoot;

  /**
   * How long the all-scopes token of {@code endpoints.env} is valid: longer than a local stack
   * usually runs (a new {@code up} writes a new one); {@code ./iot token create} makes others.
   */
  static final java.time.Duration ENDPOINTS_TOKEN_TTL = java.time.Duration.ofDays(30);

  /** How each part was started, to start it again the same way (same ports, same data). */
  private final Map<String, IoAction> starters = new ConcurrentHashMap<>();

  public PartStarts(StackDir dir, StackParts.Settings settings, Path repoRoot) {
    this.dir = dir;
    this.settings = settings;
    this.repoRoot = repoRoot;
  }

  /** Starts the parts; returns the endpoints (also written to {@code endpoints.env}). */
  public Endpoints start(ServerStarts starts, Consumer<String> progress) throws Exception {
    long begun = System.nanoTime();
    ExecutorService pool = Executors.newCachedThreadPool(Threads.daemon("part-start"));
    int restPort = Ports.free();
    int bridgePort = Ports.free();
    int connectPort = Ports.free();
    RestTokens tokens = RestTokens.of(dir.restAuth());
    try {
      CompletableFuture<StackParts> ready =
          starts
              .kafka()
              .thenApplyAsync(
                  kafka -> {
                    StackSecurity security = starts.security();
                    security.putPrincipals(kafka, settings.appIds());
                    int partitions =
                        StackTopics.createMissing(
                            kafka,
                            security.clientSettings(StackSecurity.TOOLS_PRINCIPAL),
                            settings.partitions(),
                            progress);
                    return new StackParts(
                        dir, settings.withPartitions(partitions), repoRoot, security);
                  },
                  pool);
      CompletableFuture<Void> connect =
          ready.thenAcceptAsync(
              parts -> {
                startPart("connect", () -> parts.startConnect(connectPort, starts.kafka().join()));
                progress.accept("started Kafka Connect");
              },
              pool);
      // As the deployment's registration Job does: every subject gets this build's schema with
      // BACKWARD compatibility before a part writes, and the parts do not register their own.
      CompletableFuture<Void> schemas =
          starts
              .registry()
              .thenAcceptAsync(
                  registry -> {
                    StackSchemas.register(registry.confluentUrl(), settings.startTimeout());
                    progress.accept("schemas registered (BACKWARD)");
                  },
                  pool);
      CompletableFuture<Void> streams =
          CompletableFuture.allOf(ready, schemas)
              .thenRunAsync(
                  () -> {
                    startPart(
                        "streams-app",
                        () ->
                            ready
                                .join()
                                .startStreamsApp(
                                    restPort,
                                    starts.kafka().join(),
                                    starts.registry().join().confluentUrl(),
                                    tokens.publicKeys()));
                    progress.accept("started the streams app");
                  },
                  pool);
      CompletableFuture<Void> bridge =
          CompletableFuture.allOf(ready, schemas, starts.mqtt())
              .thenRunAsync(
                  () -> {
                    StackServers.MqttAt mqtt = starts.mqtt().join();
                    startPart(
                        "ingest-bridge",
                        () ->
                            ready
                                .join()
                                .startBridge(
                                    bridgePort,
                                    mqtt,
                                    starts.kafka().join(),
                                    starts.registry().join().confluentUrl()));
                    progress.accept("started the bridge");
                  },
                  pool);
      try {
        CompletableFuture.allOf(starts.all(), connect, streams, bridge).join();
      } catch (CompletionException e) {
        if (e.getCause() instanceof Exception cause) {
          throw cause;
        }
        throw e;
      }
      StackServers servers = starts.servers();
      StackParts parts = ready.join();
      parts.createSinkConnector(connectPort, servers, settings.startTimeout());
      awaitHealthy(List.of("streams-app", "ingest-bridge", "connect"), progress);
      progress.accept(
          String.format("platform parts healthy in %.1f s", (System.nanoTime() - begun) / 1e9));
      return EndpointsFile.write(
          dir,
          servers,
          starts.security(),
          parts.keyspace(),
          parts.url("streams-app", restPort),
          parts.url("connect", connectPort),
          parts.url("ingest-bridge", bridgePort),
          tokens.allScopes(ENDPOINTS_TOKEN_TTL));
    } finally {
      pool.shutdown();
    }
  }

  /**
   * Starts a part that {@link #start} started before and that has ended (killed), the same way:
   * same ports, same data directory, same servers; its record is replaced.
   */
  public void restart(String part) throws IOException {
    IoAction starter = starters.get(part);
    if (starter == null) {
      throw new IllegalArgumentException(
          "no part " + part + " was started here: " + starters.keySet());
    }
    starter.run();
  }

  private void startPart(String part, IoAction starter) {
    starters.put(part, starter);
    run(starter);
  }

  /** An action that may fail with an I/O error, for the start futures. */
  private interface IoAction {
    void run() throws IOException;
  }

  private static void run(IoAction action) {
    try {
      action.run();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void awaitHealthy(List<String> names, Consumer<String> progress)
      throws InterruptedException {
    long deadline = System.nanoTime() + settings.startTimeout().toNanos();
    String last = "";
    while (true) {
      Map<String, Map<String, String>> parts = dir.parts();
      List<String> waiting = new ArrayList<>();
      for (String name : names) {
        Optional<String> problem = Health.problem(parts.get(name));
        if (problem.isPresent()) {
          if (!ProcessTree.alive(Long.parseLong(parts.get(name).get("pid")))) {
            throw new IllegalStateException(
                name + " exited while starting; its log: " + parts.get(name).get("logFile"));
          }
          waiting.add(name + ": " + problem.get());
        }
      }
      if (waiting.isEmpty()) {
        return;
      }
      String line = "waiting for " + String.join("; ", waiting);
      if (!line.equals(last)) {
        progress.accept(line);
        last = line;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "not healthy within " + settings.startTimeout().toSeconds() + " s: " + waiting);
      }
      Thread.sleep(500);
    }
  }
}
