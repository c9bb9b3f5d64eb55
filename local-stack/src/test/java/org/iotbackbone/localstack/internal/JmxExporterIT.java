package org.iotbackbone.localstack.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.iotbackbone.schemas.topics.TopicSetup;
import org.iotbackbone.schemas.topics.Topics;
import org.iotbackbone.servers.CqlServer;
import org.iotbackbone.servers.KafkaBroker;
import org.iotbackbone.servers.Ports;
import org.iotbackbone.servers.ServerOptions;
import org.iotbackbone.servers.junit.SharedServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka and the Connect worker as {@code ./iot up} starts them, with the Prometheus JMX exporter
 * serving the rules of the Kubernetes ConfigMaps: what a dashboard queries is there, the sink's own
 * series among it.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class JmxExporterIT {

  private static final Path REPO =
      Path.of(System.getProperty("iotbackbone.repoRoot", "..")).toAbsolutePath().normalize();

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path home;

  private static String scrape(String url) throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }

  @Test
  void kafkaServesTheSeriesOfItsConfigMap() throws Exception {
    int port = Ports.free();
    String agent =
        JmxExporter.KAFKA.agentOption(REPO, home.resolve("kafka.yml"), "127.0.0.1", port);
    try (KafkaBroker kafka =
        new KafkaBroker(ServerOptions.builder().jvmOptions(List.of(agent)).build())) {
      kafka.start();
      await()
          .ignoreExceptions()
          .atMost(Duration.ofMinutes(1))
          .untilAsserted(
              () ->
                  assertThat(scrape(JmxExporter.url("127.0.0.1", port)))
                      .contains(
                          "kafka_server_replicamanager_partitioncount ",
                          "kafka_server_raftmetrics_",
                          "kafka_network_requestmetrics_requests_total{",
                          "jvm_memory_heap_used_bytes "));
    }
  }

  @Test
  void connectServesTheSinksSeriesAndItsLag() throws Exception {
    KafkaBroker kafka = SharedServers.kafka();
    CqlServer cql = SharedServers.cql();
    var registry = SharedServers.schemaRegistry();
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
      TopicSetup.createMissing(admin, Topics.all(3), (short) 1);
    }
    StackDir dir = new StackDir(home);
    String instance = "jmx" + UUID.randomUUID().toString().substring(0, 6);
    StackParts parts =
        new StackParts(
            dir,
            new StackParts.Settings(3, true, Duration.ofMinutes(5), instance, 1, false),
            REPO,
            StackSecurity.insecure(dir.principals()));
    StackServers servers =
        new StackServers(
            new StackServers.MqttAt(
                List.of(StackServers.BrokerAt.plain(new java.net.InetSocketAddress(1883))),
                "",
                "",
                Optional.empty()),
            kafka.bootstrapServers(),
            new StackServers.RegistryAt(registry.confluentApiUrl(), registry.apicurioApiUrl()),
            new StackServers.CqlAt(cql.contactPointString(), cql.localDatacenter()));
    int restPort = Ports.free();
    try {
      parts.startConnect(restPort, kafka.bootstrapServers());
      parts.createSinkConnector(restPort, servers, Duration.ofMinutes(3));
      String url = dir.parts().get("connect").get(EndpointsFile.METRICS_URL);
      assertThat(url).startsWith("http://127.0.0.1:").endsWith("/metrics");
      // The task registers its metrics when it starts (a CQL session first: up to a minute here).
      await()
          .ignoreExceptions()
          .atMost(Duration.ofMinutes(3))
          .untilAsserted(
              () ->
                  assertThat(scrape(url))
                      .contains(
                          "kafka_connect_scylla_sink_writes_total{connector=\"scylla-sink\",task=\"0\"} 0.0",
                          "kafka_connect_scylla_sink_retries_total{connector=\"scylla-sink\",task=\"0\"}",
                          "kafka_connect_scylla_sink_coalesced_writes_total{",
                          "kafka_connect_scylla_sink_rows_written_total{",
                          "kafka_connect_scylla_sink_write_latency_avg_ms{",
                          "kafka_connect_scylla_sink_dead_letters_total{connector=\"scylla-sink\",reason=\"WRITE_FAILED\",task=\"0\"} 0.0",
                          "kafka_consumer_fetch_manager_records_lag_max{client_id=\"connector-consumer-scylla-sink-0\"}",
                          "kafka_connect_worker_connector_count ")
                      // The converters' plugin beans carry one tag more: not the sink's series.
                      .doesNotContainPattern(
                          "kafka_connect_scylla_sink_[a-z_]+\\{[^}]*converter="));
    } finally {
      StackStop.stopAll(dir, line -> {});
    }
  }
}
