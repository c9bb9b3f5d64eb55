package org.iotbackbone.connectors.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.datastax.oss.driver.api.core.CqlSession;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.iotbackbone.connectors.internal.SinkMetrics;
import org.iotbackbone.schemas.DeadLetterReason;
import org.iotbackbone.servers.CqlServer;
import org.iotbackbone.servers.junit.SharedServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * ScyllaDB stops answering for 30 s in the middle of a stream: the task pauses and retries (it does
 * not fail, it dead-letters nothing) and, when the server is back, every event and the newest
 * version of every shadow are there.
 *
 * <p>The outage is the build's shared CQL server frozen ({@code SIGSTOP}, {@link
 * CqlServer#pause()}): its sockets stay open and nothing answers, as with a hung node or a network
 * partition, the outage that costs a client the most (every request waits for its timeout). A
 * server of the test's own, stopped and started again, would add two Cassandra starts (1-5 min each
 * on this machine) to the build for a connection-refused outage, which the driver notices at once.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class CqlOutageIT {

  private static final int DEVICES = 20;

  @Test
  void aThirtySecondOutageLosesNothing() throws Exception {
    String bootstrap = SharedServers.kafka().bootstrapServers();
    String registry = SharedServers.schemaRegistry().apicurioApiUrl();
    CqlServer server = SharedServers.cql();
    ConnectWorker worker = ConnectWorker.shared();
    try (SinkTestBed bed = new SinkTestBed(bootstrap, registry)) {
      String name = SinkTestBed.unique("outage");
      worker.putConnector(
          name, bed.connectorConfig(server.contactPoint(), server.localDatacenter()));

      // A steady stream: one shadow update and one event every 50 ms, round the devices.
      AtomicInteger sent = new AtomicInteger();
      AtomicBoolean producing = new AtomicBoolean(true);
      Map<String, Long> newest = new HashMap<>();
      Thread producer =
          new Thread(
              () -> {
                while (producing.get()) {
                  int n = sent.incrementAndGet();
                  String device = "dev-" + (n % DEVICES);
                  long version = n / DEVICES + 1;
                  bed.sendShadow(bed.shadow(device, version, version, true));
                  // Every other event with an id of the device's own: its claim (a lightweight
                  // transaction) meets the outage too, and must retry, not fail or drop.
                  bed.sendEvent(
                      n % 2 == 0
                          ? bed.eventWithId(
                              device,
                              "e-" + n,
                              java.time.Instant.ofEpochMilli(System.currentTimeMillis()))
                          : bed.event(device, n));
                  synchronized (newest) {
                    newest.put(device, version);
                  }
                  try {
                    Thread.sleep(50); // the stream's pace, not a wait for a result
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              },
              "producer");
      producer.start();
      try (CqlSession cql = SinkTestBed.cql(server.contactPoint(), server.localDatacenter())) {
        await()
            .ignoreExceptions()
            .atMost(Duration.ofSeconds(90))
            .until(() -> bed.eventCount(cql) >= 50);
      }

      int sentDuringOutage;
      server.pause();
      try {
        // Thirty seconds without ScyllaDB, records still arriving: the task stays RUNNING
        // (retrying with backoff), it does not fail.
        await()
            .ignoreExceptions()
            .pollInterval(Duration.ofSeconds(2))
            .during(Duration.ofSeconds(30))
            .atMost(Duration.ofSeconds(45))
            .until(() -> worker.taskState(name).equals("RUNNING"));
        sentDuringOutage = sent.get();
      } finally {
        server.resume();
      }

      await()
          .ignoreExceptions()
          .atMost(Duration.ofSeconds(30))
          .until(() -> sent.get() > sentDuringOutage + 40);
      producing.set(false);
      producer.join();
      bed.flush();
      int total = sent.get();
      try (CqlSession cql = SinkTestBed.cql(server.contactPoint(), server.localDatacenter())) {
        await()
            .ignoreExceptions()
            .atMost(Duration.ofSeconds(120))
            .untilAsserted(
                () -> {
                  assertThat(bed.eventCount(cql)).isEqualTo(total);
                  synchronized (newest) {
                    assertThat(bed.classicVersions(cql)).isEqualTo(newest);
                  }
                });
      }
      assertThat(worker.taskState(name)).isEqualTo("RUNNING");
      assertThat(bed.deadLetters()).isEmpty();
      // The outage shows in the sink's metrics as retries, not as dead letters.
      assertThat(ConnectWorker.pluginMetric(name, SinkMetrics.RETRIES)).isPositive();
      assertThat(
              ConnectWorker.pluginMetric(
                  name,
                  SinkMetrics.DEAD_LETTERS,
                  SinkMetrics.REASON_TAG,
                  DeadLetterReason.WRITE_FAILED.name()))
          .isZero();
      worker.deleteConnector(name);
    }
  }
}
