package org.iotbackbone.connectors.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.datastax.oss.driver.api.core.CqlSession;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.iotbackbone.connectors.internal.SinkMetrics;
import org.iotbackbone.schemas.DeadLetterReason;
import org.iotbackbone.servers.CqlServer;
import org.iotbackbone.servers.junit.SharedServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The sink's own metrics in a real Connect worker (Connect's plugin metrics, read from JMX where
 * the Prometheus JMX exporter reads them): they count what the task did, per connector and task,
 * and leave with the connector.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class SinkMetricsIT {

  private static CqlServer cqlServer;
  private static ConnectWorker worker;
  private static CqlSession cql;

  @BeforeAll
  static void start() {
    SharedServers.kafka();
    SharedServers.schemaRegistry();
    cqlServer = SharedServers.cql();
    worker = ConnectWorker.shared();
    cql = SinkTestBed.cql(cqlServer.contactPoint(), cqlServer.localDatacenter());
  }

  @AfterAll
  static void stop() {
    if (cql != null) {
      cql.close();
    }
  }

  private static SinkTestBed testBed() throws Exception {
    return new SinkTestBed(
        SharedServers.kafka().bootstrapServers(), SharedServers.schemaRegistry().apicurioApiUrl());
  }

  private static double metric(String connector, String name) {
    Double value = ConnectWorker.pluginMetric(connector, name);
    assertThat(value).as("%s of %s", name, connector).isNotNull();
    return value;
  }

  private static double deadLetters(String connector, DeadLetterReason reason) {
    Double value =
        ConnectWorker.pluginMetric(
            connector, SinkMetrics.DEAD_LETTERS, SinkMetrics.REASON_TAG, reason.name());
    assertThat(value).as("dead letters %s of %s", reason, connector).isNotNull();
    return value;
  }

  @Test
  void writesCoalescedChangesAndDeadLettersAreCountedPerConnector() throws Exception {
    try (SinkTestBed bed = testBed();
        SinkTestBed idle = testBed()) {
      // Everything is in Kafka before the connector starts, so its first batch holds all six
      // changes of the lamp: five of them are coalesced away.
      for (int version = 1; version <= 6; version++) {
        bed.sendShadow(bed.shadow("lamp", version, version, true));
      }
      bed.sendShadow(bed.shadow("fan", 1, 1, true));
      for (int i = 0; i < 4; i++) {
        bed.sendEvent(bed.event("lamp", i));
      }
      bed.send(bed.shadowsTopic, bed.device("bad"), "not avro".getBytes(StandardCharsets.UTF_8));
      bed.flush();
      String name = SinkTestBed.unique("metrics");
      String idleName = SinkTestBed.unique("idle");
      worker.putConnector(
          name, bed.connectorConfig(cqlServer.contactPoint(), cqlServer.localDatacenter()));
      // A second connector in the same worker with nothing to write: its counters are its own
      // (the worker's sensors are shared by name; each task must register its own).
      worker.putConnector(
          idleName, idle.connectorConfig(cqlServer.contactPoint(), cqlServer.localDatacenter()));

      await()
          .ignoreExceptions()
          .atMost(Duration.ofSeconds(120))
          .untilAsserted(
              () -> {
                assertThat(bed.eventCount(cql)).isEqualTo(4);
                assertThat(bed.classicVersions(cql)).isEqualTo(Map.of("lamp", 6L, "fan", 1L));
                assertThat(deadLetters(name, DeadLetterReason.DESERIALIZATION_FAILED))
                    .isEqualTo(1.0);
                assertThat(worker.taskState(idleName)).isEqualTo("RUNNING");
              });

      double coalesced = metric(name, SinkMetrics.COALESCED);
      assertThat(coalesced).isBetween(1.0, 5.0);
      // Each of the seven shadow changes was either written or coalesced; the events took at
      // least one write (a one-partition batch) and wrote four rows.
      assertThat(metric(name, SinkMetrics.WRITES)).isGreaterThanOrEqualTo(7 - coalesced + 1);
      assertThat(metric(name, SinkMetrics.ROWS_WRITTEN)).isGreaterThanOrEqualTo(7 - coalesced + 4);
      assertThat(metric(name, SinkMetrics.WRITE_LATENCY_AVG)).isPositive();
      assertThat(metric(name, SinkMetrics.WRITE_LATENCY_MAX))
          .isGreaterThanOrEqualTo(metric(name, SinkMetrics.WRITE_LATENCY_AVG));
      assertThat(metric(name, SinkMetrics.RETRIES)).isZero();
      assertThat(deadLetters(name, DeadLetterReason.WRITE_FAILED)).isZero();
      assertThat(deadLetters(name, DeadLetterReason.INVALID_DEVICE_ID)).isZero();

      assertThat(metric(idleName, SinkMetrics.WRITES)).isZero();
      assertThat(metric(idleName, SinkMetrics.COALESCED)).isZero();
      assertThat(deadLetters(idleName, DeadLetterReason.DESERIALIZATION_FAILED)).isZero();

      // A deleted connector leaves no series behind.
      worker.deleteConnector(name);
      worker.deleteConnector(idleName);
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                assertThat(ConnectWorker.pluginMetric(name, SinkMetrics.WRITES)).isNull();
                assertThat(
                        ConnectWorker.pluginMetric(
                            name,
                            SinkMetrics.DEAD_LETTERS,
                            SinkMetrics.REASON_TAG,
                            DeadLetterReason.DESERIALIZATION_FAILED.name()))
                    .isNull();
                assertThat(ConnectWorker.pluginMetric(idleName, SinkMetrics.WRITES)).isNull();
              });
    }
  }
}
