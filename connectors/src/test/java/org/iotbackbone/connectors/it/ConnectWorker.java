package org.iotbackbone.connectors.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import javax.management.AttributeNotFoundException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.ObjectName;
import org.apache.kafka.connect.cli.ConnectDistributed;
import org.apache.kafka.connect.runtime.Connect;
import org.apache.kafka.connect.runtime.distributed.DistributedHerder;
import org.iotbackbone.connectors.WorkerProperties;
import org.iotbackbone.servers.junit.SharedServers;

/**
 * A real Kafka Connect worker in distributed mode, in this JVM, against a real broker: the worker
 * Strimzi runs, started by Connect's own command-line class. Connectors are created through its
 * REST API, as Strimzi's operator does. The plugin is found on the classpath through its {@code
 * META-INF/services} entry ({@code plugin.discovery=service_load}, what Strimzi's images default
 * to), not in an isolated plugin directory.
 */
final class ConnectWorker implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The worker the module's tests share; see {@link #shared()}. */
  private static ConnectWorker shared;

  private final Connect<DistributedHerder> connect;
  private final URI url;
  private final HttpClient http = HttpClient.newHttpClient();

  private ConnectWorker(Connect<DistributedHerder> connect) {
    this.connect = connect;
    this.url = connect.rest().advertisedUrl();
  }

  /**
   * The worker every test of this JVM shares, started on first use (30-70 s on this machine) and
   * stopped when the JVM exits. Tests create connectors of their own names and delete them.
   */
  static synchronized ConnectWorker shared() {
    if (shared == null) {
      shared = start(SharedServers.kafka().bootstrapServers());
      ConnectWorker worker = shared;
      Runtime.getRuntime().addShutdownHook(new Thread(worker::close, "connect-worker-stop"));
    }
    return shared;
  }

  /** Starts a worker of a group of its own; returns when its REST API answers. */
  static ConnectWorker start(String bootstrapServers) {
    String id = "it-connect-" + UUID.randomUUID().toString().substring(0, 8);
    Map<String, String> props =
        WorkerProperties.distributed(bootstrapServers, id, "http://127.0.0.1:0")
            // Sink offsets are committed every second, so a test can read a group's progress.
            .with("offset.flush.interval.ms", "1000")
            .with("scheduled.rebalance.max.delay.ms", "0")
            .with("consumer.max.poll.records", "2000")
            .toMap();
    return new ConnectWorker(new ConnectDistributed().startConnect(props));
  }

  /** Creates or updates a connector ({@code PUT /connectors/NAME/config}). */
  void putConnector(String name, Map<String, String> config)
      throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(url.resolve("/connectors/" + name + "/config"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(config)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() / 100 != 2) {
      throw new IllegalStateException(
          "connector " + name + ": HTTP " + response.statusCode() + " " + response.body());
    }
  }

  /** Validates a configuration ({@code PUT /connector-plugins/CLASS/config/validate}). */
  JsonNode validate(String connectorClass, Map<String, String> config)
      throws IOException, InterruptedException {
    String simpleName = connectorClass.substring(connectorClass.lastIndexOf('.') + 1);
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(
                    url.resolve("/connector-plugins/" + simpleName + "/config/validate"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(config)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(response.body());
  }

  void deleteConnector(String name) throws IOException, InterruptedException {
    http.send(
        HttpRequest.newBuilder(url.resolve("/connectors/" + name)).DELETE().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** {@code GET /connectors/NAME/status}, or a missing node while it is not known yet. */
  JsonNode status(String name) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(url.resolve("/connectors/" + name + "/status")).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    return response.statusCode() == 200 ? JSON.readTree(response.body()) : JSON.missingNode();
  }

  /** The state of the connector's first task (RUNNING, FAILED, ...), or "" while it has none. */
  String taskState(String name) throws IOException, InterruptedException {
    return status(name).path("tasks").path(0).path("state").asText("");
  }

  /** The trace of the first task when it failed. */
  String taskTrace(String name) throws IOException, InterruptedException {
    return status(name).path("tasks").path(0).path("trace").asText("");
  }

  /**
   * A metric the first task of connector {@code name} registered through Connect's plugin metrics,
   * read from JMX as the Prometheus JMX exporter reads it ({@code
   * kafka.connect:type=plugins,connector=NAME,task=0[,TAG=VALUE...]}); null while it is not
   * registered.
   */
  static Double pluginMetric(String name, String metric, String... tags) {
    // The tests' connector names need no quoting (Kafka's JmxReporter quotes only special ones).
    StringBuilder bean =
        new StringBuilder("kafka.connect:type=plugins,connector=" + name + ",task=0");
    for (int i = 0; i + 1 < tags.length; i += 2) {
      bean.append(',').append(tags[i]).append('=').append(tags[i + 1]);
    }
    try {
      return (Double)
          ManagementFactory.getPlatformMBeanServer()
              .getAttribute(new ObjectName(bean.toString()), metric);
    } catch (InstanceNotFoundException | AttributeNotFoundException e) {
      return null;
    } catch (JMException e) {
      throw new IllegalStateException("cannot read " + bean + " " + metric, e);
    }
  }

  @Override
  public void close() {
    connect.stop();
    connect.awaitStop();
  }
}
