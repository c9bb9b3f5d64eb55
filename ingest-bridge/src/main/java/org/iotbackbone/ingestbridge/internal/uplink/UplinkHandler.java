package org.iotbackbone.ingestbridge.internal.uplink;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.iotbackbone.ingestbridge.internal.Backoff;
import org.iotbackbone.ingestbridge.internal.kafka.KafkaSender;
import org.iotbackbone.ingestbridge.internal.mqtt.BrokerConnection;
import org.iotbackbone.ingestbridge.internal.ops.BridgeMetrics;
import org.iotbackbone.schemas.DeadLetterReason;
import org.iotbackbone.schemas.topics.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes the messages of one broker connection to Kafka, one at a time in the order received, and
 * acknowledges each to the broker only when Kafka has acknowledged its record (or its dead letter):
 * at-least-once, whatever moment the bridge dies.
 *
 * <p>Every message ends acknowledged, unless the bridge is stopping ({@link UplinkFailures}): a
 * record Kafka refuses for good becomes a dead letter, and a dead letter Kafka refuses for good is
 * acknowledged and counted as dropped, because PUBACKs go out in order and one message left
 * unacknowledged would hold back every later one of its connection. A jobs request over its
 * device's rate ({@link JobsThrottle}) is the exception that never reaches Kafka: the bridge
 * answers it with 429 on MQTT and acknowledges it at once.
 *
 * <p>Messages in flight are bounded by a window ({@code uplink.max.in.flight} per connection,
 * shared by all), QoS 0 messages included: a full window blocks the connection's thread, the
 * broker's outgoing window fills with unacknowledged messages, and the broker queues the rest.
 */
public final class UplinkHandler implements Consumer<Mqtt5Publish> {

  private static final Logger LOG = LoggerFactory.getLogger(UplinkHandler.class);

  private final String brokerId;
  private final UplinkMapper mapper;
  private final JobsThrottle jobsThrottle;
  private final KafkaSender sender;
  private final Semaphore window;
  private final BridgeMetrics metrics;
  private final InFlight inFlight;
  private final Backoff backoff;
  private final AtomicLong received = new AtomicLong();
  // Receipt time (System.nanoTime) of each message not yet acknowledged, by arrival number.
  private final ConcurrentSkipListMap<Long, Long> waiting = new ConcurrentSkipListMap<>();
  private final ScheduledExecutorService followUps;
  private volatile BrokerConnection connection;

  /** Counts messages between receipt and acknowledgement, across connections. */
  public static final class InFlight {
    private final Semaphore window;
    private final int size;
    private volatile boolean draining;

    public InFlight(int size) {
      this.size = size;
      this.window = new Semaphore(size);
    }

    /** Messages received and not yet acknowledged. */
    public int count() {
      return size - window.availablePermits();
    }

    /** From now on, received messages are left unacknowledged for the next session to take. */
    public void startDraining() {
      draining = true;
    }

    boolean draining() {
      return draining;
    }
  }

  public UplinkHandler(
      String brokerId,
      UplinkMapper mapper,
      JobsThrottle jobsThrottle,
      KafkaSender sender,
      InFlight inFlight,
      BridgeMetrics metrics,
      Backoff backoff) {
    this.brokerId = brokerId;
    this.backoff = backoff;
    this.followUps =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "uplink-followups-" + brokerId);
              t.setDaemon(true);
              return t;
            });
    this.mapper = mapper;
    this.jobsThrottle = jobsThrottle;
    this.sender = sender;
    this.inFlight = inFlight;
    this.window = inFlight.window;
    this.metrics = metrics;
  }

  /** The connection rejections of shadow and jobs requests are published on. */
  public void connection(BrokerConnection connection) {
    this.connection = connection;
  }

  /**
   * How long the oldest message received on this connection and not yet acknowledged has waited, in
   * milliseconds; 0 when none waits. A connection whose window cannot move (Kafka away, a bug)
   * shows here, for readiness.
   */
  public long oldestWaitMillis() {
    var oldest = waiting.firstEntry();
    return oldest == null ? 0 : (System.nanoTime() - oldest.getValue()) / 1_000_000;
  }

  /** The broker this handler's connection is to. */
  public String brokerId() {
    return brokerId;
  }

  @Override
  public void accept(Mqtt5Publish publish) {
    if (inFlight.draining()) {
      // Not acknowledged: the broker keeps it in the session and sends it again.
      return;
    }
    try {
      window.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    long seq = received.incrementAndGet();
    waiting.put(seq, System.nanoTime());
    InboundMessage message = null;
    try {
      message = inbound(publish);
      handle(new Pending(publish, message, seq), jobsThrottle.apply(mapper.map(message)));
    } catch (RuntimeException e) {
      LOG.error("message on {} from broker {} not handled", publish.getTopic(), brokerId, e);
      if (message == null) {
        release(seq);
      } else {
        // A bug must not stall the connection: the message becomes a dead letter.
        deadLetter(
            new Pending(publish, message, seq),
            mapper.failed(message, DeadLetterReason.PROCESSING_FAILED, e.toString(), false));
      }
    }
  }

  /** A message between receipt and acknowledgement. */
  private record Pending(Mqtt5Publish publish, InboundMessage message, long seq) {}

  private void handle(Pending pending, UplinkDecision decision) {
    if (decision instanceof UplinkDecision.Produce produce) {
      send(pending, produce, 0);
    } else if (decision instanceof UplinkDecision.Throttled throttled) {
      // Answered here and acknowledged at once: the device was told, and Kafka gets nothing.
      LOG.debug("jobs request of device {} throttled", throttled.deviceId());
      metrics.jobsThrottled(throttled.operation());
      respond(throttled.responseTopic(), throttled.responsePayload());
      acknowledge(pending);
    } else {
      UplinkDecision.Reject reject = (UplinkDecision.Reject) decision;
      if (reject.responseTopic() != null) {
        respond(reject.responseTopic(), reject.responsePayload());
      }
      deadLetter(pending, reject);
    }
  }

  private void send(Pending pending, UplinkDecision.Produce produce, int attempt) {
    String topic = produce.topic().name();
    sender
        .send(produce.topic(), produce.key(), produce.value())
        .whenComplete(
            (metadata, error) -> {
              if (error == null) {
                metrics.uplink(topic);
                acknowledge(pending);
                return;
              }
              switch (UplinkFailures.afterRecord(error)) {
                case LEAVE_UNACKNOWLEDGED -> release(pending.seq());
                // Only when kafka.delivery.timeout.ms was bounded: the producer gave up on a
                // record that may still go through. Sent again, later, off Kafka's I/O thread.
                case RETRY -> later(attempt, () -> send(pending, produce, attempt + 1));
                default -> later(-1, () -> refused(pending, error));
              }
            });
  }

  /** Kafka refused the message's record for good: its dead letter instead. */
  private void refused(Pending pending, Throwable error) {
    boolean tooLarge = UplinkFailures.tooLarge(error);
    Throwable shown =
        error instanceof java.util.concurrent.CompletionException && error.getCause() != null
            ? error.getCause()
            : error;
    UplinkDecision.Reject reject =
        mapper.failed(
            pending.message(),
            tooLarge ? DeadLetterReason.PAYLOAD_TOO_LARGE : DeadLetterReason.WRITE_FAILED,
            "Kafka refused the record for good: " + shown,
            tooLarge);
    if (reject.responseTopic() != null) {
      respond(reject.responseTopic(), reject.responsePayload());
    }
    deadLetter(pending, reject);
  }

  private void deadLetter(Pending pending, UplinkDecision.Reject reject) {
    deadLetter(pending, reject, 0);
  }

  private void deadLetter(Pending pending, UplinkDecision.Reject reject, int attempt) {
    var deadLetter = reject.deadLetter();
    if (attempt == 0) {
      LOG.info(
          "dead letter {} for device {} on {}: {}",
          deadLetter.getReasonCode(),
          deadLetter.getDeviceId(),
          deadLetter.getSourceTopic(),
          deadLetter.getMessage());
    }
    sender
        .send(Topics.DEAD_LETTER, deadLetter.getDeviceId(), deadLetter)
        .whenComplete(
            (metadata, error) -> {
              if (error == null) {
                metrics.deadLetter(deadLetter.getReasonCode());
                metrics.uplink(Topics.DEAD_LETTER.name());
                acknowledge(pending);
                return;
              }
              switch (UplinkFailures.afterDeadLetter(error)) {
                case LEAVE_UNACKNOWLEDGED -> release(pending.seq());
                case RETRY -> later(attempt, () -> deadLetter(pending, reject, attempt + 1));
                default -> {
                  // The defined answer when Kafka takes neither the record nor its dead letter:
                  // acknowledge and drop, loudly. Keeping it would stall every later message of
                  // the connection, and the broker would only send it again first.
                  LOG.error(
                      "DROPPED message on {} from broker {}: Kafka refused its record and its"
                          + " dead letter ({}) for good",
                      pending.message().topic(),
                      brokerId,
                      deadLetter.getReasonCode(),
                      error);
                  metrics.dropped(deadLetter.getReasonCode());
                  acknowledge(pending);
                }
              }
            });
  }

  /**
   * Runs {@code step} on this handler's follow-up thread: never on Kafka's I/O thread, where a send
   * could block it. A retry ({@code attempt >= 0}) waits its backoff first.
   */
  private void later(int attempt, Runnable step) {
    long delay = attempt < 0 ? 0 : backoff.delay(attempt).toMillis();
    followUps.schedule(
        () -> {
          try {
            step.run();
          } catch (RuntimeException e) {
            LOG.error("follow-up on broker {} failed", brokerId, e);
          }
        },
        delay,
        TimeUnit.MILLISECONDS);
  }

  private void acknowledge(Pending pending) {
    release(pending.seq());
    try {
      pending.publish().acknowledge();
    } catch (RuntimeException e) {
      LOG.debug("acknowledge {}: {}", pending.publish().getTopic(), e.toString());
    }
  }

  private void release(long seq) {
    if (waiting.remove(seq) != null) {
      window.release();
    }
  }

  private void respond(String topic, byte[] payload) {
    BrokerConnection out = connection;
    if (out == null) {
      return;
    }
    out.publish(
            Mqtt5Publish.builder()
                .topic(topic)
                .qos(MqttQos.AT_LEAST_ONCE)
                .payload(payload)
                .contentType("application/json")
                .build())
        .whenComplete(
            (result, error) -> {
              if (error != null) {
                LOG.warn("rejection to {} not published: {}", topic, error.toString());
              }
            });
  }

  private InboundMessage inbound(Mqtt5Publish publish) {
    Map<String, String> properties = new HashMap<>();
    publish
        .getUserProperties()
        .asList()
        .forEach(p -> properties.put(p.getName().toString(), p.getValue().toString()));
    return new InboundMessage(
        publish.getTopic().toString(),
        publish.getPayloadAsBytes(),
        publish.getQos().getCode(),
        publish.getContentType().map(type -> type.toString()).orElse(null),
        properties,
        brokerId,
        System.currentTimeMillis());
  }
}
