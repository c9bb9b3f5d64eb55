package org.iotbackbone.streamsapp.internal.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;
import org.iotbackbone.schemas.ShadowDocument;
import org.iotbackbone.streamsapp.JobLimits;
import org.iotbackbone.streamsapp.JobsSerdes;
import org.iotbackbone.streamsapp.ShadowSerdes;
import org.iotbackbone.streamsapp.internal.auth.Caller;
import org.iotbackbone.streamsapp.internal.auth.KeysUnavailable;
import org.iotbackbone.streamsapp.internal.auth.Scope;
import org.iotbackbone.streamsapp.internal.auth.Unauthorized;
import org.iotbackbone.streamsapp.internal.json.Json;
import org.iotbackbone.streamsapp.internal.shadow.ShadowJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST API (see {@code src/main/resources/openapi.yaml}) on the JDK's HTTP server: a handful of
 * JSON routes need no framework, and the server starts in milliseconds with no dependency.
 *
 * <p>Bounded by {@link HttpLimits}: a fixed pool with a bounded queue (a request beyond it has its
 * connection closed by the server), at most {@link HttpLimits#appPermits()} app routes at once
 * (more is 503 with {@code Retry-After}), so the reserved threads always answer {@code /health},
 * {@code /ready} and {@code /metrics}; and read and response timeouts, so a slow client cannot hold
 * a thread for good.
 */
public final class HttpApi implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
  private static final String SPEC_RESOURCE = "/openapi.yaml";

  private final HttpServer server;
  private final ThreadPoolExecutor executor;
  private final Semaphore appPermits;
  private final int maxBodyBytes;
  private final String spec;
  private final HttpSecurity security;
  private final Supplier<String> metrics;
  private final List<Endpoint> ownEndpoints =
      List.of(
          new Endpoint(new Route("GET", "/health"), null, this::health),
          new Endpoint(new Route("GET", "/ready"), null, this::ready),
          // Open like the probes: Prometheus scrapes without a token; the network keeps it inside.
          new Endpoint(new Route("GET", "/metrics"), null, this::metrics),
          new Endpoint(new Route("GET", SPEC_RESOURCE), null, this::spec),
          new Endpoint(
              new Route("GET", "/devices/{deviceId}/shadow"),
              Scope.SHADOWS_READ,
              (e, p, c) -> readShadow(e, p, c, false)),
          new Endpoint(
              new Route("POST", "/devices/{deviceId}/shadow"),
              Scope.SHADOWS_WRITE,
              (e, p, c) -> updateShadow(e, p, c, false)),
          new Endpoint(
              new Route("GET", "/devices/{deviceId}/shadows/{shadowName}"),
              Scope.SHADOWS_READ,
              (e, p, c) -> readShadow(e, p, c, true)),
          new Endpoint(
              new Route("POST", "/devices/{deviceId}/shadows/{shadowName}"),
              Scope.SHADOWS_WRITE,
              (e, p, c) -> updateShadow(e, p, c, true)),
          new Endpoint(
              new Route("POST", "/devices/{deviceId}/commands"),
              Scope.COMMANDS_WRITE,
              this::sendCommand),
          // A command's status is read by whoever issues commands: the contract has no
          // commands:read scope, and the status is the answer to the write.
          new Endpoint(
              new Route("GET", "/commands/{commandId}"), Scope.COMMANDS_WRITE, this::command),
          // The same status read as the device's (AWS IoT's GetCommandExecution names it too): one
          // lookup on the device's owner, where the id alone is looked for on every instance.
          new Endpoint(
              new Route("GET", "/devices/{deviceId}/commands/{commandId}"),
              Scope.COMMANDS_WRITE,
              this::deviceCommand),
          new Endpoint(new Route("GET", "/devices"), Scope.DEVICES_READ, this::devices));
  // The jobs' routes, attached with the rest of the app.
  private final JobRoutes jobs = new JobRoutes();
  private final List<Endpoint> endpoints =
      Stream.concat(ownEndpoints.stream(), jobs.endpoints().stream()).toList();
  private volatile Queries queries;
  private volatile Writes writes;
  private volatile KafkaStreams streams;

  /**
   * Binds the port (so that its number is known) and starts serving: {@code /health}, {@code
   * /metrics} and {@code /openapi.yaml} at once, the routes that need the app with 503 until {@link
   * #attach}.
   *
   * @param metrics the Prometheus text exposition {@code GET /metrics} answers
   */
  public HttpApi(
      String host, int port, HttpLimits limits, HttpSecurity security, Supplier<String> metrics)
      throws IOException {
    this.security = security;
    this.metrics = metrics;
    this.maxBodyBytes = limits.maxBodyBytes();
    this.spec = readSpec();
    this.appPermits = new Semaphore(limits.appPermits());
    JdkServerProperties.apply(limits.readTimeout(), limits.responseTimeout());
    InetSocketAddress address = new InetSocketAddress(host, port);
    if (security.tlsEnabled()) {
      HttpsServer https = HttpsServer.create(address, 128);
      https.setHttpsConfigurator(new HttpsConfigurator(security.tls()));
      this.server = https;
    } else {
      this.server = HttpServer.create(address, 128);
    }
    // A rejected request (queue full) makes the JDK server close its connection: a refusal the
    // client sees at once, instead of a queue that grows with every slow client.
    this.executor =
        new ThreadPoolExecutor(
            limits.threads(),
            limits.threads(),
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(limits.queueSize()),
            r -> {
              Thread thread = new Thread(r, "http-api");
              thread.setDaemon(true);
              return thread;
            },
            new ThreadPoolExecutor.AbortPolicy());
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /**
   * The routes the API answers, in the order it tries them: the table its dispatcher reads, and
   * what the OpenAPI description ({@code GET /openapi.yaml}) must list.
   */
  public List<Route> routes() {
    return endpoints.stream().map(Endpoint::route).toList();
  }

  /** The port the API listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** Connects the routes to the running app. */
  public void attach(
      KafkaStreams streams,
      HostInfo self,
      Producer<String, byte[]> producer,
      ShadowSerdes serdes,
      ResponseWaiter waiter,
      Duration timeout,
      Duration defaultCommandTtl,
      JobsSerdes jobsSerdes,
      JobLimits jobLimits) {
    this.streams = streams;
    this.writes = new Writes(producer, serdes, waiter, timeout, defaultCommandTtl);
    Queries attached = new Queries(streams, self, timeout, security);
    jobs.attach(attached, producer, jobsSerdes.requests().serializer(), jobLimits, timeout);
    // Last: a non-null queries opens the app's routes.
    this.queries = attached;
  }

  private void handle(HttpExchange exchange) throws IOException {
    Reply reply;
    String challenge = null;
    try {
      reply = route(exchange);
    } catch (ApiError e) {
      reply = error(e.status(), e.getMessage(), e.field());
      challenge = e.challenge();
    } catch (Unauthorized e) {
      reply = error(401, e.getMessage(), null);
      challenge = e.challenge();
    } catch (KeysUnavailable e) {
      LOG.warn(
          "{} {}: {}",
          exchange.getRequestMethod(),
          exchange.getRequestURI().getPath(),
          e.getMessage());
      reply =
          error(503, "The token cannot be verified now (its keys are unavailable); retry", null);
    } catch (RuntimeException e) {
      LOG.error("{} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
      reply = error(500, "Internal error", null);
    }
    byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", reply.contentType());
    reply.headers().forEach(exchange.getResponseHeaders()::set);
    if (reply.status() == 503) {
      exchange.getResponseHeaders().set("Retry-After", "1");
    }
    if (challenge != null) {
      exchange.getResponseHeaders().set("WWW-Authenticate", challenge);
    }
    exchange.sendResponseHeaders(reply.status(), body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  /**
   * The first route whose path and method match answers. A route with a scope needs a token that
   * grants it (401 without a valid token, 403 without the scope, or with a devices limit on a route
   * about every device), checked before anything else, even while the app is starting (then 503); a
   * path no route has is 404, a method its routes do not have 405.
   */
  private Reply route(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getPath();
    boolean pathKnown = false;
    for (Endpoint endpoint : endpoints) {
      Matcher parameters = endpoint.pattern().matcher(path);
      if (!parameters.matches()) {
        continue;
      }
      pathKnown = true;
      if (endpoint.route().method().equals(method)) {
        if (endpoint.scope() == null) {
          return endpoint.handler().handle(exchange, parameters, Caller.UNRESTRICTED);
        }
        Caller caller = authorized(exchange, endpoint.scope());
        if (endpoint.allDevices() && !caller.devices().isAny()) {
          throw new ApiError(
              403,
              "The token is limited to devices and this route is about every device: it needs a"
                  + " token without a devices claim");
        }
        if (endpoint.route().path().contains("{deviceId}")) {
          device(parameters, caller); // 400 or 403 before anything else, even while starting
        }
        return admitted(endpoint, exchange, parameters, caller);
      }
    }
    if (pathKnown) {
      throw new ApiError(405, "Method not allowed: " + method);
    }
    throw new ApiError(404, "No such resource: " + path);
  }

  /** The request's caller, if its token is valid (else 401) and grants the scope (else 403). */
  private Caller authorized(HttpExchange exchange, Scope scope) {
    Caller caller =
        security.authenticator().apply(exchange.getRequestHeaders().getFirst("Authorization"));
    if (!caller.has(scope)) {
      throw new ApiError(
          403,
          "The token does not grant the scope " + scope.value(),
          "Bearer realm=\"iot\", error=\"insufficient_scope\", scope=\"" + scope.value() + "\"");
    }
    return caller;
  }

  /** The device of the path, if valid (else 400) and one the caller may touch (else 403). */
  private static String device(Matcher parameters, Caller caller) {
    String deviceId = Requests.deviceId(parameters.group("deviceId"));
    if (!caller.mayAccess(deviceId)) {
      throw new ApiError(403, "The token is not for device '" + deviceId + "'");
    }
    return deviceId;
  }

  /** Runs an app route if one of the app's permits is free, else answers 503 at once. */
  private Reply admitted(
      Endpoint endpoint, HttpExchange exchange, Matcher parameters, Caller caller)
      throws IOException {
    if (queries == null) {
      throw new ApiError(503, "Starting");
    }
    if (!appPermits.tryAcquire()) {
      throw new ApiError(503, "Overloaded: too many requests in progress; retry");
    }
    try {
      return endpoint.handler().handle(exchange, parameters, caller);
    } finally {
      appPermits.release();
    }
  }

  private Reply health(HttpExchange exchange, Matcher parameters, Caller caller) {
    KafkaStreams.State state = streamsState();
    return stateReply(state, Health.alive(state));
  }

  private Reply ready(HttpExchange exchange, Matcher parameters, Caller caller) {
    KafkaStreams.State state = streamsState();
    return stateReply(state, Health.ready(state));
  }

  private KafkaStreams.State streamsState() {
    KafkaStreams current = streams;
    return current == null ? null : current.state();
  }

  /** {@code {"state": ...}} with 200 when {@code ok}, else 503. */
  private static Reply stateReply(KafkaStreams.State state, boolean ok) {
    ObjectNode out = Json.object();
    out.put("state", state == null ? "STARTING" : state.name());
    return new Reply(ok ? 200 : 503, Json.write(out), "application/json");
  }

  private Reply metrics(HttpExchange exchange, Matcher parameters, Caller caller) {
    return new Reply(200, metrics.get(), "text/plain; version=0.0.4; charset=utf-8");
  }

  private Reply spec(HttpExchange exchange, Matcher parameters, Caller caller) {
    return new Reply(200, spec, "application/yaml");
  }

  private Reply readShadow(
      HttpExchange exchange, Matcher parameters, Caller caller, boolean named) {
    String deviceId = device(parameters, caller);
    String name = named ? Requests.shadowName(parameters.group("shadowName")) : null;
    return queries.shadow(
        deviceId, Forwarding.of(exchange), record -> document(deviceId, name, record));
  }

  private Reply updateShadow(
      HttpExchange exchange, Matcher parameters, Caller caller, boolean named) throws IOException {
    String deviceId = device(parameters, caller);
    String name = named ? Requests.shadowName(parameters.group("shadowName")) : null;
    return writes.updateShadow(deviceId, name, Requests.body(exchange, maxBodyBytes));
  }

  private Reply sendCommand(HttpExchange exchange, Matcher parameters, Caller caller)
      throws IOException {
    return writes.sendCommand(device(parameters, caller), Requests.body(exchange, maxBodyBytes));
  }

  private Reply command(HttpExchange exchange, Matcher parameters, Caller caller) {
    Reply reply = queries.command(parameters.group("commandId"), Forwarding.of(exchange));
    if (reply.status() == 200 && !caller.devices().isAny()) {
      // The status names its device; a token limited to other devices does not see it.
      String deviceId = Json.parseObject(reply.body()).path("deviceId").asText();
      if (!caller.mayAccess(deviceId)) {
        throw new ApiError(403, "The token is not for device '" + deviceId + "'");
      }
    }
    return reply;
  }

  private Reply deviceCommand(HttpExchange exchange, Matcher parameters, Caller caller) {
    return queries.deviceCommand(
        device(parameters, caller), parameters.group("commandId"), Forwarding.of(exchange));
  }

  private Reply devices(HttpExchange exchange, Matcher parameters, Caller caller) {
    String query = exchange.getRequestURI().getRawQuery();
    Map<String, String> params = Requests.params(query);
    Boolean connected =
        params.containsKey("connected") ? Requests.bool(params.get("connected")) : null;
    int limit = Requests.limit(params.getOrDefault("limit", "100"));
    return queries.devices(
        connected,
        limit,
        query == null ? "" : query,
        params.containsKey("local"),
        caller::mayAccess,
        Forwarding.of(exchange));
  }

  /** The OpenAPI description, served as it is in the jar. */
  private static String readSpec() throws IOException {
    try (InputStream in = HttpApi.class.getResourceAsStream(SPEC_RESOURCE)) {
      if (in == null) {
        throw new IOException(SPEC_RESOURCE + " is not on the class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static Reply document(
      String deviceId, String name, org.iotbackbone.schemas.DeviceShadow record) {
    ShadowDocument document =
        record == null ? null : name == null ? record.getClassic() : record.getNamed().get(name);
    if (document == null) {
      throw new ApiError(
          404, "No shadow exists with name: '" + (name == null ? deviceId : name) + "'");
    }
    return Reply.ok(Json.write(ShadowJson.document(document, System.currentTimeMillis())));
  }

  private static Reply error(int status, String message, String field) {
    ObjectNode out = Json.object();
    out.put("code", status);
    out.put("message", message);
    if (field != null) {
      out.put("field", field);
    }
    return new Reply(status, Json.write(out));
  }

  /**
   * The route table's scopes: for each route that needs a token, the scope it needs (what the
   * OpenAPI description must declare).
   */
  public Map<Route, String> scopes() {
    Map<Route, String> scopes = new java.util.LinkedHashMap<>();
    endpoints.stream()
        .filter(endpoint -> endpoint.scope() != null)
        .forEach(endpoint -> scopes.put(endpoint.route(), endpoint.scope().value()));
    return scopes;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
