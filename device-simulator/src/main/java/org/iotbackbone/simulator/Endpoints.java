package org.iotbackbone.simulator;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.ConfigException;
import org.iotbackbone.pki.DevicePki;
import org.iotbackbone.pki.TlsContexts;
import org.iotbackbone.schemas.config.CommonSettings;
import org.iotbackbone.schemas.serde.RegistryConfig;

/**
 * Where the platform answers: the MQTT brokers devices connect to, Kafka, the schema registry and
 * the streams app's REST API. Read from the file {@code ./iot up} writes ({@code
 * .iot/endpoints.env}), or given one by one for a remote cluster.
 *
 * @param mqttBrokers the MQTT brokers (unresolved host and port), one or more: an edge tier of
 *     several brokers behind one bridge, as {@code ./iot up --brokers N} runs it; devices are
 *     spread over them by their number
 * @param kafkaBootstrap Kafka's {@code bootstrap.servers}
 * @param registryUrl the schema registry: its Confluent API's base (Apicurio's {@code
 *     http://host:port/apis/ccompat/v7}) or Apicurio's own API ({@code .../apis/registry/v3}), told
 *     by the URL's form
 * @param restUrl the streams app's REST API ({@code http://host:port})
 * @param restToken the bearer token the REST API is called with ({@code ./iot up} writes one with
 *     every scope); empty for an API without authentication
 * @param kafkaClient what a Kafka client sets besides {@code bootstrap.servers} to connect (SASL,
 *     TLS), from the properties file {@link #KAFKA_CLIENT_CONFIG} names; empty for a cluster
 *     without security
 * @param registryClient what a registry client sets besides the URL ({@code
 *     schema.registry.basic.auth.user.info}, {@code schema.registry.ssl.truststore.*}), from the
 *     properties file {@link #REGISTRY_CLIENT_CONFIG} names; empty for an open registry
 * @param mqttTls whether {@link #mqttBrokers} speak MQTT over TLS ({@code ssl://}, a device
 *     certificate required) rather than plain TCP ({@code tcp://}, the insecure development mode)
 * @param mqttWebSockets every broker's MQTT over secure WebSockets URL ({@code
 *     wss://host:port/mqtt}), in the order of {@link #mqttBrokers}; empty when not given
 * @param mqttSecretUrl the URL for devices with a per-device secret ({@code ssl://}), if given
 * @param deviceCaFile the PEM file of the CA a device checks the broker's certificate against;
 *     required when any MQTT URL is secure
 * @param devicePkiDir the device CA's directory ({@code device-pki}), from which a tool may issue
 *     device certificates, if given
 */
public record Endpoints(
    List<InetSocketAddress> mqttBrokers,
    String kafkaBootstrap,
    String registryUrl,
    String restUrl,
    String restToken,
    Map<String, String> kafkaClient,
    Map<String, String> registryClient,
    boolean mqttTls,
    List<URI> mqttWebSockets,
    Optional<URI> mqttSecretUrl,
    Optional<Path> deviceCaFile,
    Optional<Path> devicePkiDir) {

  /**
   * The variable of the (first) MQTT broker's device URL: {@code ssl://host:port} (MQTT over TLS, a
   * device certificate required), or {@code tcp://host:port} in the insecure development mode.
   */
  public static final String MQTT_URL = "MQTT_URL";

  /**
   * The variable of every MQTT broker's device URL, comma-separated; when set it wins over {@link
   * #MQTT_URL}.
   */
  public static final String MQTT_URLS = "MQTT_URLS";

  /** The (first) broker's MQTT over secure WebSockets URL, {@code wss://host:port/mqtt}. */
  public static final String MQTT_WS_URL = "MQTT_WS_URL";

  /** Every broker's secure WebSockets URL, comma-separated, in the order of {@link #MQTT_URLS}. */
  public static final String MQTT_WS_URLS = "MQTT_WS_URLS";

  /**
   * The (first) broker's URL for devices with a per-device secret instead of a certificate, {@code
   * ssl://host:port} (user name = device id, password = the secret).
   */
  public static final String MQTT_SECRET_URL = "MQTT_SECRET_URL";

  /** The PEM file of the CA a device checks the broker's certificate against. */
  public static final String DEVICE_CA_FILE = "DEVICE_CA_FILE";

  /**
   * The device CA's directory ({@code device-pki}: ca.crt, ca.key, crl.pem): a tool that may issue
   * device certificates (the simulator, the demo) issues them from it.
   */
  public static final String DEVICE_PKI_DIR = "DEVICE_PKI_DIR";

  public static final String KAFKA_BOOTSTRAP = "KAFKA_BOOTSTRAP";

  /** The registry's Confluent-compatible API, which the platform's parts and the simulator use. */
  public static final String REGISTRY_URL = "REGISTRY_URL";

  /** The registry's Apicurio API, for Apicurio's own clients. */
  public static final String REGISTRY_APICURIO_URL = "REGISTRY_APICURIO_URL";

  public static final String REST_URL = "REST_URL";

  /** The variable of the REST API's bearer token (optional). */
  public static final String REST_TOKEN = "REST_TOKEN";

  /**
   * The variable of the streams app instances' Prometheus endpoints ({@code
   * http://host:port/metrics}, no token), comma-separated: what a local Prometheus scrapes as job
   * {@code streams}.
   */
  public static final String METRICS_STREAMS_URLS = "METRICS_STREAMS_URLS";

  /**
   * The variable naming the Kafka client properties file of the local stack's tools (the simulator,
   * the chaos suite, the fuzzer): a principal's settings such as {@code
   * .iot/principals/admin.properties}. Unset for a cluster without security.
   */
  public static final String KAFKA_CLIENT_CONFIG = "KAFKA_CLIENT_CONFIG";

  /**
   * The variable naming a properties file of the registry client's {@code schema.registry.*}
   * settings (a login, a trust store), for a registry that asks for them. Unset for an open one.
   */
  public static final String REGISTRY_CLIENT_CONFIG = "REGISTRY_CLIENT_CONFIG";

  /**
   * The ingest bridges' Prometheus endpoints ({@code /metrics}), comma-separated; each {@code
   * METRICS_*_URLS} variable is one part's, which a Prometheus scrapes as a job of that part.
   */
  public static final String METRICS_BRIDGE_URLS = "METRICS_BRIDGE_URLS";

  /** The Kafka brokers' JMX Prometheus exporters, comma-separated. */
  public static final String METRICS_KAFKA_URLS = "METRICS_KAFKA_URLS";

  /** The Kafka Connect workers' JMX Prometheus exporters, comma-separated. */
  public static final String METRICS_CONNECT_URLS = "METRICS_CONNECT_URLS";

  public Endpoints {
    mqttBrokers = List.copyOf(mqttBrokers);
    mqttWebSockets = List.copyOf(mqttWebSockets);
    Objects.requireNonNull(mqttSecretUrl, "mqttSecretUrl");
    Objects.requireNonNull(deviceCaFile, "deviceCaFile");
    Objects.requireNonNull(devicePkiDir, "devicePkiDir");
    kafkaClient = Map.copyOf(kafkaClient);
    registryClient = Map.copyOf(registryClient);
    Objects.requireNonNull(kafkaBootstrap, "kafkaBootstrap");
    Objects.requireNonNull(registryUrl, "registryUrl");
    Objects.requireNonNull(restUrl, "restUrl");
    Objects.requireNonNull(restToken, "restToken");
    if (mqttBrokers.isEmpty()) {
      throw new IllegalArgumentException("no MQTT broker");
    }
    if ((mqttTls || !mqttWebSockets.isEmpty() || mqttSecretUrl.isPresent())
        && deviceCaFile.isEmpty()) {
      throw new IllegalArgumentException("secure MQTT URLs need " + DEVICE_CA_FILE);
    }
  }

  /**
   * The endpoints in a file of shell variables ({@code NAME=value} lines, {@code #} comments,
   * optional quotes), as {@code ./iot up} writes it.
   *
   * @throws IllegalArgumentException naming the variable that is missing or malformed
   */
  public static Endpoints fromEnvFile(Path file) throws IOException {
    return fromVariables(readEnvFile(file), file.toString());
  }

  /**
   * The endpoints in these variables; {@code where} names their source in errors.
   *
   * @throws IllegalArgumentException naming the variable that is missing or malformed: a URL of an
   *     unknown scheme, a secure URL without {@link #DEVICE_CA_FILE}, a CA file that holds no
   *     certificate, a {@link #DEVICE_PKI_DIR} that holds no device CA
   */
  public static Endpoints fromVariables(Map<String, String> variables, String where) {
    String urlsName = variables.containsKey(MQTT_URLS) ? MQTT_URLS : MQTT_URL;
    List<InetSocketAddress> brokers = new ArrayList<>();
    java.util.Set<String> schemes = new java.util.TreeSet<>();
    for (String url : required(variables, urlsName, where).split(",")) {
      URI mqtt = uri(urlsName, url.strip(), where);
      if (mqtt.getScheme() != null
          && !DEVICE_SCHEMES.contains(mqtt.getScheme())
          && mqtt.getHost() != null) {
        throw new IllegalArgumentException(
            urlsName
                + " in "
                + where
                + ": unknown scheme '"
                + mqtt.getScheme()
                + "' in "
                + url.strip()
                + "; ssl://host:port (MQTT over TLS) or tcp://host:port (insecure)");
      }
      if (!DEVICE_SCHEMES.contains(mqtt.getScheme())
          || mqtt.getHost() == null
          || mqtt.getPort() < 0) {
        throw new IllegalArgumentException(
            urlsName
                + " in "
                + where
                + " must be ssl://host:port or tcp://host:port (comma-separated), not "
                + url.strip());
      }
      schemes.add(mqtt.getScheme());
      brokers.add(InetSocketAddress.createUnresolved(mqtt.getHost(), mqtt.getPort()));
    }
    if (schemes.size() > 1) {
      // One fleet, one security: a list mixing them is a mistake, not a wish.
      throw new IllegalArgumentException(
          urlsName + " in " + where + " mixes ssl:// and tcp:// URLs; use one of them");
    }
    boolean tls = schemes.contains("ssl");
    String wsName = variables.containsKey(MQTT_WS_URLS) ? MQTT_WS_URLS : MQTT_WS_URL;
    List<URI> webSockets = new ArrayList<>();
    String wsUrls = variables.getOrDefault(wsName, "");
    if (!wsUrls.isBlank()) {
      for (String url : wsUrls.split(",")) {
        URI ws = uri(wsName, url.strip(), where);
        if (!"wss".equals(ws.getScheme()) || ws.getHost() == null || ws.getPort() < 0) {
          throw new IllegalArgumentException(
              wsName
                  + " in "
                  + where
                  + " must be wss://host:port/path (comma-separated), not "
                  + url.strip());
        }
        webSockets.add(ws);
      }
    }
    Optional<URI> secretUrl = Optional.empty();
    String secret = variables.getOrDefault(MQTT_SECRET_URL, "");
    if (!secret.isBlank()) {
      URI url = uri(MQTT_SECRET_URL, secret.strip(), where);
      if (!"ssl".equals(url.getScheme()) || url.getHost() == null || url.getPort() < 0) {
        throw new IllegalArgumentException(
            MQTT_SECRET_URL + " in " + where + " must be ssl://host:port, not " + secret.strip());
      }
      secretUrl = Optional.of(url);
    }
    Optional<Path> caFile = deviceCaFile(variables.get(DEVICE_CA_FILE), where);
    if (caFile.isEmpty() && (tls || !webSockets.isEmpty() || secretUrl.isPresent())) {
      String which = tls ? urlsName : webSockets.isEmpty() ? MQTT_SECRET_URL : wsName;
      throw new IllegalArgumentException(
          DEVICE_CA_FILE
              + " is not set in "
              + where
              + ": "
              + which
              + " is secure, and a device checks the broker's certificate against that CA (PEM)");
    }
    String registry = required(variables, REGISTRY_URL, where);
    return new Endpoints(
        brokers,
        required(variables, KAFKA_BOOTSTRAP, where),
        registry,
        uri(REST_URL, required(variables, REST_URL, where), where).toString(),
        variables.getOrDefault(REST_TOKEN, "").strip(),
        properties(KAFKA_CLIENT_CONFIG, variables.get(KAFKA_CLIENT_CONFIG), where),
        registryClient(variables.get(REGISTRY_CLIENT_CONFIG), registry, where),
        tls,
        webSockets,
        secretUrl,
        caFile,
        devicePkiDir(variables.get(DEVICE_PKI_DIR), where));
  }

  /** The schemes of a device URL ({@link #MQTT_URL}). */
  private static final List<String> DEVICE_SCHEMES = List.of("ssl", "tcp");

  /** The CA file, checked now: it must hold a certificate a trust manager accepts. */
  private static Optional<Path> deviceCaFile(String value, String where) {
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    Path file = Path.of(value.strip());
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new IllegalArgumentException(
          DEVICE_CA_FILE + " in " + where + " names no readable file: " + file);
    }
    try {
      TlsContexts.trustManagerFactory(file);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          DEVICE_CA_FILE + " in " + where + " holds no usable CA certificate: " + e.getMessage(),
          e);
    }
    return Optional.of(file);
  }

  /** The device CA's directory, checked now: it must hold a whole CA. */
  private static Optional<Path> devicePkiDir(String value, String where) {
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    Path dir = Path.of(value.strip());
    try {
      DevicePki.open(dir);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          DEVICE_PKI_DIR + " in " + where + ": " + e.getMessage(), e);
    }
    return Optional.of(dir);
  }

  /**
   * The registry client's settings of the properties file, checked now: a wrong key or value is
   * named before anything runs.
   */
  private static Map<String, String> registryClient(String file, String url, String where) {
    Map<String, String> settings = properties(REGISTRY_CLIENT_CONFIG, file, where);
    settings.remove(CommonSettings.SCHEMA_REGISTRY_URL_CONFIG);
    try {
      registry(url, settings);
    } catch (ConfigException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          REGISTRY_CLIENT_CONFIG + " in " + where + ": " + e.getMessage(), e);
    }
    return settings;
  }

  /** The client settings of a properties file, without {@code bootstrap.servers}. */
  private static Map<String, String> properties(String variable, String file, String where) {
    if (file == null || file.isBlank()) {
      return new java.util.TreeMap<>();
    }
    java.util.Properties properties = new java.util.Properties();
    try (java.io.Reader in = Files.newBufferedReader(Path.of(file))) {
      properties.load(in);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          variable + " in " + where + " names a file that cannot be read: " + file, e);
    }
    Map<String, String> settings = new java.util.TreeMap<>();
    properties
        .stringPropertyNames()
        .forEach(name -> settings.put(name, properties.getProperty(name)));
    settings.remove("bootstrap.servers");
    return settings;
  }

  /** How a registry client of these endpoints is configured: the URL, a login, a trust store. */
  public RegistryConfig registry() {
    return registry(registryUrl, registryClient);
  }

  private static RegistryConfig registry(String url, Map<String, String> settings) {
    Map<String, Object> values = new java.util.HashMap<>(settings);
    values.put(CommonSettings.SCHEMA_REGISTRY_URL_CONFIG, url);
    return CommonSettings.schemaRegistry(values, REGISTRY_CLIENT_CONFIG);
  }

  /**
   * {@link #kafkaClient} with {@code bootstrap.servers}: what a Kafka client of these endpoints is
   * configured with, before its own settings.
   */
  public Map<String, Object> kafkaClientConfig() {
    Map<String, Object> config = new java.util.HashMap<>(kafkaClient);
    config.put("bootstrap.servers", kafkaBootstrap);
    return config;
  }

  /**
   * The {@code Authorization} header of a REST call, or empty when there is no token: a request
   * builder adds it with {@code restAuthorization().ifPresent(v -> b.header("Authorization", v))}.
   */
  public java.util.Optional<String> restAuthorization() {
    return restToken.isEmpty()
        ? java.util.Optional.empty()
        : java.util.Optional.of("Bearer " + restToken);
  }

  /** The variables of a shell variable file. */
  public static Map<String, String> readEnvFile(Path file) throws IOException {
    Map<String, String> variables = new LinkedHashMap<>();
    for (String raw : Files.readAllLines(file)) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (line.startsWith("export ")) {
        line = line.substring("export ".length()).strip();
      }
      int equals = line.indexOf('=');
      if (equals < 1) {
        throw new IllegalArgumentException("not NAME=value in " + file + ": " + raw);
      }
      String value = line.substring(equals + 1).strip();
      if (value.length() >= 2
          && (value.startsWith("\"") && value.endsWith("\"")
              || value.startsWith("'") && value.endsWith("'"))) {
        value = value.substring(1, value.length() - 1);
      }
      variables.put(line.substring(0, equals).strip(), value);
    }
    return variables;
  }

  /**
   * The MQTT brokers as URLs, {@code ssl://host:port} (or {@code tcp://} when insecure),
   * comma-separated, as {@link #MQTT_URLS} holds them.
   */
  public String mqttUrls() {
    return mqttBrokers.stream()
        .map(broker -> (mqttTls ? "ssl://" : "tcp://") + hostPort(broker))
        .collect(Collectors.joining(","));
  }

  /** The secure WebSockets URLs, comma-separated, as {@link #MQTT_WS_URLS} holds them. */
  public String mqttWebSocketUrls() {
    return mqttWebSockets.stream().map(URI::toString).collect(Collectors.joining(","));
  }

  private static String hostPort(InetSocketAddress broker) {
    return broker.getHostString() + ":" + broker.getPort();
  }

  /** A broker as the insecure URL {@link #MQTT_URL} holds, {@code tcp://host:port}. */
  public static String mqttUrl(InetSocketAddress broker) {
    return "tcp://" + hostPort(broker);
  }

  private static String required(Map<String, String> variables, String name, String where) {
    String value = variables.get(name);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " is not set in " + where);
    }
    return value;
  }

  private static URI uri(String name, String value, String where) {
    try {
      return URI.create(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(name + " in " + where + " is not a URL: " + value, e);
    }
  }
}
