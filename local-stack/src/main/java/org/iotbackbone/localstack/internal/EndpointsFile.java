package org.iotbackbone.localstack.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.iotbackbone.servers.MqttListener;
import org.iotbackbone.simulator.Endpoints;

/**
 * The stack's {@code endpoints.env}: every address a user or the simulator needs, as shell
 * variables ({@code . .iot/endpoints.env}).
 */
public final class EndpointsFile {

  /** The entry of a part's record that holds its Prometheus endpoint. */
  public static final String METRICS_URL = "metricsUrl";

  /**
   * The variable of each part's Prometheus endpoints ({@link #METRICS_URL} of the records), by part
   * name. A part with metrics adds its line here and the entry to its record.
   */
  static final Map<String, String> METRICS_VARIABLES =
      Map.of(
          "ingest-bridge", Endpoints.METRICS_BRIDGE_URLS,
          "kafka", Endpoints.METRICS_KAFKA_URLS,
          "connect", Endpoints.METRICS_CONNECT_URLS);

  private EndpointsFile() {}

  /** Writes the file; returns the endpoints it holds. */
  public static Endpoints write(
      StackDir dir,
      StackServers servers,
      StackSecurity security,
      String keyspace,
      String restUrl,
      String connectUrl,
      String bridgeUrl,
      String restToken)
      throws IOException {
    Map<String, String> variables = new LinkedHashMap<>();
    variables.putAll(mqttVariables(servers.mqtt()));
    variables.put(Endpoints.KAFKA_BOOTSTRAP, servers.kafkaBootstrap());
    if (security.secured()) {
      // Each principal's client settings are in the directory; the tools log in as an operator.
      variables.put("KAFKA_PRINCIPALS_DIR", dir.principals().toString());
      variables.put(Endpoints.KAFKA_CLIENT_CONFIG, security.toolsPropertiesFile());
    }
    variables.put(Endpoints.REGISTRY_URL, servers.registryConfluentUrl());
    variables.put(Endpoints.REGISTRY_APICURIO_URL, servers.registryApicurioUrl());
    variables.put("CQL_CONTACT_POINTS", servers.cqlContactPoint());
    variables.put("CQL_DATACENTER", servers.cqlDatacenter());
    variables.put("CQL_KEYSPACE", keyspace);
    variables.put(Endpoints.REST_URL, restUrl);
    // Every scope, every device: curl -H "Authorization: Bearer $REST_TOKEN" $REST_URL/...
    variables.put(Endpoints.REST_TOKEN, restToken);
    variables.put("CONNECT_URL", connectUrl);
    variables.put("BRIDGE_URL", bridgeUrl);
    // The streams app serves its metrics on the REST API's port, without a token.
    variables.put(Endpoints.METRICS_STREAMS_URLS, restUrl + "/metrics");
    variables.putAll(metricsVariables(dir.parts()));
    StringBuilder file =
        new StringBuilder(
            "# The local stack's endpoints, written by ./iot up at "
                + Instant.now()
                + ".\n# Use them in a shell: . "
                + dir.endpoints()
                + "\n");
    variables.forEach((name, value) -> file.append(name).append('=').append(value).append('\n'));
    replace(dir, file.toString());
    return Endpoints.fromVariables(variables, dir.endpoints().toString());
  }

  /**
   * Sets {@code variables} in the file that {@link #write} wrote, replacing their lines where they
   * are there and appending them where not: what starts after the parts ({@code PROMETHEUS_URL}).
   */
  public static void put(StackDir dir, Map<String, String> variables) throws IOException {
    StringBuilder file = new StringBuilder();
    for (String line : Files.readAllLines(dir.endpoints())) {
      int equals = line.indexOf('=');
      if (line.startsWith("#") || equals < 0 || !variables.containsKey(line.substring(0, equals))) {
        file.append(line).append('\n');
      }
    }
    variables.forEach((name, value) -> file.append(name).append('=').append(value).append('\n'));
    replace(dir, file.toString());
  }

  private static void replace(StackDir dir, String content) throws IOException {
    // It holds a token with every scope: readable by its owner only.
    Path temporary = Files.createTempFile(dir.root(), "endpoints", ".tmp");
    try {
      Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system.
    }
    Files.writeString(temporary, content);
    Files.move(temporary, dir.endpoints(), StandardCopyOption.REPLACE_EXISTING);
  }

  /**
   * Each part's {@code METRICS_*_URLS}: the {@link #METRICS_URL}s of its records, comma-separated;
   * none for a part that runs without (Kafka of {@code upOn}, started by someone else).
   */
  static Map<String, String> metricsVariables(Map<String, Map<String, String>> records) {
    Map<String, String> variables = new TreeMap<>();
    records.forEach(
        (part, record) -> {
          String variable = METRICS_VARIABLES.get(part);
          String url = record.get(METRICS_URL);
          if (variable != null && url != null) {
            variables.merge(variable, url, (a, b) -> a + "," + b);
          }
        });
    return variables;
  }

  /**
   * The devices' MQTT endpoints: on secure brokers each one's TLS listener ({@code ssl://}), secure
   * WebSockets ({@code wss://…/mqtt}) and per-device secret listener, the CA a device trusts the
   * brokers with and the CA's directory; on plain ones ({@code --insecure}) the plain listener
   * ({@code tcp://}) alone. Never the back-end listener: it is the bridge's.
   */
  static Map<String, String> mqttVariables(StackServers.MqttAt mqtt) {
    Map<String, String> variables = new LinkedHashMap<>();
    List<String> urls = mqtt.brokers().stream().map(StackServers.BrokerAt::deviceUrl).toList();
    variables.put(Endpoints.MQTT_URL, urls.get(0));
    variables.put(Endpoints.MQTT_URLS, String.join(",", urls));
    if (mqtt.secure()) {
      List<String> ws =
          mqtt.brokers().stream().map(broker -> broker.url(MqttListener.WSS)).toList();
      variables.put(Endpoints.MQTT_WS_URL, ws.get(0));
      variables.put(Endpoints.MQTT_WS_URLS, String.join(",", ws));
      variables.put(Endpoints.MQTT_SECRET_URL, mqtt.brokers().get(0).url(MqttListener.SECRET));
      Path pki = mqtt.pkiDir().orElseThrow();
      variables.put(Endpoints.DEVICE_CA_FILE, pki.resolve("ca.crt").toString());
      variables.put(Endpoints.DEVICE_PKI_DIR, pki.toString());
    }
    return variables;
  }
}
