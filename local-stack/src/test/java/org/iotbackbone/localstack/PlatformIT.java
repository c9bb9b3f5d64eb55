package org.iotbackbone.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.MqttClientSslConfigBuilder;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.iotbackbone.localstack.internal.EndpointsFile;
import org.iotbackbone.localstack.internal.JmxExporter;
import org.iotbackbone.localstack.internal.LocalPrometheus;
import org.iotbackbone.localstack.internal.MonitoringFiles;
import org.iotbackbone.localstack.internal.RestTokens;
import org.iotbackbone.localstack.internal.StackDir;
import org.iotbackbone.localstack.internal.fuzz.NormalDevice;
import org.iotbackbone.pki.DevicePki;
import org.iotbackbone.pki.TlsContexts;
import org.iotbackbone.schemas.access.KafkaAccess;
import org.iotbackbone.schemas.access.Principals;
import org.iotbackbone.schemas.registry.ConfluentRegistryClient;
import org.iotbackbone.schemas.registry.IncompatibleSchemaException;
import org.iotbackbone.schemas.topics.TopicDefinition;
import org.iotbackbone.schemas.topics.Topics;
import org.iotbackbone.servers.BrokerTls;
import org.iotbackbone.servers.CqlServer;
import org.iotbackbone.servers.Distribution;
import org.iotbackbone.servers.KafkaBroker;
import org.iotbackbone.servers.MqttBroker;
import org.iotbackbone.servers.MqttBrokerKind;
import org.iotbackbone.servers.MqttBrokerOptions;
import org.iotbackbone.servers.MqttListener;
import org.iotbackbone.servers.Ports;
import org.iotbackbone.servers.SchemaRegistry;
import org.iotbackbone.servers.ServerOptions;
import org.iotbackbone.servers.junit.SharedServers;
import org.iotbackbone.simulator.Count;
import org.iotbackbone.simulator.Endpoints;
import org.iotbackbone.simulator.Leg;
import org.iotbackbone.simulator.Scenario;
import org.iotbackbone.simulator.Simulation;
import org.iotbackbone.simulator.SimulationReport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * The platform end to end, brought up by the code {@code ./iot up} runs (the streams app and the
 * bridge from their distributions, a Connect worker with the sink, each in a JVM of its own; the
 * build sets {@code iotbackbone.repoRoot} so that the distributions are found) on the build's
 * shared servers, with two MQTT brokers behind the bridge, and driven by the device simulator:
 * every leg is asserted, from device to Kafka, changelog, CQL table and REST, and from REST back to
 * a device.
 *
 * <p>The servers are the build's shared ones rather than four started by {@code up}: the code that
 * starts them is {@code local-servers}', tested there, and starting them again here would add two
 * to three minutes to the build.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
// Bounds the whole run (servers, parts, devices, 20 simulated devices, drain): a hang fails here
// rather than at the CI's limit.
@Timeout(value = 25, unit = TimeUnit.MINUTES)
class PlatformIT {

  private static final Logger LOG = LoggerFactory.getLogger(PlatformIT.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();

  /** The all-scopes token of endpoints.env: the REST API runs with authentication, as deployed. */
  private String authorization;

  @TempDir static Path home;

  private MqttBroker mqtt;
  private MqttBroker second;
  private KafkaBroker kafka;
  private CqlServer cql;
  private String instance;
  private Platform platform;
  private Endpoints endpoints;

  @BeforeAll
  void up() throws Exception {
    instance = "it" + UUID.randomUUID().toString().substring(0, 6);
    // With the stack's Prometheus (./iot up --monitoring) where its binary is installed, and in CI
    // (where a missing one fails the start): the last test checks every part's metrics with it.
    platform =
        new Platform(
            home,
            new Platform.Options(3, true, Duration.ofMinutes(8), instance, 1)
                .withMonitoring(LocalPrometheus.binary().isPresent() || isCi()));
    // Two secure brokers of its own, as ./iot up --brokers 2 runs them: TLS listeners only,
    // devices by certificates of the stack's CA (HOME/pki), the bridge by the back end's; the
    // simulator spreads the devices over them, and the command below goes out through the second.
    DevicePki pki = DevicePki.openOrCreate(platform.devicePki());
    mqtt = secureMosquitto(pki, "mqtt");
    second = secureMosquitto(pki, "mqtt-2");
    // A Kafka of its own with SCRAM and ACLs, as ./iot up runs it: every part logs in as its
    // principal, with the least ACLs it needs.
    String superUserPassword = KafkaAccess.newPassword();
    // With the Prometheus JMX exporter and the rules of strimzi's kafka-metrics ConfigMap, as
    // ./iot up runs it; recorded as the stack's kafka part with its metrics URL, so that
    // endpoints.env lists it (METRICS_KAFKA_URLS) and the stack's Prometheus scrapes it.
    int kafkaMetricsPort = Ports.free();
    kafka =
        KafkaBroker.withScram(
            ServerOptions.builder()
                .jvmOptions(
                    List.of(
                        JmxExporter.KAFKA.agentOption(
                            Distribution.repositoryRoot(PlatformIT.class),
                            home.resolve("kafka-jmx-exporter.yml"),
                            "127.0.0.1",
                            kafkaMetricsPort)))
                .build(),
            Principals.ADMIN.name(),
            superUserPassword);
    kafka.start();
    Map<String, String> kafkaRecord = new java.util.LinkedHashMap<>(kafka.description());
    kafkaRecord.put(EndpointsFile.METRICS_URL, JmxExporter.url("127.0.0.1", kafkaMetricsPort));
    new StackDir(home).save("kafka", kafkaRecord);
    SchemaRegistry registry = SharedServers.schemaRegistry();
    cql = SharedServers.cql();
    endpoints =
        platform.upOn(
            new Platform.Servers(
                List.of(mqtt, second),
                "",
                "",
                kafka.bootstrapServers(),
                registry.confluentApiUrl(),
                registry.apicurioApiUrl(),
                cql.contactPointString(),
                cql.localDatacenter(),
                superUserPassword),
            LOG::info);
    // ./iot devices revoke finds the brokers in the stack's state, as those ./iot up starts.
    new StackDir(home).save("mqtt", mqtt.description());
    new StackDir(home).save("mqtt-2", second.description());
  }

  private static MqttBroker secureMosquitto(DevicePki pki, String part) {
    MqttBroker broker =
        MqttBrokerKind.MOSQUITTO.create(
            MqttBrokerOptions.builder()
                .tls(BrokerTls.issue(pki, home.resolve(part + "-tls"), List.of()))
                .build(),
            ServerOptions.defaults());
    broker.start();
    return broker;
  }

  @AfterAll
  void down() throws Exception {
    try {
      if (platform != null) {
        platform.down(LOG::info);
      }
    } finally {
      for (AutoCloseable server : new AutoCloseable[] {mqtt, second, kafka}) {
        if (server != null) {
          server.close();
        }
      }
    }
  }

  /**
   * Secure by default: {@code endpoints.env} names the TLS listeners and the CA; a device with a
   * certificate from {@code ./iot devices create} gets an event into Kafka, its shadow update
   * answered and a command through REST; after {@code ./iot devices revoke} the same certificate is
   * refused at its next connect; a device without a certificate is refused.
   */
  @Test
  @Order(1)
  void onlyDevicesWithACertificateOfTheStackGetIn() throws Exception {
    Map<String, String> variables = Endpoints.readEnvFile(home.resolve("endpoints.env"));
    assertThat(variables.get(Endpoints.MQTT_URL)).startsWith("ssl://127.0.0.1:");
    assertThat(variables.get(Endpoints.MQTT_URLS).split(","))
        .containsExactly(mqtt.uri(MqttListener.TLS), second.uri(MqttListener.TLS));
    assertThat(variables.get(Endpoints.MQTT_WS_URL)).isEqualTo(mqtt.uri(MqttListener.WSS));
    assertThat(variables.get(Endpoints.MQTT_SECRET_URL)).isEqualTo(mqtt.uri(MqttListener.SECRET));
    Path ca = Path.of(variables.get(Endpoints.DEVICE_CA_FILE));
    assertThat(ca).isEqualTo(platform.devicePki().resolve("ca.crt")).exists();
    assertThat(variables.get(Endpoints.DEVICE_PKI_DIR)).isEqualTo(platform.devicePki().toString());
    assertThat(variables.get(Endpoints.METRICS_STREAMS_URLS))
        .isEqualTo(variables.get(Endpoints.REST_URL) + "/metrics");
    assertThat(variables.values())
        .as("the bridge's listener is not the devices'")
        .noneMatch(v -> v.contains(":" + mqtt.port(MqttListener.BACKEND)));

    String device = instance + "-lamp";
    StringWriter out = new StringWriter();
    CommandLine iot = IotMain.commandLine().setOut(new PrintWriter(out));
    assertThat(iot.execute("devices", "create", device, "--home", home.toString()))
        .as(out.toString())
        .isZero();
    Path certificate = home.resolve("devices/" + device + ".crt");
    Path key = home.resolve("devices/" + device + ".key");
    List<String> problems =
        NormalDevice.check(
            deviceClient(device, Optional.of(certificate), Optional.of(key), ca).buildAsync(),
            endpoints.kafkaClientConfig(),
            endpoints.registry(),
            endpoints.restUrl(),
            endpoints.restAuthorization(),
            device);
    assertThat(problems).as("a device with its certificate, end to end").isEmpty();

    out.getBuffer().setLength(0);
    assertThat(iot.execute("devices", "revoke", device, "--home", home.toString()))
        .as(out.toString())
        .isZero();
    assertThat(out.toString())
        .as("both brokers told to read the list")
        .contains("mqtt (mosquitto, pid " + mqtt.pid() + "): SIGHUP")
        .contains("mqtt-2 (mosquitto, pid " + second.pid() + "): SIGHUP");
    // SIGHUP is asynchronous: the broker reads the list when it handles the signal.
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> !connects(deviceClient(device, Optional.of(certificate), Optional.of(key), ca)));
    assertThat(connects(deviceClient(device, Optional.empty(), Optional.empty(), ca)))
        .as("a device without a certificate")
        .isFalse();
  }

  /** A client of {@code device} on the first broker's TLS listener, trusting the stack's CA. */
  private Mqtt5ClientBuilder deviceClient(
      String device, Optional<Path> certificate, Optional<Path> key, Path ca) {
    MqttClientSslConfigBuilder tls =
        MqttClientSslConfig.builder().trustManagerFactory(TlsContexts.trustManagerFactory(ca));
    certificate.ifPresent(
        crt -> tls.keyManagerFactory(TlsContexts.keyManagerFactory(crt, key.orElseThrow())));
    return Mqtt5Client.builder()
        .identifier(device)
        .serverHost(mqtt.host())
        .serverPort(mqtt.port(MqttListener.TLS))
        .sslConfig(tls.build());
  }

  private static boolean connects(Mqtt5ClientBuilder builder) {
    Mqtt5AsyncClient client = builder.buildAsync();
    try {
      client.connectWith().cleanStart(true).send().get(15, TimeUnit.SECONDS);
      client.disconnect().get(15, TimeUnit.SECONDS);
      return true;
    } catch (Exception refused) {
      LOG.info("refused: {}", refused.toString());
      return false;
    }
  }

  @Test
  @Order(2)
  void aShortScenarioReachesEveryLeg() throws Exception {
    Simulation simulation = null;
    try {
      assertThat(endpoints.kafkaClient()).containsEntry("sasl.mechanism", "SCRAM-SHA-512");
      assertThat(home.resolve("principals/analyst.properties")).exists();
      assertThat(platform.status().values()).allMatch(problem -> problem.isEmpty());
      schemasAreHeldToBackwardByTheRunningRegistry(endpoints.registryUrl());

      Scenario scenario =
          Scenario.of(
              Map.of(
                  "name", "it",
                  "devices", "20",
                  "connect.per.second", "20",
                  "duration.seconds", "600",
                  "events.per.second", "40",
                  "shadow.updates.per.second", "5",
                  "commands.per.second", "1",
                  "drain.seconds", "180"),
              "PlatformIT");
      // Two processes hold the devices, as a fleet above one process's open-file limit is run:
      // this process only watches the pipeline and adds up what the two measure.
      simulation = new Simulation(endpoints, scenario, List.of(), 2);
      Simulation running = simulation;
      // Device N connects to broker N mod 2: device 1 is on the second broker.
      String device = simulation.devicePrefix() + "-1";
      CompletableFuture<SimulationReport> run =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return running.run(LOG::info);
                } catch (InterruptedException e) {
                  throw new IllegalStateException(e);
                }
              });

      // While the devices run: a desired state for one (a delta must reach it), a command for
      // another (its status must come back through REST).
      URI rest = URI.create(endpoints.restUrl() + "/");
      authorization = endpoints.restAuthorization().orElseThrow();
      // Without the token, the stack's API refuses; its probes stay open.
      HttpResponse<String> anonymous =
          http.send(
              HttpRequest.newBuilder(rest.resolve("devices/" + device + "/shadow"))
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(anonymous.statusCode()).as(anonymous.body()).isEqualTo(401);
      await()
          .atMost(Duration.ofMinutes(4))
          .pollInterval(Duration.ofSeconds(1))
          .ignoreExceptions()
          .until(() -> get(rest.resolve("devices/" + device + "/shadow")).statusCode() == 200);
      // The cloud update is answered with the topology's accepted document: the state it set.
      HttpResponse<String> update =
          post(
              rest.resolve("devices/" + device + "/shadow"),
              "{\"state\":{\"desired\":{\"temperature\":-5}}}");
      assertThat(update.statusCode()).as(update.body()).isEqualTo(200);
      assertThat(JSON.readTree(update.body()).at("/state/desired/temperature").asInt())
          .as(update.body())
          .isEqualTo(-5);
      HttpResponse<String> command =
          post(
              rest.resolve("devices/" + simulation.devicePrefix() + "-1/commands"),
              "{\"name\":\"reboot\",\"ttlSeconds\":120}");
      assertThat(command.statusCode()).isEqualTo(202);
      String commandId = JSON.readTree(command.body()).path("commandId").asText();

      // The load runs until both have reached their device; then the run drains and reports.
      await()
          .atMost(Duration.ofMinutes(4))
          .pollInterval(Duration.ofSeconds(1))
          .ignoreExceptions()
          .until(
              () -> JSON.readTree(get(rest.resolve("commands/" + commandId)).body()),
              status -> status.path("status").asText().equals("SUCCEEDED"));
      await()
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> running.liveTotal(Count.DELTAS_RECEIVED) > 0);
      simulation.stop();
      SimulationReport report = run.get();
      LOG.info("\n{}", report.text());
      assertThat(report.total(Count.EVENTS_SENT)).isPositive();
      assertThat(report.eventsLost()).as("events lost").isZero();
      assertThat(report.total(Count.UPDATES_ACCEPTED)).isEqualTo(report.total(Count.UPDATES_SENT));
      assertThat(report.total(Count.UPDATES_IN_CHANGELOG)).isPositive();
      assertThat(report.total(Count.DELTAS_RECEIVED)).isPositive();
      assertThat(report.total(Count.COMMANDS_RECEIVED)).isPositive();
      // Every command the simulator sent was read back SUCCEEDED through REST, and timed.
      assertThat(report.total(Count.COMMANDS_COMPLETED))
          .isEqualTo(report.total(Count.COMMANDS_SENT));
      assertThat(report.total(Count.COMMANDS_NOT_COMPLETED)).isZero();
      assertThat(report.percentileMillis(Leg.COMMAND_COMPLETED, 50)).isPositive();
      assertThat(report.percentileMillis(Leg.EVENT_TO_KAFKA, 50)).isPositive();
      aTokenLimitedToSomeDevicesReadsOnlyThose(home, rest, simulation.devicePrefix());

      try (CqlSession session =
          CqlSession.builder()
              .addContactPoint(
                  new InetSocketAddress(
                      cql.contactPoint().getAddress(), cql.contactPoint().getPort()))
              .withLocalDatacenter(cql.localDatacenter())
              .build()) {
        String keyspace = "iot_" + instance;
        await()
            .atMost(Duration.ofMinutes(3))
            .pollInterval(Duration.ofSeconds(2))
            .ignoreExceptions()
            .until(
                () ->
                    session
                        .execute(
                            SimpleStatement.newInstance(
                                    "SELECT device_id, desired, reported FROM "
                                        + keyspace
                                        + ".shadows WHERE device_id = ?",
                                    device)
                                .setTimeout(Duration.ofSeconds(30)))
                        .one(),
                (Row row) -> row != null && row.getString("desired") != null);
        // The archive's partitions are (device, day): today's, or yesterday's just after midnight.
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        await()
            .atMost(Duration.ofMinutes(3))
            .pollInterval(Duration.ofSeconds(2))
            .ignoreExceptions()
            .until(
                () ->
                    session
                        .execute(
                            SimpleStatement.newInstance(
                                    "SELECT count(*) FROM "
                                        + keyspace
                                        + ".device_events WHERE device_id = ? AND day IN (?, ?)",
                                    device,
                                    today,
                                    today.minusDays(1))
                                .setTimeout(Duration.ofSeconds(30)))
                        .one()
                        .getLong(0),
                count -> count > 0);
      }
    } finally {
      if (simulation != null) {
        simulation.stop();
      }
    }
  }

  /**
   * Series that only a cluster has, which the local stack cannot expose: each with the reason. A
   * name here that no query uses any more fails the test, so the list does not outlive its use.
   */
  private static final Map<String, String> CLUSTER_ONLY =
      Map.ofEntries(
          Map.entry("emqx_connections_count", "EMQX (the edge on Kubernetes)"),
          Map.entry("emqx_client_connected", "EMQX (the edge on Kubernetes)"),
          Map.entry("emqx_messages_received", "EMQX (the edge on Kubernetes)"),
          Map.entry("emqx_messages_sent", "EMQX (the edge on Kubernetes)"),
          Map.entry("haproxy_frontend_current_sessions", "HAProxy in front of EMQX"),
          Map.entry("haproxy_frontend_limit_sessions", "HAProxy in front of EMQX"),
          Map.entry("haproxy_server_current_sessions", "HAProxy in front of EMQX"),
          Map.entry("haproxy_server_limit_sessions", "HAProxy in front of EMQX"),
          Map.entry("kafka_consumergroup_lag", "Strimzi's Kafka Exporter"));

  /**
   * No panel of the dashboard and no alert can be silently empty: once Prometheus ({@code ./iot up
   * --monitoring}) has scraped every part that {@code endpoints.env} lists, with the scenario's
   * traffic behind them, every metric name the dashboard's queries and the alert rules read is one
   * that Prometheus holds, except the {@link #CLUSTER_ONLY} ones; the rules are loaded and evaluate
   * without error.
   */
  @Test
  @Order(3)
  void everyMetricTheDashboardAndTheAlertsReadIsExposed() throws Exception {
    Assumptions.assumeTrue(
        LocalPrometheus.binary().isPresent(), "no prometheus binary (apt-get install prometheus)");
    Map<String, String> variables = Endpoints.readEnvFile(home.resolve("endpoints.env"));
    assertThat(variables).containsKey(LocalPrometheus.URL_VARIABLE);
    URI prometheus = URI.create(variables.get(LocalPrometheus.URL_VARIABLE) + "/");
    Map<String, List<URI>> targets = LocalPrometheus.targets(variables);
    assertThat(targets.keySet())
        .as("the contract's parts in endpoints.env (METRICS_*_URLS)")
        .contains("bridge", "streams", "kafka", "connect");
    int expected = targets.values().stream().mapToInt(List::size).sum();

    // Every target scraped and up.
    await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofSeconds(2))
        .untilAsserted(
            () -> {
              JsonNode active =
                  api(prometheus, "api/v1/targets?state=active").path("activeTargets");
              List<String> states = new java.util.ArrayList<>();
              active.forEach(
                  t ->
                      states.add(
                          t.path("labels").path("job").asText()
                              + " "
                              + t.path("scrapeUrl").asText()
                              + " "
                              + t.path("health").asText()
                              + " "
                              + t.path("lastError").asText()));
              assertThat(states).hasSize(expected).allMatch(s -> s.contains(" up "), "up");
            });
    JsonNode up = api(prometheus, "api/v1/query?query=up").path("result");
    assertThat(up).hasSize(expected);
    up.forEach(
        sample -> assertThat(sample.at("/value/1").asText()).as(sample.toString()).isEqualTo("1"));

    // Every name the dashboard and the rules read.
    MonitoringFiles files = new MonitoringFiles(Distribution.repositoryRoot(PlatformIT.class));
    SortedMap<String, Set<String>> usedBy = new TreeMap<>();
    List<MonitoringFiles.Query> queries = new java.util.ArrayList<>(files.dashboardQueries());
    queries.addAll(files.ruleQueries());
    for (MonitoringFiles.Query query : queries) {
      for (String name : query.metricNames()) {
        usedBy.computeIfAbsent(name, n -> new TreeSet<>()).add(query.where());
      }
    }
    usedBy.keySet().removeAll(files.recordedNames());
    assertThat(CLUSTER_ONLY.keySet())
        .as("cluster-only names still queried")
        .allMatch(usedBy::containsKey, "used");
    Set<String> exposed = new TreeSet<>();
    api(prometheus, "api/v1/label/__name__/values").forEach(name -> exposed.add(name.asText()));

    // The rules are loaded, and every one evaluates without an error.
    JsonNode groups = api(prometheus, "api/v1/rules").path("groups");
    assertThat(groups).hasSize(files.ruleGroups().path("groups").size());
    for (JsonNode group : groups) {
      for (JsonNode rule : group.path("rules")) {
        assertThat(rule.path("health").asText())
            .as(rule.path("name").asText() + ": " + rule.path("lastError").asText())
            .isNotEqualTo("err");
      }
    }

    // A counter that appears only with its first event leaves its panel empty and its alert
    // blind until then: a part must register it at zero.
    SortedMap<String, Set<String>> missing = new TreeMap<>(usedBy);
    missing.keySet().removeAll(exposed);
    missing.keySet().removeAll(CLUSTER_ONLY.keySet());
    LOG.info(
        "{} names read by the dashboard and the rules, {} exposed", usedBy.size(), exposed.size());
    assertThat(missing).as("names no part exposes, and where they are read").isEmpty();
  }

  /** The {@code data} of a Prometheus API answer. */
  private JsonNode api(URI prometheus, String path) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(prometheus.resolve(path))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.path("status").asText()).as(response.body()).isEqualTo("success");
    return body.path("data");
  }

  private static boolean isCi() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  /**
   * The parts run on the registry's Confluent API ({@code ccompat}), which {@code up} registered
   * every schema with, BACKWARD: a change that breaks old readers is refused by the registry.
   */
  /**
   * Fleet jobs end to end (issue 21): through the secure brokers, the bridge, Kafka and the streams
   * app, driven by the simulator's {@code firmware-rollout}. 1,000 devices, listed, take a job at a
   * constant 1,000 a minute; then 200 others, selected by a filter over their reported state, take
   * a job whose 20% failures trip its 10% abort: no device is notified after it, and the job's
   * counts are what the devices did.
   */
  @Test
  @Order(4)
  void aRolloutHoldsItsRateAndAnAbortNotifiesNoOneMore() throws Exception {
    authorization = endpoints.restAuthorization().orElseThrow();
    URI rest = URI.create(endpoints.restUrl() + "/");

    SimulationReport steady =
        rollout(
            Map.of(
                "devices", "1000",
                "job.target.filter", "",
                "job.failure.percent", "0",
                "job.abort.failure.type", "NONE"));
    String steadyId = steady.job().orElseThrow().path("jobId").asText();
    JsonNode completed =
        awaitJob(
            rest,
            steadyId,
            job ->
                job.path("status").asText().equals("COMPLETED")
                    && job.at("/jobProcessDetails/numberOfSucceededThings").asLong() == 1000);
    assertThat(steady.total(Count.JOBS_NOTIFIED)).isEqualTo(1000);
    assertThat(steady.total(Count.JOBS_SUCCEEDED)).isEqualTo(1000);
    assertThat(steady.total(Count.JOBS_REJECTED)).isZero();
    assertThat(completed.at("/jobProcessDetails/numberOfTargets").asLong()).isEqualTo(1000);
    assertThat(completed.at("/jobProcessDetails/numberOfNotifiedThings").asLong()).isEqualTo(1000);
    // At 1,000 a minute, with never more than a second's worth banked: the first notification to
    // the last takes at least 59 s; and no 10 s hold more than their share, a second's credit and a
    // second of delivery's jitter.
    List<Long> queued =
        executions(rest, steadyId).stream().map(e -> e.path("queuedAt").asLong()).sorted().toList();
    assertThat(queued).hasSize(1000);
    long span = queued.get(999) - queued.get(0);
    LOG.info("1,000 devices notified over {} ms at 1,000 a minute", span);
    assertThat(span).isBetween(58_000L, 90_000L);
    for (int i = 0, j = 0; i < queued.size(); i++) {
      while (j < queued.size() && queued.get(j) < queued.get(i) + 10_000) {
        j++;
      }
      assertThat(j - i).as("notified in the 10 s from the %dth", i).isLessThanOrEqualTo(167 + 34);
    }

    SimulationReport aborted =
        rollout(
            Map.of(
                "devices", "200",
                "job.failure.percent", "20",
                "job.abort.failure.type", "FAILED",
                "job.abort.threshold.percent", "10",
                "job.abort.min.executed", "20"));
    String abortedId = aborted.job().orElseThrow().path("jobId").asText();
    // The devices still working when it aborted may finish: their ends are counted too.
    JsonNode canceled =
        awaitJob(
            rest,
            abortedId,
            job ->
                job.path("status").asText().equals("CANCELED")
                    && job.at("/jobProcessDetails/numberOfInProgressThings").asLong() == 0
                    && job.at("/jobProcessDetails/numberOfSucceededThings").asLong()
                        == aborted.total(Count.JOBS_SUCCEEDED)
                    && job.at("/jobProcessDetails/numberOfFailedThings").asLong()
                        == aborted.total(Count.JOBS_FAILED));
    JsonNode counts = canceled.path("jobProcessDetails");
    assertThat(canceled.path("reasonCode").asText()).startsWith("FAILED>=10");
    // The filter found this run's 200 devices, no other run's.
    assertThat(counts.path("numberOfTargets").asLong()).isEqualTo(200);
    long notified = aborted.total(Count.JOBS_NOTIFIED);
    assertThat(notified).isLessThan(200);
    assertThat(counts.path("numberOfNotifiedThings").asLong()).isEqualTo(notified);
    assertThat(aborted.total(Count.JOBS_STARTED))
        .isEqualTo(aborted.total(Count.JOBS_SUCCEEDED) + aborted.total(Count.JOBS_FAILED));
    assertThat(
            counts.path("numberOfSucceededThings").asLong()
                + counts.path("numberOfFailedThings").asLong()
                + counts.path("numberOfCanceledThings").asLong())
        .as("every execution ended: succeeded, failed, or canceled while queued")
        .isEqualTo(notified);
    // Nobody notified after the abort: a notification already on its way when the job was
    // canceled is queued a moment later (and canceled), none more than a second later.
    long abortedAt = canceled.path("completedAt").asLong();
    List<JsonNode> executions = executions(rest, abortedId);
    assertThat(executions).hasSize((int) notified);
    assertThat(executions)
        .filteredOn(e -> e.path("queuedAt").asLong() > abortedAt + 1_000)
        .isEmpty();
  }

  /** A run of the simulator's firmware rollout, with these changes, in one process. */
  private SimulationReport rollout(Map<String, String> changes) throws Exception {
    Map<String, String> settings =
        new TreeMap<>(
            Map.of(
                "connect.per.second", "500",
                "duration.seconds", "300",
                "drain.seconds", "60",
                "job.rate.per.minute", "1000",
                "job.rate.increment.factor", "0",
                "job.work.millis", "1000",
                "job.silent.percent", "0"));
    settings.putAll(changes);
    Scenario scenario = Scenario.load("firmware-rollout").with(settings);
    SimulationReport report = new Simulation(endpoints, scenario, List.of(), 1).run(LOG::info);
    LOG.info("\n{}", report.text());
    return report;
  }

  /** The job as GET /jobs/{id} describes it, once it is as {@code done} says. */
  private JsonNode awaitJob(URI rest, String jobId, java.util.function.Predicate<JsonNode> done) {
    return await()
        .atMost(Duration.ofMinutes(1))
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .until(() -> JSON.readTree(get(rest.resolve("jobs/" + jobId)).body()), done);
  }

  /** Every execution of a job, page by page (GET /jobs/{id}/executions). */
  private List<JsonNode> executions(URI rest, String jobId) throws Exception {
    List<JsonNode> all = new java.util.ArrayList<>();
    String next = null;
    do {
      HttpResponse<String> page =
          get(
              rest.resolve(
                  "jobs/"
                      + jobId
                      + "/executions?limit=250"
                      + (next == null
                          ? ""
                          : "&nextToken="
                              + java.net.URLEncoder.encode(
                                  next, java.nio.charset.StandardCharsets.UTF_8))));
      assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
      JsonNode body = JSON.readTree(page.body());
      body.path("executions").forEach(all::add);
      next = body.hasNonNull("nextToken") ? body.path("nextToken").asText() : null;
    } while (next != null);
    return all;
  }

  private static void schemasAreHeldToBackwardByTheRunningRegistry(String registryUrl) {
    assertThat(registryUrl).contains("/apis/ccompat/");
    ConfluentRegistryClient registry = new ConfluentRegistryClient(registryUrl);
    for (TopicDefinition<?> topic : Topics.all()) {
      assertThat(registry.isRegistered(topic.valueSubject(), topic.valueSchema())).isTrue();
      Schema breaking =
          SchemaBuilder.record(topic.valueSchema().getName())
              .namespace(topic.valueSchema().getNamespace())
              .fields()
              .requiredString("replacesEverything")
              .endRecord();
      assertThatThrownBy(() -> registry.register(topic.valueSubject(), breaking))
          .as(topic.valueSubject())
          .isInstanceOf(IncompatibleSchemaException.class);
    }
  }

  /**
   * A {@code shadows:read} token limited to device 1 (the pattern {@code PREFIX-1}, as {@code ./iot
   * token create --scope shadows:read --devices 'PREFIX-1'} makes it) reads device 1's shadow, and
   * gets 403 for device 2's and for a command to device 1.
   */
  private void aTokenLimitedToSomeDevicesReadsOnlyThose(Path home, URI rest, String prefix)
      throws Exception {
    String token =
        RestTokens.of(new StackDir(home).restAuth())
            .create(List.of("shadows:read"), Optional.of(prefix + "-1"), Duration.ofMinutes(5));
    String all = authorization;
    authorization = "Bearer " + token;
    try {
      assertThat(get(rest.resolve("devices/" + prefix + "-1/shadow")).statusCode()).isEqualTo(200);
      assertThat(get(rest.resolve("devices/" + prefix + "-2/shadow")).statusCode()).isEqualTo(403);
      HttpResponse<String> command =
          post(rest.resolve("devices/" + prefix + "-1/commands"), "{\"name\":\"reboot\"}");
      assertThat(command.statusCode()).as(command.body()).isEqualTo(403);
    } finally {
      authorization = all;
    }
  }

  private HttpResponse<String> get(URI uri) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(10))
            .header("Authorization", authorization)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(URI uri, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .header("Authorization", authorization)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
