package org.iotbackbone.streamsapp.internal.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;
import org.iotbackbone.schemas.ShadowDocument;
import org.iotbackbone.streamsapp.ShadowSerdes;
import org.iotbackbone.streamsapp.internal.json.Json;
import org.iotbackbone.streamsapp.internal.shadow.ShadowJson;
import org.iotbackbone.streamsapp.internal.streams.DeviceIds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST API (see {@code src/main/resources/openapi.yaml}) on the JDK's HTTP server: a handful of
 * JSON routes need no framework, and the server starts in milliseconds with no dependency.
 */
public final class HttpApi implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
  private static final Pattern SHADOW = Pattern.compile("/devices/([^/]+)/shadow(?:s/([^/]+))?");
  private static final Pattern COMMANDS = Pattern.compile("/devices/([^/]+)/commands");
  private static final Pattern COMMAND = Pattern.compile("/commands/([^/]+)");
  private static final Pattern SHADOW_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  private final HttpServer server;
  private final ExecutorService executor;
  private final int maxBodyBytes;
  private volatile Queries queries;
  private volatile Writes writes;
  private volatile KafkaStreams streams;

  /**
   * Binds the port (so that its number is known) and starts serving; routes answer 503 until {@link
   * #attach}.
   */
  public HttpApi(String host, int port, int maxBodyBytes) throws IOException {
    this.maxBodyBytes = maxBodyBytes;
    this.server = HttpServer.create(new InetSocketAddress(host, port), 128);
    this.executor =
        Executors.newFixedThreadPool(
            8,
            r -> {
              Thread thread = new Thread(r, "http-api");
              thread.setDaemon(true);
              return thread;
            });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
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
      Duration defaultCommandTtl) {
    this.streams = streams;
    this.writes = new Writes(producer, serdes, waiter, timeout, defaultCommandTtl);
    this.queries = new Queries(streams, self, timeout);
  }

  private void handle(HttpExchange exchange) throws IOException {
    Reply reply;
    try {
      reply = route(exchange);
    } catch (ApiError e) {
      reply = error(e.status(), e.getMessage());
    } catch (RuntimeException e) {
      LOG.error("{} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
      reply = error(500, "Internal error");
    }
    byte[] body = reply.json().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(reply.status(), body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private Reply route(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getPath();
    String query = exchange.getRequestURI().getRawQuery();
    String pathAndQuery =
        exchange.getRequestURI().getRawPath() + (query == null ? "" : "?" + query);
    boolean forwarded = exchange.getRequestHeaders().containsKey(Queries.FORWARDED_HEADER);
    if (path.equals("/health")) {
      KafkaStreams current = streams;
      ObjectNode out = Json.object();
      out.put("state", current == null ? "STARTING" : current.state().name());
      return Reply.ok(Json.write(out));
    }
    if (queries == null) {
      throw new ApiError(503, "Starting");
    }
    Matcher shadow = SHADOW.matcher(path);
    if (shadow.matches()) {
      String deviceId = deviceId(shadow.group(1));
      String name = shadow.group(2) == null ? null : shadowName(shadow.group(2));
      if (method.equals("GET")) {
        return queries.shadow(
            deviceId, pathAndQuery, forwarded, record -> document(deviceId, name, record));
      }
      if (method.equals("POST")) {
        return writes.updateShadow(deviceId, name, body(exchange));
      }
      throw new ApiError(405, "Method not allowed: " + method);
    }
    Matcher commands = COMMANDS.matcher(path);
    if (commands.matches()) {
      requireMethod(method, "POST");
      return writes.sendCommand(deviceId(commands.group(1)), body(exchange));
    }
    Matcher command = COMMAND.matcher(path);
    if (command.matches()) {
      requireMethod(method, "GET");
      return queries.command(command.group(1), pathAndQuery, forwarded);
    }
    if (path.equals("/devices")) {
      requireMethod(method, "GET");
      Map<String, String> params = params(query);
      Boolean connected = params.containsKey("connected") ? bool(params.get("connected")) : null;
      int limit = limit(params.getOrDefault("limit", "100"));
      return queries.devices(
          connected, limit, query == null ? "" : query, params.containsKey("local"));
    }
    throw new ApiError(404, "No such resource: " + path);
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

  private String body(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      byte[] bytes = in.readNBytes(maxBodyBytes + 1);
      if (bytes.length > maxBodyBytes) {
        throw new ApiError(413, "The body is larger than " + maxBodyBytes + " bytes");
      }
      var decoder = StandardCharsets.UTF_8.newDecoder();
      try {
        return decoder.decode(java.nio.ByteBuffer.wrap(bytes)).toString();
      } catch (java.nio.charset.CharacterCodingException e) {
        throw new ApiError(415, "The body is not UTF-8");
      }
    }
  }

  private static String deviceId(String raw) {
    if (!DeviceIds.isValid(raw)) {
      throw new ApiError(400, "Invalid device id: 1 to 64 characters of [A-Za-z0-9_-]");
    }
    return raw;
  }

  private static String shadowName(String raw) {
    if (!SHADOW_NAME.matcher(raw).matches()) {
      throw new ApiError(400, "Invalid shadow name: 1 to 64 characters of [A-Za-z0-9_-]");
    }
    return raw;
  }

  private static void requireMethod(String method, String allowed) {
    if (!method.equals(allowed)) {
      throw new ApiError(405, "Method not allowed: " + method);
    }
  }

  private static Map<String, String> params(String query) {
    Map<String, String> params = new HashMap<>();
    if (query != null) {
      for (String pair : query.split("&")) {
        int eq = pair.indexOf('=');
        String key =
            URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        String value =
            eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        params.put(key, value);
      }
    }
    return params;
  }

  private static Boolean bool(String value) {
    if (value.equals("true") || value.equals("false")) {
      return Boolean.valueOf(value);
    }
    throw new ApiError(400, "connected must be true or false");
  }

  private static int limit(String value) {
    try {
      int limit = Integer.parseInt(value);
      if (limit >= 1 && limit <= 1000) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new ApiError(400, "limit must be a whole number from 1 to 1000");
  }

  private static Reply error(int status, String message) {
    ObjectNode out = Json.object();
    out.put("code", status);
    out.put("message", message);
    return new Reply(status, Json.write(out));
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
