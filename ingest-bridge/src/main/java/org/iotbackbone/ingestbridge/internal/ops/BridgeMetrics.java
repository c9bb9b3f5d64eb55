package org.iotbackbone.ingestbridge.internal.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.iotbackbone.schemas.DeadLetterReason;
import org.iotbackbone.schemas.JobExecutionOperation;

/**
 * The bridge's metrics, in Prometheus form at {@code /metrics}. Names (as Prometheus shows them):
 *
 * <ul>
 *   <li>{@code bridge_uplink_messages_total{topic}}: records produced from MQTT, per Kafka topic;
 *   <li>{@code bridge_downlink_messages_total{topic}}: Kafka records handled, per Kafka topic;
 *   <li>{@code bridge_downlink_publishes_total{broker}}: MQTT publishes accepted by a broker;
 *   <li>{@code bridge_uplink_inflight}: MQTT messages received and not yet acknowledged;
 *   <li>{@code bridge_ready}: 1 while {@code /ready} answers 200, else 0;
 *   <li>{@code bridge_kafka_send_seconds}: from send to Kafka's acknowledgement (histogram);
 *   <li>{@code bridge_deadletters_total{reason}}: refused input, per reason code;
 *   <li>{@code bridge_reconnects_total{target}}: MQTT reconnects per broker, send retries for
 *       Kafka;
 *   <li>{@code bridge_commands_total{status}}: DELIVERED, UNDELIVERED and EXPIRED commands;
 *   <li>{@code bridge_uplink_dropped_total{reason}}: messages acknowledged without a record because
 *       Kafka refused both their record and their dead letter for good (should stay 0);
 *   <li>{@code bridge_downlink_restarts_total}: restarts of the downlink loop after it failed;
 *   <li>{@code bridge_jobs_throttled_total{operation}}: jobs requests (START_NEXT, GET, UPDATE)
 *       over their device's rate, answered 429 by the bridge and not sent to Kafka;
 *   <li>{@code mqtt_broker_*{broker}}: what each Mosquitto says of itself in {@code $SYS} ({@code
 *       BrokerStats});
 *   <li>Micrometer's JVM and process binders ({@code jvm_*}, {@code process_*}, {@code system_*})
 *       and {@code KafkaClientMetrics} of the producer and the downlink consumer ({@code
 *       kafka_producer_*}, {@code kafka_consumer_*}, the downlink's lag as {@code
 *       kafka_consumer_fetch_manager_records_lag_max}).
 * </ul>
 */
public final class BridgeMetrics {

  /** The jobs operations a device may ask for, each with its throttle counter. */
  private static final List<String> JOBS_OPERATIONS =
      Stream.of(JobExecutionOperation.values())
          .filter(operation -> operation != JobExecutionOperation.UNKNOWN)
          .map(Enum::name)
          .toList();

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Timer kafkaSend;
  private final JvmGcMetrics jvmGc = new JvmGcMetrics();

  public BridgeMetrics() {
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    // The GC binder listens to the JVM's notifications until closed: close() ends it.
    jvmGc.bindTo(registry);
    kafkaSend =
        Timer.builder("bridge.kafka.send")
            .description("From send to Kafka's acknowledgement")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(Duration.ofSeconds(30))
            .register(registry);
    // Counters of rare events exist from the start, at 0: a dashboard panel or an alert on them
    // cannot tell "none yet" from "not exposed" otherwise (PlatformIT checks every name is there).
    for (DeadLetterReason reason : DeadLetterReason.values()) {
      counter("bridge.deadletters", "reason", reason.name());
      counter("bridge.uplink.dropped", "reason", reason.name());
    }
    counter("bridge.downlink.restarts", "loop", "downlink");
    for (String operation : JOBS_OPERATIONS) {
      counter("bridge.jobs.throttled", "operation", operation);
    }
    expectReconnects("kafka");
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** The Prometheus text exposition. */
  public String scrape() {
    return registry.scrape();
  }

  public void uplink(String kafkaTopic) {
    counter("bridge.uplink.messages", "topic", kafkaTopic).increment();
  }

  public void downlink(String kafkaTopic) {
    counter("bridge.downlink.messages", "topic", kafkaTopic).increment();
  }

  public void published(String broker) {
    counter("bridge.downlink.publishes", "broker", broker).increment();
  }

  public void deadLetter(DeadLetterReason reason) {
    counter("bridge.deadletters", "reason", reason.name()).increment();
  }

  public void dropped(DeadLetterReason reason) {
    counter("bridge.uplink.dropped", "reason", reason.name()).increment();
  }

  /** A jobs request of {@code operation} throttled (answered 429, nothing to Kafka). */
  public void jobsThrottled(String operation) {
    counter("bridge.jobs.throttled", "operation", operation).increment();
  }

  public void downlinkRestart() {
    counter("bridge.downlink.restarts", "loop", "downlink").increment();
  }

  public void reconnect(String target) {
    counter("bridge.reconnects", "target", target).increment();
  }

  /** Shows {@code target}'s reconnect count, at 0, before its first reconnect. */
  public void expectReconnects(String target) {
    counter("bridge.reconnects", "target", target);
  }

  public void command(String status) {
    counter("bridge.commands", "status", status).increment();
  }

  public void kafkaSendNanos(long nanos) {
    kafkaSend.record(Duration.ofNanos(nanos));
  }

  /** Registers {@code bridge_ready}: 1 while {@code /ready} answers 200, else 0. */
  public void ready(BooleanSupplier ready) {
    Gauge.builder("bridge.ready", () -> ready.getAsBoolean() ? 1 : 0)
        .description("1 while the bridge is ready (GET /ready answers 200), else 0")
        .register(registry);
  }

  /** Registers the in-flight gauge. */
  public void inFlight(Supplier<Number> value) {
    Gauge.builder("bridge.uplink.inflight", value)
        .description("MQTT messages received and not yet acknowledged")
        .register(registry);
  }

  /**
   * Publishes a Kafka client's own metrics (Micrometer's {@link KafkaClientMetrics}) until the
   * returned handle is closed, which the client's owner does when it closes the client.
   */
  public AutoCloseable kafkaClient(Producer<?, ?> producer) {
    return bind(new KafkaClientMetrics(producer));
  }

  /** Like {@link #kafkaClient(Producer)}, for a consumer. */
  public AutoCloseable kafkaClient(Consumer<?, ?> consumer) {
    return bind(new KafkaClientMetrics(consumer));
  }

  private AutoCloseable bind(KafkaClientMetrics binder) {
    binder.bindTo(registry);
    return binder::close;
  }

  /** A gauge of one broker, {@code unit} null or a base unit such as "seconds". */
  public void brokerGauge(
      String name, String broker, String description, String unit, Supplier<Number> value) {
    Gauge.builder(name, value)
        .tag("broker", broker)
        .description(description)
        .baseUnit(unit)
        .register(registry);
  }

  /**
   * A counter of one broker whose count the broker keeps (it restarts at zero with the broker),
   * read from {@code state}, which the caller keeps alive (Micrometer holds it weakly).
   */
  public <T> void brokerCounter(
      String name, String broker, String description, T state, ToDoubleFunction<T> count) {
    FunctionCounter.builder(name, state, count)
        .tag("broker", broker)
        .description(description)
        .register(registry);
  }

  /** Stops the binders that run on their own (the GC notifications). */
  public void close() {
    jvmGc.close();
  }

  /** A counter's current count, for tests and logs. */
  public double count(String name, String tagKey, String tagValue) {
    Counter counter = registry.find(name).tag(tagKey, tagValue).counter();
    return counter == null ? 0 : counter.count();
  }

  private Counter counter(String name, String tagKey, String tagValue) {
    return Counter.builder(name).tag(tagKey, tagValue).register(registry);
  }
}
