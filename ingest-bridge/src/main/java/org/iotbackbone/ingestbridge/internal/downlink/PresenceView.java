package org.iotbackbone.ingestbridge.internal.downlink;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.iotbackbone.schemas.PresenceEvent;
import org.iotbackbone.schemas.config.KafkaClientSettings;
import org.iotbackbone.schemas.errors.TransientErrors;
import org.iotbackbone.schemas.serde.RegistryConfig;
import org.iotbackbone.schemas.serde.RegistrySerdes;
import org.iotbackbone.schemas.topics.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which edge broker each device is on, read from {@code iot.device.presence}: every partition, from
 * the beginning, by every bridge (no consumer group), since a command for any device may come to
 * any bridge while its presence went through another.
 *
 * <p>A device that connected to broker B is routed to B, and stays routed there after it
 * disconnects (its persistent session at B queues what is sent). A DISCONNECTED from another broker
 * than the one it was last seen on is ignored: when a device moves from A to B, A's will message
 * may arrive after B's online. The table is bounded ({@code downlink.presence.max.devices}, {@code
 * downlink.presence.retention.ms}): see {@link PresenceTable}.
 */
public final class PresenceView implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PresenceView.class);

  private static final long SWEEP_EVERY_NANOS = 60_000_000_000L;

  private final PresenceTable table;
  private final KafkaConsumer<String, byte[]> consumer;
  private final Deserializer<PresenceEvent> deserializer;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Thread thread;

  /** A view read from the brokers of {@code kafka}, with its {@code kafka.*} settings. */
  public PresenceView(
      KafkaClientSettings kafka,
      RegistryConfig registry,
      int maxDevices,
      java.time.Duration retention) {
    this.table = new PresenceTable(maxDevices, retention, System::currentTimeMillis);
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, "ingest-bridge-presence");
    this.consumer = new KafkaConsumer<>(kafka.config(config));
    this.deserializer = RegistrySerdes.valueSerde(Topics.DEVICE_PRESENCE, registry).deserializer();
    this.thread = new Thread(this::run, "presence-view");
    thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  /** The broker the device was last seen on, if any. */
  public Optional<String> brokerOf(String deviceId) {
    return table.brokerOf(deviceId);
  }

  private void run() {
    try {
      List<TopicPartition> partitions = partitions();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long lastSweep = System.nanoTime();
      while (!closed.get()) {
        if (System.nanoTime() - lastSweep > SWEEP_EVERY_NANOS) {
          lastSweep = System.nanoTime();
          int forgotten = table.sweep();
          if (forgotten > 0) {
            LOG.debug("forgot {} devices offline past their retention", forgotten);
          }
        }
        var records = consumer.poll(Duration.ofMillis(500));
        for (TopicPartition partition : records.partitions()) {
          for (ConsumerRecord<String, byte[]> record : records.records(partition)) {
            try {
              table.apply(deserializer.deserialize(record.topic(), record.value()));
            } catch (RuntimeException e) {
              if (TransientErrors.isTransient(e)) {
                // The registry away for a moment: read this partition again from here, later.
                LOG.warn("presence record unreadable for now, read again: {}", e.toString());
                consumer.seek(partition, record.offset());
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000_000L);
                break;
              }
              LOG.warn(
                  "presence record {}-{}@{} unreadable: {}",
                  record.topic(),
                  record.partition(),
                  record.offset(),
                  e.toString());
            }
          }
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      LOG.error("presence view stopped; commands go to every broker", e);
    } finally {
      consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(2)));
    }
  }

  private List<TopicPartition> partitions() {
    while (!closed.get()) {
      try {
        var infos = consumer.partitionsFor(Topics.DEVICE_PRESENCE.name(), Duration.ofSeconds(10));
        if (infos != null && !infos.isEmpty()) {
          return infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
        }
      } catch (org.apache.kafka.common.errors.TimeoutException e) {
        LOG.warn("no metadata for {} yet: {}", Topics.DEVICE_PRESENCE.name(), e.toString());
      }
      // The topic does not exist yet: look again in a second.
      java.util.concurrent.locks.LockSupport.parkNanos(1_000_000_000L);
    }
    throw new WakeupException();
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      consumer.wakeup();
      try {
        thread.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
