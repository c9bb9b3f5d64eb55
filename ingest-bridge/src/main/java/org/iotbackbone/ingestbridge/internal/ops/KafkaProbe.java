package org.iotbackbone.ingestbridge.internal.ops;

import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.iotbackbone.schemas.config.KafkaClientSettings;

/** Asks Kafka every two seconds whether it answers, for {@code /ready}. */
public final class KafkaProbe implements AutoCloseable {

  private final Admin admin;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "kafka-probe");
            t.setDaemon(true);
            return t;
          });
  private volatile boolean reachable;

  /** A probe of the brokers of {@code kafka}, with its {@code kafka.*} settings. */
  public KafkaProbe(KafkaClientSettings kafka) {
    admin =
        Admin.create(
            kafka.config(Map.of(AdminClientConfig.CLIENT_ID_CONFIG, "ingest-bridge-probe")));
  }

  public void start() {
    timer.scheduleWithFixedDelay(this::probe, 0, 2, TimeUnit.SECONDS);
  }

  /** Whether Kafka answered the last probe. */
  public boolean reachable() {
    return reachable;
  }

  private void probe() {
    try {
      admin
          .describeCluster(new DescribeClusterOptions().timeoutMs(1_500))
          .nodes()
          .get(2, TimeUnit.SECONDS);
      reachable = true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      reachable = false;
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
    admin.close(java.time.Duration.ofSeconds(2));
  }
}
