package org.iotbackbone.streamsapp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;
import org.iotbackbone.schemas.config.CommonSettings;
import org.iotbackbone.schemas.config.KafkaClientSettings;
import org.iotbackbone.schemas.serde.RegistryConfig;
import org.iotbackbone.schemas.topics.TopicDefinition;
import org.iotbackbone.schemas.topics.Topics;
import org.iotbackbone.streamsapp.internal.ops.StreamsAppMetrics;
import org.iotbackbone.streamsapp.internal.rest.HttpApi;
import org.iotbackbone.streamsapp.internal.rest.ResponseWaiter;
import org.iotbackbone.streamsapp.internal.streams.DeadLetterHandler;
import org.iotbackbone.streamsapp.internal.streams.ThreadReplacement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streams-app: the shadow topology in Kafka Streams ({@code exactly_once_v2}) and its REST API.
 *
 * <p>{@link #start(Duration)} returns when the API listens and Kafka Streams is RUNNING (stores
 * restored); {@link #close()} is idempotent and bounded in time. {@code main} reads the config from
 * the file named by its one argument (optional) and the environment, and closes the app on JVM
 * shutdown.
 */
public final class StreamsApp implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(StreamsApp.class);

  private final StreamsAppConfig config;
  private HttpApi api;
  private KafkaStreams streams;
  private KafkaProducer<String, byte[]> producer;
  private ResponseWaiter waiter;
  private ThreadReplacement threads;
  private StreamsAppMetrics metrics;
  private boolean closed;

  public StreamsApp(StreamsAppConfig config) {
    this.config = config;
  }

  /**
   * Runs the app from a config file (first argument, optional) and {@code IOT_STREAMS_*}. A bad
   * setting ends it at once with exit code 2 and a message naming the key.
   */
  public static void main(String[] args) {
    Path file = args.length > 0 ? Path.of(args[0]) : null;
    StreamsAppConfig config;
    try {
      config = StreamsAppConfig.load(file, System.getenv());
    } catch (ConfigException e) {
      System.err.println("streams-app: bad configuration: " + e.getMessage());
      System.exit(2);
      return;
    }
    StreamsApp app = new StreamsApp(config);
    Runtime.getRuntime().addShutdownHook(new Thread(app::close, "streams-app-shutdown"));
    app.start(Duration.ofDays(1));
  }

  /**
   * The Streams settings that install {@link DeadLetterHandler} for the three kinds of error: bad
   * records go to {@code iot.deadletter} instead of stopping the partition, a registry or broker
   * that is away for now fails the thread, to be replaced and the record retried (the handler also
   * needs {@code iot.schema.registry.url}), counting the letters in {@code metrics}.
   */
  public static Map<String, Object> errorHandlingConfig(StreamsAppMetrics metrics) {
    return Map.of(
        DeadLetterHandler.METRICS_CONFIG,
        metrics,
        StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
        DeadLetterHandler.class.getName(),
        StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
        DeadLetterHandler.class.getName(),
        StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG,
        DeadLetterHandler.class.getName());
  }

  /** Starts the API and Kafka Streams; returns when Streams is RUNNING or throws after timeout. */
  public synchronized StreamsApp start(Duration timeout) {
    if (closed || streams != null) {
      throw new IllegalStateException("start() once, before close()");
    }
    KafkaClientSettings kafka = config.kafkaClients();
    RegistryConfig registry = CommonSettings.schemaRegistry(config);
    if (config.getBoolean(StreamsAppConfig.TOPICS_CREATE_CONFIG)) {
      createTopics(kafka);
    }
    metrics = new StreamsAppMetrics();
    metrics.bindJvm();
    try {
      api =
          new HttpApi(
              config.getString(StreamsAppConfig.HTTP_HOST_CONFIG),
              config.getInt(StreamsAppConfig.HTTP_PORT_CONFIG),
              config.httpLimits(),
              config.httpSecurity(),
              metrics::scrape);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen for the REST API", e);
    }
    HostInfo self = new HostInfo(config.advertisedHost(), api.port());
    ShadowSerdes serdes = ShadowSerdes.registry(registry);
    JobsSerdes jobsSerdes = JobsSerdes.registry(registry);
    JobLimits jobLimits = JobLimits.defaults();
    // Jobs run in the shadows' topology: their device side reads the shadow store (design.md,
    // Jobs).
    streams =
        new KafkaStreams(
            JobsTopology.build(
                serdes,
                config.shadowLimits(),
                config.commandLimits(),
                jobsSerdes,
                jobLimits,
                metrics),
            streamsProperties(kafka, registry, self));
    // A thread that dies (a registry or broker away for now) is replaced after a growing wait, so
    // that the group does not rebalance in a loop; the record is retried, not lost. Too many
    // failures in a row stop the client: /health answers 503 and the process is restarted.
    threads =
        new ThreadReplacement(
            Duration.ofMillis(
                config.getLong(StreamsAppConfig.STREAM_THREAD_BACKOFF_INITIAL_MS_CONFIG)),
            Duration.ofMillis(config.getLong(StreamsAppConfig.STREAM_THREAD_BACKOFF_MAX_MS_CONFIG)),
            config.getInt(StreamsAppConfig.STREAM_THREAD_MAX_FAILURES_CONFIG));
    streams.setUncaughtExceptionHandler(threads);
    metrics.bind(streams);
    producer =
        new KafkaProducer<>(
            kafka.config(producerProperties()), new StringSerializer(), new ByteArraySerializer());
    waiter = new ResponseWaiter(kafka, serdes.responses());
    Duration requestTimeout =
        Duration.ofMillis(config.getLong(StreamsAppConfig.HTTP_REQUEST_TIMEOUT_MS_CONFIG));
    api.attach(
        streams,
        self,
        producer,
        serdes,
        waiter,
        requestTimeout,
        Duration.ofSeconds(config.getInt(StreamsAppConfig.COMMAND_DEFAULT_TTL_SECONDS_CONFIG)),
        jobsSerdes,
        jobLimits);
    streams.start();
    awaitRunning(timeout);
    LOG.info("streams-app running; REST API on {}", self);
    return this;
  }

  /** The address other instances and clients reach this one's REST API at. */
  public HostInfo hostInfo() {
    return new HostInfo(config.advertisedHost(), api.port());
  }

  /** How many stream threads were replaced after a failure since start (for tests and metrics). */
  public long replacedThreads() {
    return threads == null ? 0 : threads.replacedThreads();
  }

  /** The running Kafka Streams (for tests and metrics). */
  public KafkaStreams streams() {
    return streams;
  }

  private void awaitRunning(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (streams.state() != KafkaStreams.State.RUNNING) {
      if (streams.state() == KafkaStreams.State.ERROR
          || streams.state() == KafkaStreams.State.NOT_RUNNING
          || System.nanoTime() > deadline) {
        throw new IllegalStateException("Kafka Streams did not reach RUNNING: " + streams.state());
      }
      try {
        Thread.sleep(50); // polling a state, not waiting for time to pass
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while starting", e);
      }
    }
  }

  private Properties streamsProperties(
      KafkaClientSettings kafka, RegistryConfig registry, HostInfo self) {
    Map<String, Object> props = new HashMap<>();
    props.put(
        StreamsConfig.APPLICATION_ID_CONFIG,
        config.getString(StreamsAppConfig.APPLICATION_ID_CONFIG));
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, self.host() + ":" + self.port());
    props.put(StreamsConfig.STATE_DIR_CONFIG, config.getString(StreamsAppConfig.STATE_DIR_CONFIG));
    props.put(
        StreamsConfig.NUM_STREAM_THREADS_CONFIG,
        config.getInt(StreamsAppConfig.NUM_STREAM_THREADS_CONFIG));
    props.put(
        StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG,
        config.getInt(StreamsAppConfig.NUM_STANDBY_REPLICAS_CONFIG));
    props.put(
        StreamsConfig.COMMIT_INTERVAL_MS_CONFIG,
        config.getLong(StreamsAppConfig.COMMIT_INTERVAL_MS_CONFIG));
    props.put(
        StreamsConfig.REPLICATION_FACTOR_CONFIG,
        config.getInt(StreamsAppConfig.TOPICS_REPLICATION_FACTOR_CONFIG));
    int replication = config.getInt(StreamsAppConfig.TOPICS_REPLICATION_FACTOR_CONFIG);
    if (replication > 0) {
      // The changelogs hold the shadows: as durable as the platform's own topics.
      props.put(
          StreamsConfig.topicPrefix(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG),
          TopicDefinition.minInsyncReplicas(replication));
    }
    props.putAll(speedDefaults());
    props.putAll(failoverDefaults());
    props.putAll(errorHandlingConfig(metrics));
    props.put(DeadLetterHandler.REGISTRY_CONFIG, registry);
    // The operator's kafka.* settings last: they win over the app's defaults.
    Properties properties = new Properties();
    properties.putAll(kafka.config(props));
    return properties;
  }

  /**
   * Streams settings the app chooses over Kafka's defaults for speed (docs/benchmarks.md,
   * ShadowBenchmark); the operator's {@code kafka.*} settings still win.
   */
  static Map<String, Object> speedDefaults() {
    Map<String, Object> props = new HashMap<>();
    // Restore in big batches: a restarted instance serves again sooner.
    props.put(StreamsConfig.restoreConsumerPrefix("max.poll.records"), 10_000);
    // Not max.task.idle.ms -1, though Kafka's 0 costs the shadow task 12% of its thread (JFR,
    // 2026-12-06: before every record it formats log text on the lag of each idle input
    // partition): with -1 a command's event could be applied before the command itself when the
    // commands partition lags, and be dead-lettered as an answer to a command nobody issued.
    return props;
  }

  /**
   * How soon the partitions of a member that stopped without leaving the group move: 10 s, Kafka's
   * default before 3.0, not its 45 s. Such a member is a stream thread that failed and was replaced
   * ({@link ThreadReplacement}: Kafka Streams shuts the failed thread down without leaving the
   * group, so its tasks, and the shadows and commands of their devices, wait for the session to
   * expire) or an instance that was killed. Heartbeats come from the consumer's own thread every 3
   * s, so a busy stream thread does not end its session. The operator's {@code
   * kafka.session.timeout.ms} still wins.
   */
  static Map<String, Object> failoverDefaults() {
    return Map.of(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
  }

  private static Map<String, Object> producerProperties() {
    Map<String, Object> props = new HashMap<>();
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 1);
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "streams-app-rest");
    return props;
  }

  private void createTopics(KafkaClientSettings kafka) {
    int partitions = config.getInt(StreamsAppConfig.TOPICS_PARTITIONS_CONFIG);
    short replication =
        config.getInt(StreamsAppConfig.TOPICS_REPLICATION_FACTOR_CONFIG).shortValue();
    try (Admin admin = Admin.create(kafka.config(Map.of()))) {
      for (var topic : Topics.all(partitions)) {
        NewTopic newTopic =
            replication < 0
                ? new NewTopic(
                        topic.name(), java.util.Optional.of(partitions), java.util.Optional.empty())
                    .configs(topic.configs())
                : topic.newTopic(replication);
        try {
          admin.createTopics(List.of(newTopic)).all().get();
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw new IllegalStateException("cannot create topic " + topic.name(), e.getCause());
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics", e);
    }
  }

  /** Stops the API, Streams and the clients; idempotent, bounded to about 30 s. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (api != null) {
      api.close();
    }
    if (threads != null) {
      threads.close();
    }
    if (streams != null) {
      // Leave the group: the other instances (or this one restarted) take the partitions at once,
      // instead of after the session timeout (45 s) that a silent member is waited for.
      streams.close(
          CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
              .withTimeout(Duration.ofSeconds(20)));
    }
    if (waiter != null) {
      waiter.close();
    }
    if (producer != null) {
      producer.close(Duration.ofSeconds(5));
    }
    if (metrics != null) {
      metrics.close();
    }
  }
}
