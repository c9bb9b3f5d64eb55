package org.iotbackbone.servers;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.iotbackbone.servers.internal.DistributionCache;
import org.iotbackbone.servers.internal.ProcessSpec;
import org.iotbackbone.servers.internal.Runtimes;
import org.iotbackbone.servers.launch.Launch;

/**
 * A schema registry on 127.0.0.1: Apicurio Registry 3.0.9, which speaks the Confluent Schema
 * Registry API ({@link #confluentApiUrl()}) beside its own ({@link #apicurioApiUrl()}).
 *
 * <p>Schemas are kept in an H2 database in the data directory: {@link #stop()} or {@link #kill()}
 * followed by {@link #start()} brings back the same registry, every schema under its id, at the
 * same address. {@link #close()} deletes them with the data directory.
 *
 * <p>The server distribution is unpacked on first use into a directory shared by every run on the
 * machine (see {@link DistributionCache}), which adds about 10 s once.
 *
 * <p>How Apicurio 3.0.9 differs from Confluent's registry, as the integration test shows:
 *
 * <ul>
 *   <li>the global compatibility level is {@code NONE} (Confluent: {@code BACKWARD});
 *   <li>the id returned by a registration is Apicurio's {@code contentId}: the same schema
 *       registered under two subjects gets the same id (as in Confluent), while Apicurio's {@code
 *       globalId} counts versions;
 *   <li>a registration that breaks the subject's compatibility level is refused with HTTP 409.
 * </ul>
 */
public final class SchemaRegistry extends ProcessBackedServer {

  private static final String RUNTIME = "apicurio";
  private static final String MAIN_CLASS = "io.quarkus.runner.GeneratedMain";
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  private final int port;

  /** A registry with the default options. */
  public SchemaRegistry() {
    this(ServerOptions.defaults());
  }

  /** A registry with the given options. */
  public SchemaRegistry(ServerOptions options) {
    super("schema-registry", options);
    this.port = Ports.free();
  }

  private SchemaRegistry(Map<String, String> description) {
    super("schema-registry", description);
    this.port = Integer.parseInt(required(description, "port"));
  }

  /**
   * A view of a running registry that another process started, from its {@link #description()}: it
   * can be used, not stopped.
   */
  public static SchemaRegistry attach(Map<String, String> description) {
    return new SchemaRegistry(description);
  }

  /** The registry's root, {@code http://HOST:PORT}. */
  public String url() {
    return "http://" + host() + ":" + port;
  }

  /**
   * The Confluent-compatible API, {@code url()/apis/ccompat/v7}: the URL Confluent clients take as
   * {@code schema.registry.url}.
   */
  public String confluentApiUrl() {
    return url() + "/apis/ccompat/v7";
  }

  /**
   * Apicurio's own API, {@code url()/apis/registry/v3}: the URL Apicurio's serdes take as {@code
   * apicurio.registry.url}.
   */
  public String apicurioApiUrl() {
    return url() + "/apis/registry/v3";
  }

  @Override
  void describe(Map<String, String> description) {
    description.put("port", Integer.toString(port));
  }

  @Override
  ProcessSpec prepare() throws IOException {
    Path home = DistributionCache.unpacked(distribution());
    Path tmp = Files.createDirectories(dataDir().resolve("tmp"));
    Launch launch =
        java(MAIN_CLASS)
            .jvmOptions(jvmArgs(tmp))
            .jvmOptions(serverProperties(tmp))
            // The runner jar's manifest Class-Path names the distribution's lib/*.jar.
            .classPathOf(List.of(runnerJar(home)))
            .workDir(dataDir());
    // Quarkus logs "... started in 9.8s. Listening on: http://127.0.0.1:PORT" once HTTP is bound.
    Pattern readyLine = Pattern.compile("Listening on: " + Pattern.quote(url()) + "\\b");
    return new ProcessSpec(launch, readyLine);
  }

  /** Ready when the health check says the storage and the REST layer are up. */
  @Override
  boolean isReady() {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url() + "/health/ready"))
            .timeout(Duration.ofSeconds(5))
            .GET()
            .build();
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ServerStartException(name() + ": interrupted while waiting for it", e);
    }
  }

  private static List<String> jvmArgs(Path tmp) {
    return List.of(
        // Measured: about 230 MB RSS with this heap; an empty registry needs little more.
        "-Xmx256m",
        // Vert.x and H2 write temporary files; keep them in the data directory, which close()
        // deletes.
        "-Djava.io.tmpdir=" + tmp);
  }

  /** Quarkus reads system properties before the defaults packed in the runner jar. */
  private List<String> serverProperties(Path tmp) {
    List<String> properties = new ArrayList<>();
    // HTTP on loopback only; Quarkus binds no other port in this distribution (no TLS, no
    // management interface).
    properties.add("-Dquarkus.http.host=" + host());
    properties.add("-Dquarkus.http.port=" + port);
    // H2 in a file of the data directory, so that a restart (a kill -9 included) finds every
    // schema again, as a deployment's registry on Kafka (kafkasql) does: records in Kafka name
    // their schemas by id, and a registry that forgot them would make them unreadable. Each commit
    // is written at once (WRITE_DELAY=0; H2 otherwise waits up to 0.5 s). The pool may close every
    // connection; the database stays open until the JVM exits.
    properties.add("-Dapicurio.storage.kind=sql");
    properties.add("-Dapicurio.storage.sql.kind=h2");
    properties.add(
        "-Dapicurio.datasource.url=jdbc:h2:file:"
            + dataDir().resolve("h2").resolve("registry")
            + ";DB_CLOSE_DELAY=-1;WRITE_DELAY=0");
    // The default pool opens 20 connections at start; tests need a few.
    properties.add("-Dapicurio.datasource.jdbc.initial-size=2");
    properties.add("-Dapicurio.datasource.jdbc.min-size=2");
    // The first connection loads the H2 engine; on a busy machine that took longer than the
    // default 5 s, and the registry failed to start ("Acquisition timeout").
    properties.add("-Dquarkus.datasource.h2.jdbc.acquisition-timeout=60s");
    // Nothing that phones home: an OIDC tenant would fetch https://auth.apicur.io at start.
    properties.add("-Dquarkus.oidc.tenant-enabled=false");
    properties.add("-Dapicurio.import.work-dir=" + tmp);
    properties.add("-Dapicurio.storage.snapshot.location=" + tmp);
    // The distribution logs at WARN; the ready line is logged at INFO by the logger "io.quarkus"
    // (the log shows the calling class, io.quarkus.bootstrap.runner.Timing, not the logger).
    properties.add("-Dquarkus.log.category.\"io.quarkus\".level=INFO");
    // On a busy machine class loading blocks the event loop for seconds at start; Vert.x would
    // log a stack trace for each.
    properties.add("-Dquarkus.vertx.max-event-loop-execute-time=30s");
    return properties;
  }

  /** The tar.gz that the runtime module's classpath file names. */
  private static Path distribution() {
    return Runtimes.classpath(RUNTIME).stream()
        .filter(path -> path.getFileName().toString().endsWith(".tar.gz"))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "runtime '" + RUNTIME + "' names no server distribution (.tar.gz)"));
  }

  private static Path runnerJar(Path home) throws IOException {
    try (Stream<Path> files = Files.list(home)) {
      return files
          .filter(path -> path.getFileName().toString().endsWith("-runner.jar"))
          .findFirst()
          .orElseThrow(() -> new IOException("no *-runner.jar in " + home));
    }
  }
}
