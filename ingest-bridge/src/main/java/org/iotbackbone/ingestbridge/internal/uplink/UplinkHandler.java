package org.iotbackbone.ingestbridge.internal.uplink;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.iotbackbone.ingestbridge.internal.kafka.KafkaSender;
import org.iotbackbone.ingestbridge.internal.mqtt.BrokerConnection;
import org.iotbackbone.ingestbridge.internal.ops.BridgeMetrics;
import org.iotbackbone.schemas.topics.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes the messages of one broker connection to Kafka, one at a time in the order received, and
 * acknowledges each to the broker only when Kafka has acknowledged its record (or its dead letter):
 * at-least-once, whatever moment the bridge dies.
 *
 * <p>Messages in flight are bounded by a window ({@code uplink.max.in.flight} per connection,
 * shared by all), QoS 0 messages included: a full window blocks the connection's thread, the
 * broker's outgoing window fills with unacknowledged messages, and the broker queues the rest.
 */
public final class UplinkHandler implements Consumer<Mqtt5Publish> {

  private static final Logger LOG = LoggerFactory.getLogger(UplinkHandler.class);

  private final String brokerId;
  private final UplinkMapper mapper;
  private final KafkaSender sender;
  private final Semaphore window;
  private final BridgeMetrics metrics;
  private final InFlight inFlight;
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
      KafkaSender sender,
      InFlight inFlight,
      BridgeMetrics metrics) {
    this.brokerId = brokerId;
    this.mapper = mapper;
    this.sender = sender;
    this.inFlight = inFlight;
    this.window = inFlight.window;
    this.metrics = metrics;
  }

  /** The connection rejections of shadow requests are published on. */
  public void connection(BrokerConnection connection) {
    this.connection = connection;
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
    try {
      handle(publish);
    } catch (RuntimeException e) {
      window.release();
      LOG.error("message on {} from broker {} not handled", publish.getTopic(), brokerId, e);
    }
  }

  private void handle(Mqtt5Publish publish) {
    UplinkDecision decision = mapper.map(inbound(publish));
    if (decision instanceof UplinkDecision.Produce produce) {
      String topic = produce.topic().name();
      sender
          .send(produce.topic(), produce.key(), produce.value())
          .whenComplete((metadata, error) -> done(publish, metadata, error, topic));
    } else {
      UplinkDecision.Reject reject = (UplinkDecision.Reject) decision;
      var deadLetter = reject.deadLetter();
      LOG.info(
          "dead letter {} for device {} on {}: {}",
          deadLetter.getReasonCode(),
          deadLetter.getDeviceId(),
          deadLetter.getSourceTopic(),
          deadLetter.getMessage());
      if (reject.responseTopic() != null) {
        respond(reject);
      }
      sender
          .send(Topics.DEAD_LETTER, deadLetter.getDeviceId(), deadLetter)
          .whenComplete(
              (metadata, error) -> {
                if (error == null) {
                  metrics.deadLetter(deadLetter.getReasonCode());
                }
                done(publish, metadata, error, Topics.DEAD_LETTER.name());
              });
    }
  }

  private void done(Mqtt5Publish publish, RecordMetadata metadata, Throwable error, String topic) {
    window.release();
    if (error != null) {
      // Not acknowledged: the broker sends it again after the next reconnect.
      return;
    }
    metrics.uplink(topic);
    try {
      publish.acknowledge();
    } catch (RuntimeException e) {
      LOG.debug("acknowledge {}: {}", publish.getTopic(), e.toString());
    }
  }

  private void respond(UplinkDecision.Reject reject) {
    BrokerConnection out = connection;
    if (out == null) {
      return;
    }
    out.publish(
            Mqtt5Publish.builder()
                .topic(reject.responseTopic())
                .qos(MqttQos.AT_LEAST_ONCE)
                .payload(reject.responsePayload())
                .contentType("application/json")
                .build())
        .whenComplete(
            (result, error) -> {
              if (error != null) {
                LOG.warn(
                    "rejection to {} not published: {}", reject.responseTopic(), error.toString());
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
