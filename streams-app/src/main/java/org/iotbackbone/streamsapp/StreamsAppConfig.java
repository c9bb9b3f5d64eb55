package org.iotbackbone.streamsapp;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.iotbackbone.schemas.access.Principals;
import org.iotbackbone.schemas.config.CommonSettings;
import org.iotbackbone.schemas.config.ConfigLoader;
import org.iotbackbone.schemas.config.EnvironmentRule;
import org.iotbackbone.schemas.config.KafkaClientSettings;
import org.iotbackbone.schemas.serde.RegistryConfig;
import org.iotbackbone.streamsapp.internal.rest.HttpLimits;
import org.iotbackbone.streamsapp.internal.rest.HttpSecurity;

/**
 * The streams-app's settings, declared and validated once, in the platform's one config dialect
 * ({@link ConfigLoader}): from a properties file, overridden by environment variables ({@code
 * IOT_STREAMS_} + the key in upper case with {@code _} for {@code .}, such as {@code
 * IOT_STREAMS_BOOTSTRAP_SERVERS}). An unknown key or a bad value fails start-up with a message that
 * names the key. Keys starting with {@code kafka.} are passed without the prefix to every Kafka
 * client of the app, Kafka Streams included ({@link KafkaClientSettings}): {@code
 * kafka.security.protocol=SSL} reaches them all, and Streams' own prefixes work through it ({@code
 * kafka.producer.linger.ms=5} is Streams' {@code producer.linger.ms}).
 */
public final class StreamsAppConfig extends AbstractConfig {

  public static final String ENV_PREFIX = "IOT_STREAMS_";

  public static final String BOOTSTRAP_SERVERS_CONFIG = CommonSettings.BOOTSTRAP_SERVERS_CONFIG;
  public static final String SCHEMA_REGISTRY_URL_CONFIG = CommonSettings.SCHEMA_REGISTRY_URL_CONFIG;
  public static final String SCHEMA_REGISTRY_AUTO_REGISTER_CONFIG =
      CommonSettings.SCHEMA_REGISTRY_AUTO_REGISTER_CONFIG;
  public static final String APPLICATION_ID_CONFIG = "application.id";
  private static final String APPLICATION_ID_DOC =
      "The Kafka Streams application id: the consumer group and the prefix of internal topics.";
  public static final String STATE_DIR_CONFIG = "state.dir";
  private static final String STATE_DIR_DOC =
      "Where the state stores live on disk; keep it across restarts to avoid a full restore.";
  public static final String NUM_STREAM_THREADS_CONFIG = "num.stream.threads";
  private static final String NUM_STREAM_THREADS_DOC = "Stream threads of this instance.";
  public static final String NUM_STANDBY_REPLICAS_CONFIG = "num.standby.replicas";
  private static final String NUM_STANDBY_REPLICAS_DOC =
      "Warm copies of each store on other instances, so that a restart or a lost instance does not"
          + " leave shadows unreadable while a store is restored.";
  public static final String COMMIT_INTERVAL_MS_CONFIG = "commit.interval.ms";
  private static final String COMMIT_INTERVAL_MS_DOC =
      "How often transactions commit (exactly_once_v2): the floor of the latency from request to"
          + " response. 20 ms keeps a shadow update's p99 near 50 ms; 100 ms (Kafka Streams' own"
          + " default) gives about 17% more updates a second per thread for about 2.5 times the"
          + " latency (docs/benchmarks.md).";
  public static final String HTTP_HOST_CONFIG = "http.host";
  private static final String HTTP_HOST_DOC = "The address the REST API listens on.";
  public static final String HTTP_PORT_CONFIG = "http.port";
  private static final String HTTP_PORT_DOC = "The REST API's port; 0 picks a free one.";
  public static final String HTTP_ADVERTISED_HOST_CONFIG = "http.advertised.host";
  private static final String HTTP_ADVERTISED_HOST_DOC =
      "The host other instances reach this one at (Kafka Streams application.server); defaults to"
          + " http.host, or localhost when that is 0.0.0.0.";
  public static final String HTTP_AUTH_ENABLED_CONFIG = "http.auth.enabled";
  private static final String HTTP_AUTH_ENABLED_DOC =
      "Whether the REST API needs a bearer token (a signed JWT with scopes) on every route but"
          + " /health, /ready, /metrics and /openapi.yaml. Off only for a development stack: then anyone who"
          + " reaches the port may read and write every shadow and send commands.";
  public static final String HTTP_AUTH_PUBLIC_KEY_FILE_CONFIG = "http.auth.public.key.file";
  private static final String HTTP_AUTH_PUBLIC_KEY_FILE_DOC =
      "A file with the tokens' verification key: a PEM public key (EC or RSA), a JWK or a JWK set."
          + " Exactly one of this and http.auth.jwks.url when http.auth.enabled.";
  public static final String HTTP_AUTH_JWKS_URL_CONFIG = "http.auth.jwks.url";
  private static final String HTTP_AUTH_JWKS_URL_DOC =
      "The identity provider's JWKS URL (its jwks_uri); keys are cached for 5 minutes and fetched"
          + " again when a token names an unknown key id. Exactly one of this and"
          + " http.auth.public.key.file when http.auth.enabled.";
  public static final String HTTP_AUTH_ISSUER_CONFIG = "http.auth.issuer";
  private static final String HTTP_AUTH_ISSUER_DOC =
      "The iss a token must carry; required when http.auth.enabled.";
  public static final String HTTP_AUTH_AUDIENCE_CONFIG = "http.auth.audience";
  private static final String HTTP_AUTH_AUDIENCE_DOC =
      "A value the token's aud must contain; required when http.auth.enabled.";
  public static final String HTTP_AUTH_CLOCK_SKEW_SECONDS_CONFIG = "http.auth.clock.skew.seconds";
  private static final String HTTP_AUTH_CLOCK_SKEW_SECONDS_DOC =
      "How far a token's exp and nbf may be off this machine's clock.";
  public static final String HTTP_TLS_KEYSTORE_FILE_CONFIG = "http.tls.keystore.file";
  private static final String HTTP_TLS_KEYSTORE_FILE_DOC =
      "A key store with the REST listener's key and certificate: when set the API speaks only"
          + " HTTPS (for deployments without an ingress that terminates TLS), and forwarded reads"
          + " go to the other instances over https, trusting http.tls.truststore.file (else the"
          + " JVM's trust store).";
  public static final String HTTP_TLS_KEYSTORE_PASSWORD_CONFIG = "http.tls.keystore.password";
  private static final String HTTP_TLS_KEYSTORE_PASSWORD_DOC =
      "The key store's password, also the key's.";
  public static final String HTTP_TLS_KEYSTORE_TYPE_CONFIG = "http.tls.keystore.type";
  private static final String HTTP_TLS_KEYSTORE_TYPE_DOC = "The key store's type.";
  // The forwarding client's trust (tokencache branch): one block, beside the listener's key store.
  public static final String HTTP_TLS_TRUSTSTORE_FILE_CONFIG = "http.tls.truststore.file";
  private static final String HTTP_TLS_TRUSTSTORE_FILE_DOC =
      "A trust store with the certificates (or their CA) that the other instances' REST listeners"
          + " present: forwarded reads trust those, and only those, instead of the JVM's trust"
          + " store. Each instance's certificate must name its http.advertised.host. Only with"
          + " http.tls.keystore.file.";
  public static final String HTTP_TLS_TRUSTSTORE_PASSWORD_CONFIG = "http.tls.truststore.password";
  private static final String HTTP_TLS_TRUSTSTORE_PASSWORD_DOC =
      "The trust store's password (none: it is read without an integrity check).";
  public static final String HTTP_TLS_TRUSTSTORE_TYPE_CONFIG = "http.tls.truststore.type";
  private static final String HTTP_TLS_TRUSTSTORE_TYPE_DOC = "The trust store's type.";
  public static final String HTTP_REQUEST_TIMEOUT_MS_CONFIG = "http.request.timeout.ms";
  private static final String HTTP_REQUEST_TIMEOUT_MS_DOC =
      "How long a cloud update waits for its answer, a job's create or cancel for the"
          + " coordinator to apply it (then 202), and a forwarded read for the owner.";
  public static final String HTTP_MAX_BODY_BYTES_CONFIG = "http.max.body.bytes";
  private static final String HTTP_MAX_BODY_BYTES_DOC =
      "The largest request body; larger is 413. POST /jobs has its own bound, from the job limits"
          + " (a job may list 10,000 devices).";
  public static final String HTTP_THREADS_CONFIG = "http.threads";
  private static final String HTTP_THREADS_DOC =
      "The REST API's worker threads. Two of them never run the shadow, command and device routes,"
          + " so /health, /ready and /metrics answer while those are busy; a request for them beyond"
          + " the others is 503 with Retry-After.";
  public static final String HTTP_QUEUE_SIZE_CONFIG = "http.queue.size";
  private static final String HTTP_QUEUE_SIZE_DOC =
      "Requests waiting for a worker thread; beyond it a new request's connection is closed.";
  public static final String HTTP_READ_TIMEOUT_MS_CONFIG = "http.read.timeout.ms";
  private static final String HTTP_READ_TIMEOUT_MS_DOC =
      "How long a client may take to send a whole request (rounded up to seconds) before its"
          + " connection is closed; an answer must be read within this plus twice"
          + " http.request.timeout.ms. Process-wide (the JDK server's sun.net.httpserver.maxReqTime"
          + " and maxRspTime, which win when set on the command line).";
  public static final String SHADOW_MAX_DEPTH_CONFIG = "shadow.max.depth";
  private static final String SHADOW_MAX_DEPTH_DOC =
      "The deepest nesting of state.desired or state.reported; deeper is rejected with 400.";
  public static final String SHADOW_MAX_DOCUMENT_BYTES_CONFIG = "shadow.max.document.bytes";
  private static final String SHADOW_MAX_DOCUMENT_BYTES_DOC =
      "The largest desired plus reported of a shadow in bytes (metadata not counted); 413 above.";
  public static final String SHADOW_MAX_CLIENT_TOKEN_BYTES_CONFIG = "shadow.max.client.token.bytes";
  private static final String SHADOW_MAX_CLIENT_TOKEN_BYTES_DOC =
      "The longest clientToken in UTF-8 bytes; longer is rejected with 400.";
  public static final String SHADOW_MAX_IN_FLIGHT_CONFIG = "shadow.max.in.flight";
  private static final String SHADOW_MAX_IN_FLIGHT_DOC =
      "Requests one device may have in flight (received within the window); more is 429.";
  public static final String SHADOW_IN_FLIGHT_WINDOW_MS_CONFIG = "shadow.in.flight.window.ms";
  private static final String SHADOW_IN_FLIGHT_WINDOW_MS_DOC =
      "How long a request counts as in flight after it was received.";
  public static final String SHADOW_MAX_NAMED_CONFIG = "shadow.max.named";
  private static final String SHADOW_MAX_NAMED_DOC =
      "Named shadows one device may have; an update creating one more is rejected with 400.";
  public static final String SHADOW_MAX_DEVICE_BYTES_CONFIG = "shadow.max.device.bytes";
  private static final String SHADOW_MAX_DEVICE_BYTES_DOC =
      "The largest serialized record of one device (all its shadows with metadata, presence); an"
          + " update that would pass it is rejected with 413. Below the changelog's 1 MiB message"
          + " limit, so store, changelog and ScyllaDB always hold the same record.";
  public static final String SHADOW_CLIENT_TOKENS_REMEMBERED_CONFIG =
      "shadow.client.tokens.remembered";
  private static final String SHADOW_CLIENT_TOKENS_REMEMBERED_DOC =
      "How many recent clientTokens of accepted updates and deletes are kept per device, so that a"
          + " redelivered request is answered with its first answer instead of being applied"
          + " again; 0 turns this off.";
  public static final String SHADOW_CLIENT_TOKEN_WINDOW_MS_CONFIG = "shadow.client.token.window.ms";
  private static final String SHADOW_CLIENT_TOKEN_WINDOW_MS_DOC =
      "How long a clientToken is remembered after its request was received.";
  public static final String STREAM_THREAD_BACKOFF_INITIAL_MS_CONFIG =
      "stream.thread.backoff.initial.ms";
  private static final String STREAM_THREAD_BACKOFF_INITIAL_MS_DOC =
      "The wait before a failed stream thread is replaced (the registry or a broker was away);"
          + " doubles for each failure in a row.";
  public static final String STREAM_THREAD_BACKOFF_MAX_MS_CONFIG = "stream.thread.backoff.max.ms";
  private static final String STREAM_THREAD_BACKOFF_MAX_MS_DOC =
      "The longest wait before a failed stream thread is replaced; below the consumer's"
          + " max.poll.interval.ms (5 min), so the waiting member is not thrown out of the group.";
  public static final String STREAM_THREAD_MAX_FAILURES_CONFIG = "stream.thread.max.failures";
  private static final String STREAM_THREAD_MAX_FAILURES_DOC =
      "Stream thread failures in a row (each within 5 min, or twice the longest wait, of the one"
          + " before) after which the app stops processing and /health answers 503 (not alive).";
  public static final String COMMAND_STATUS_RETENTION_MS_CONFIG = "command.status.retention.ms";
  private static final String COMMAND_STATUS_RETENTION_MS_DOC =
      "How long a command's status is kept after it became final (SUCCEEDED, FAILED, REJECTED,"
          + " UNDELIVERED, EXPIRED, TIMED_OUT); then GET /commands/{id} answers 404.";
  public static final String COMMAND_COMPLETION_TIMEOUT_MS_CONFIG = "command.completion.timeout.ms";
  private static final String COMMAND_COMPLETION_TIMEOUT_MS_DOC =
      "How long after its expiry a command may still get its final status; then a delivered or"
          + " accepted one becomes TIMED_OUT and one never delivered EXPIRED.";
  public static final String COMMAND_MAX_HISTORY_CONFIG = "command.max.history";
  private static final String COMMAND_MAX_HISTORY_DOC =
      "Steps kept in a command's history (the first and the latest); older ones are dropped.";
  public static final String COMMAND_ANSWER_GRACE_MS_CONFIG = "command.answer.grace.ms";
  private static final String COMMAND_ANSWER_GRACE_MS_DOC =
      "How long a device's answer (iot.command.events) read before its command is held for the"
          + " command to come: Kafka Streams does not order a task's two input topics, so after a"
          + " stall an answer may be read first. Held, it is no command for GET (404); applied with"
          + " every check when the command comes; dead-lettered (INVALID_REQUEST) when it has not"
          + " come within this, found by the 30 s sweep. 0 dead-letters it at once.";
  public static final String COMMAND_ANSWER_MAX_HELD_CONFIG = "command.answer.max.held";
  private static final String COMMAND_ANSWER_MAX_HELD_DOC =
      "Early answers (see command.answer.grace.ms) one task holds at most; beyond, an answer for a"
          + " command the task has not seen is dead-lettered at once (INVALID_REQUEST), so answers"
          + " for made-up command ids cannot grow the store without bound.";
  public static final String COMMAND_DEFAULT_TTL_SECONDS_CONFIG = "command.default.ttl.seconds";
  private static final String COMMAND_DEFAULT_TTL_SECONDS_DOC =
      "The expiry of a command posted without ttlSeconds.";
  public static final String TOPICS_CREATE_CONFIG = "topics.create";
  private static final String TOPICS_CREATE_DOC =
      "Create the platform's topics at start-up when missing (a local stack; production creates"
          + " them from the Strimzi resources).";
  public static final String TOPICS_PARTITIONS_CONFIG = "topics.partitions";
  private static final String TOPICS_PARTITIONS_DOC =
      "Partitions of the platform's topics that topics.create makes.";
  public static final String TOPICS_REPLICATION_FACTOR_CONFIG = "topics.replication.factor";
  private static final String TOPICS_REPLICATION_FACTOR_DOC =
      "Replication factor of the topics topics.create makes and of internal topics, which get"
          + " min.insync.replicas = a majority of it (1 below 3 replicas); -1 for the broker's"
          + " defaults of both.";

  /** Every key, its type, default, validator and documentation. */
  public static final ConfigDef DEFINITION =
      CommonSettings.defineSchemaRegistry(CommonSettings.defineBootstrapServers(new ConfigDef()))
          .define(
              APPLICATION_ID_CONFIG,
              Type.STRING,
              // The prefix the app's principal owns (schemas' Principals).
              Principals.STREAMS_APPLICATION_ID,
              new ConfigDef.NonEmptyString(),
              Importance.HIGH,
              APPLICATION_ID_DOC)
          .define(
              STATE_DIR_CONFIG,
              Type.STRING,
              "state",
              new ConfigDef.NonEmptyString(),
              Importance.HIGH,
              STATE_DIR_DOC)
          .define(
              NUM_STREAM_THREADS_CONFIG,
              Type.INT,
              1,
              Range.between(1, 64),
              Importance.MEDIUM,
              NUM_STREAM_THREADS_DOC)
          .define(
              NUM_STANDBY_REPLICAS_CONFIG,
              Type.INT,
              1,
              Range.between(0, 5),
              Importance.MEDIUM,
              NUM_STANDBY_REPLICAS_DOC)
          .define(
              COMMIT_INTERVAL_MS_CONFIG,
              Type.LONG,
              // Chosen from ShadowBenchmark's 100/50/20 ms rounds and the end-to-end runs
              // (docs/benchmarks.md, issue 22): the project promises tens of milliseconds.
              20L,
              Range.between(1, 60_000),
              Importance.MEDIUM,
              COMMIT_INTERVAL_MS_DOC)
          .define(
              HTTP_HOST_CONFIG,
              Type.STRING,
              "0.0.0.0",
              new ConfigDef.NonEmptyString(),
              Importance.MEDIUM,
              HTTP_HOST_DOC)
          .define(
              HTTP_PORT_CONFIG,
              Type.INT,
              8080,
              Range.between(0, 65535),
              Importance.MEDIUM,
              HTTP_PORT_DOC)
          .define(
              HTTP_ADVERTISED_HOST_CONFIG,
              Type.STRING,
              "",
              Importance.MEDIUM,
              HTTP_ADVERTISED_HOST_DOC)
          .define(
              HTTP_AUTH_ENABLED_CONFIG, Type.BOOLEAN, true, Importance.HIGH, HTTP_AUTH_ENABLED_DOC)
          .define(
              HTTP_AUTH_PUBLIC_KEY_FILE_CONFIG,
              Type.STRING,
              "",
              Importance.HIGH,
              HTTP_AUTH_PUBLIC_KEY_FILE_DOC)
          .define(
              HTTP_AUTH_JWKS_URL_CONFIG,
              Type.STRING,
              "",
              HttpSecuritySettings.EMPTY_OR_HTTP_URL,
              Importance.HIGH,
              HTTP_AUTH_JWKS_URL_DOC)
          .define(HTTP_AUTH_ISSUER_CONFIG, Type.STRING, "", Importance.HIGH, HTTP_AUTH_ISSUER_DOC)
          .define(
              HTTP_AUTH_AUDIENCE_CONFIG, Type.STRING, "", Importance.HIGH, HTTP_AUTH_AUDIENCE_DOC)
          .define(
              HTTP_AUTH_CLOCK_SKEW_SECONDS_CONFIG,
              Type.INT,
              60,
              Range.between(0, 600),
              Importance.LOW,
              HTTP_AUTH_CLOCK_SKEW_SECONDS_DOC)
          .define(
              HTTP_TLS_KEYSTORE_FILE_CONFIG,
              Type.STRING,
              "",
              Importance.MEDIUM,
              HTTP_TLS_KEYSTORE_FILE_DOC)
          .define(
              HTTP_TLS_KEYSTORE_PASSWORD_CONFIG,
              Type.PASSWORD,
              null,
              Importance.MEDIUM,
              HTTP_TLS_KEYSTORE_PASSWORD_DOC)
          .define(
              HTTP_TLS_KEYSTORE_TYPE_CONFIG,
              Type.STRING,
              "PKCS12",
              ConfigDef.ValidString.in("PKCS12", "JKS"),
              Importance.LOW,
              HTTP_TLS_KEYSTORE_TYPE_DOC)
          .define(
              HTTP_TLS_TRUSTSTORE_FILE_CONFIG,
              Type.STRING,
              "",
              Importance.MEDIUM,
              HTTP_TLS_TRUSTSTORE_FILE_DOC)
          .define(
              HTTP_TLS_TRUSTSTORE_PASSWORD_CONFIG,
              Type.PASSWORD,
              null,
              Importance.MEDIUM,
              HTTP_TLS_TRUSTSTORE_PASSWORD_DOC)
          .define(
              HTTP_TLS_TRUSTSTORE_TYPE_CONFIG,
              Type.STRING,
              "PKCS12",
              ConfigDef.ValidString.in("PKCS12", "JKS"),
              Importance.LOW,
              HTTP_TLS_TRUSTSTORE_TYPE_DOC)
          .define(
              HTTP_REQUEST_TIMEOUT_MS_CONFIG,
              Type.LONG,
              10_000L,
              Range.between(100, 300_000),
              Importance.LOW,
              HTTP_REQUEST_TIMEOUT_MS_DOC)
          .define(
              HTTP_MAX_BODY_BYTES_CONFIG,
              Type.INT,
              64 * 1024,
              Range.between(1024, 16 * 1024 * 1024),
              Importance.LOW,
              HTTP_MAX_BODY_BYTES_DOC)
          .define(
              HTTP_THREADS_CONFIG,
              Type.INT,
              16,
              Range.between(3, 1024),
              Importance.LOW,
              HTTP_THREADS_DOC)
          .define(
              HTTP_QUEUE_SIZE_CONFIG,
              Type.INT,
              256,
              Range.between(1, 100_000),
              Importance.LOW,
              HTTP_QUEUE_SIZE_DOC)
          .define(
              HTTP_READ_TIMEOUT_MS_CONFIG,
              Type.LONG,
              10_000L,
              Range.between(1_000, 300_000),
              Importance.LOW,
              HTTP_READ_TIMEOUT_MS_DOC)
          .define(
              SHADOW_MAX_DEPTH_CONFIG,
              Type.INT,
              6,
              Range.between(1, 100),
              Importance.MEDIUM,
              SHADOW_MAX_DEPTH_DOC)
          .define(
              SHADOW_MAX_DOCUMENT_BYTES_CONFIG,
              Type.INT,
              8 * 1024,
              Range.between(64, 1024 * 1024),
              Importance.MEDIUM,
              SHADOW_MAX_DOCUMENT_BYTES_DOC)
          .define(
              SHADOW_MAX_CLIENT_TOKEN_BYTES_CONFIG,
              Type.INT,
              64,
              Range.between(1, 1024),
              Importance.LOW,
              SHADOW_MAX_CLIENT_TOKEN_BYTES_DOC)
          .define(
              SHADOW_MAX_IN_FLIGHT_CONFIG,
              Type.INT,
              10,
              Range.between(1, 100_000),
              Importance.MEDIUM,
              SHADOW_MAX_IN_FLIGHT_DOC)
          .define(
              SHADOW_IN_FLIGHT_WINDOW_MS_CONFIG,
              Type.LONG,
              1000L,
              Range.between(1, 3_600_000),
              Importance.LOW,
              SHADOW_IN_FLIGHT_WINDOW_MS_DOC)
          .define(
              SHADOW_MAX_NAMED_CONFIG,
              Type.INT,
              ShadowLimits.DEFAULT_MAX_NAMED,
              Range.between(0, 10_000),
              Importance.MEDIUM,
              SHADOW_MAX_NAMED_DOC)
          .define(
              SHADOW_MAX_DEVICE_BYTES_CONFIG,
              Type.INT,
              ShadowLimits.DEFAULT_MAX_DEVICE_BYTES,
              Range.between(1024, ShadowLimits.MAX_DEVICE_BYTES),
              Importance.MEDIUM,
              SHADOW_MAX_DEVICE_BYTES_DOC)
          .define(
              SHADOW_CLIENT_TOKENS_REMEMBERED_CONFIG,
              Type.INT,
              ShadowLimits.DEFAULT_CLIENT_TOKENS_REMEMBERED,
              Range.between(0, 1000),
              Importance.LOW,
              SHADOW_CLIENT_TOKENS_REMEMBERED_DOC)
          .define(
              SHADOW_CLIENT_TOKEN_WINDOW_MS_CONFIG,
              Type.LONG,
              ShadowLimits.DEFAULT_CLIENT_TOKEN_WINDOW.toMillis(),
              Range.between(1, 7 * 24 * 3_600_000L),
              Importance.LOW,
              SHADOW_CLIENT_TOKEN_WINDOW_MS_DOC)
          .define(
              STREAM_THREAD_BACKOFF_INITIAL_MS_CONFIG,
              Type.LONG,
              1000L,
              Range.between(0, 60_000),
              Importance.LOW,
              STREAM_THREAD_BACKOFF_INITIAL_MS_DOC)
          .define(
              STREAM_THREAD_BACKOFF_MAX_MS_CONFIG,
              Type.LONG,
              60_000L,
              Range.between(0, 240_000),
              Importance.LOW,
              STREAM_THREAD_BACKOFF_MAX_MS_DOC)
          .define(
              STREAM_THREAD_MAX_FAILURES_CONFIG,
              Type.INT,
              20,
              Range.between(1, 10_000),
              Importance.LOW,
              STREAM_THREAD_MAX_FAILURES_DOC)
          .define(
              COMMAND_STATUS_RETENTION_MS_CONFIG,
              Type.LONG,
              CommandLimits.defaults().statusRetention().toMillis(),
              Range.between(60_000, 90 * 24 * 3_600_000L),
              Importance.LOW,
              COMMAND_STATUS_RETENTION_MS_DOC)
          .define(
              COMMAND_COMPLETION_TIMEOUT_MS_CONFIG,
              Type.LONG,
              CommandLimits.defaults().completionTimeout().toMillis(),
              Range.between(0, 30 * 24 * 3_600_000L),
              Importance.LOW,
              COMMAND_COMPLETION_TIMEOUT_MS_DOC)
          .define(
              COMMAND_MAX_HISTORY_CONFIG,
              Type.INT,
              CommandLimits.defaults().maxHistory(),
              Range.between(2, 1000),
              Importance.LOW,
              COMMAND_MAX_HISTORY_DOC)
          .define(
              COMMAND_ANSWER_GRACE_MS_CONFIG,
              Type.LONG,
              CommandLimits.DEFAULT_ANSWER_GRACE.toMillis(),
              Range.between(0, 3_600_000L),
              Importance.LOW,
              COMMAND_ANSWER_GRACE_MS_DOC)
          .define(
              COMMAND_ANSWER_MAX_HELD_CONFIG,
              Type.INT,
              CommandLimits.DEFAULT_MAX_HELD_ANSWERS,
              Range.between(0, 1_000_000),
              Importance.LOW,
              COMMAND_ANSWER_MAX_HELD_DOC)
          .define(
              COMMAND_DEFAULT_TTL_SECONDS_CONFIG,
              Type.INT,
              3600,
              Range.between(1, 30 * 24 * 3600),
              Importance.LOW,
              COMMAND_DEFAULT_TTL_SECONDS_DOC)
          .define(TOPICS_CREATE_CONFIG, Type.BOOLEAN, false, Importance.LOW, TOPICS_CREATE_DOC)
          .define(
              TOPICS_PARTITIONS_CONFIG,
              Type.INT,
              12,
              Range.between(1, 10_000),
              Importance.LOW,
              TOPICS_PARTITIONS_DOC)
          .define(
              TOPICS_REPLICATION_FACTOR_CONFIG,
              Type.INT,
              -1,
              Range.between(-1, 10),
              Importance.LOW,
              TOPICS_REPLICATION_FACTOR_DOC);

  private static final ConfigLoader LOADER = new ConfigLoader(DEFINITION, ENV_PREFIX);

  private final KafkaClientSettings kafkaClients;
  private final HttpSecurity httpSecurity;

  /**
   * Validates the settings: the keys of {@link #configDef()} and {@code kafka.*}; a missing,
   * unknown or bad key throws a {@link ConfigException} that names it.
   */
  public StreamsAppConfig(Map<String, ?> settings) {
    super(DEFINITION, settings, false);
    ConfigLoader.requireKnown(DEFINITION, settings, "the streams-app's settings");
    this.kafkaClients =
        KafkaClientSettings.of(String.join(",", getList(BOOTSTRAP_SERVERS_CONFIG)), settings);
    // Cross-field rules, named like single-key ones.
    if (getInt(SHADOW_MAX_DEVICE_BYTES_CONFIG) < getInt(SHADOW_MAX_DOCUMENT_BYTES_CONFIG)) {
      throw new ConfigException(
          SHADOW_MAX_DEVICE_BYTES_CONFIG,
          getInt(SHADOW_MAX_DEVICE_BYTES_CONFIG),
          "must be at least " + SHADOW_MAX_DOCUMENT_BYTES_CONFIG);
    }
    if (getLong(STREAM_THREAD_BACKOFF_MAX_MS_CONFIG)
        < getLong(STREAM_THREAD_BACKOFF_INITIAL_MS_CONFIG)) {
      throw new ConfigException(
          STREAM_THREAD_BACKOFF_MAX_MS_CONFIG,
          getLong(STREAM_THREAD_BACKOFF_MAX_MS_CONFIG),
          "must be at least " + STREAM_THREAD_BACKOFF_INITIAL_MS_CONFIG);
    }
    // Apicurio's serdes name a value's subject after the topic written, and the app writes its
    // stores' changelogs, whose subjects no deployment registers ahead (RegistrySerdes).
    if (!getBoolean(SCHEMA_REGISTRY_AUTO_REGISTER_CONFIG)
        && CommonSettings.schemaRegistry(this).api() == RegistryConfig.Api.APICURIO) {
      throw new ConfigException(
          SCHEMA_REGISTRY_AUTO_REGISTER_CONFIG,
          false,
          "must be true on Apicurio's own API (its serdes register the stores' changelog"
              + " subjects); use the registry's Confluent API (/apis/ccompat/v7) to run without");
    }
    // Reads the key and key store files now: a bad one fails start-up naming its key.
    this.httpSecurity = HttpSecuritySettings.build(this);
  }

  /**
   * The settings of a properties file (may be null; else the one {@code IOT_STREAMS_CONFIG} names)
   * overridden by the environment's {@code IOT_STREAMS_*} variables.
   */
  public static StreamsAppConfig load(Path file, Map<String, String> environment) {
    return new StreamsAppConfig(
        LOADER.load(
            LOADER.configFile(Optional.ofNullable(file), environment), environment, Map.of()));
  }

  /** Every key of the streams-app: type, default, validator and documentation (a copy). */
  public static ConfigDef configDef() {
    return new ConfigDef(DEFINITION);
  }

  /** How the streams-app reads environment variables ({@code IOT_STREAMS_*}). */
  public static EnvironmentRule environmentRule() {
    return LOADER.environmentRule();
  }

  /** The shadow limits these settings give. */
  public ShadowLimits shadowLimits() {
    return new ShadowLimits(
        getInt(SHADOW_MAX_DEPTH_CONFIG),
        getInt(SHADOW_MAX_DOCUMENT_BYTES_CONFIG),
        getInt(SHADOW_MAX_CLIENT_TOKEN_BYTES_CONFIG),
        getInt(SHADOW_MAX_IN_FLIGHT_CONFIG),
        Duration.ofMillis(getLong(SHADOW_IN_FLIGHT_WINDOW_MS_CONFIG)),
        getInt(SHADOW_MAX_NAMED_CONFIG),
        getInt(SHADOW_MAX_DEVICE_BYTES_CONFIG),
        getInt(SHADOW_CLIENT_TOKENS_REMEMBERED_CONFIG),
        Duration.ofMillis(getLong(SHADOW_CLIENT_TOKEN_WINDOW_MS_CONFIG)));
  }

  /** The command-status limits these settings give. */
  public CommandLimits commandLimits() {
    return new CommandLimits(
        Duration.ofMillis(getLong(COMMAND_STATUS_RETENTION_MS_CONFIG)),
        Duration.ofMillis(getLong(COMMAND_COMPLETION_TIMEOUT_MS_CONFIG)),
        getInt(COMMAND_MAX_HISTORY_CONFIG),
        Duration.ofMillis(getLong(COMMAND_ANSWER_GRACE_MS_CONFIG)),
        getInt(COMMAND_ANSWER_MAX_HELD_CONFIG));
  }

  /** The host other instances reach this one at. */
  public String advertisedHost() {
    String advertised = getString(HTTP_ADVERTISED_HOST_CONFIG);
    if (!advertised.isBlank()) {
      return advertised;
    }
    String host = getString(HTTP_HOST_CONFIG);
    return host.equals("0.0.0.0") ? "localhost" : host;
  }

  /**
   * What every Kafka client of the app (Kafka Streams, the REST producer, the response consumer,
   * the admin client) is given: the brokers and the {@code kafka.*} settings without the prefix.
   */
  public KafkaClientSettings kafkaClients() {
    return kafkaClients;
  }

  /** Who may call the REST API (bearer tokens unless http.auth.enabled=false), and its TLS. */
  public HttpSecurity httpSecurity() {
    return httpSecurity;
  }

  /** What the REST server takes on at once. */
  public HttpLimits httpLimits() {
    Duration readTimeout = Duration.ofMillis(getLong(HTTP_READ_TIMEOUT_MS_CONFIG));
    Duration requestTimeout = Duration.ofMillis(getLong(HTTP_REQUEST_TIMEOUT_MS_CONFIG));
    return new HttpLimits(
        getInt(HTTP_THREADS_CONFIG),
        getInt(HTTP_QUEUE_SIZE_CONFIG),
        getInt(HTTP_MAX_BODY_BYTES_CONFIG),
        readTimeout,
        requestTimeout.multipliedBy(2).plus(readTimeout));
  }
}
