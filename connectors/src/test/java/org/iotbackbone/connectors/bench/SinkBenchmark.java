package org.iotbackbone.connectors.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.iotbackbone.connectors.CqlSchema;
import org.iotbackbone.connectors.ScyllaSinkConfig;
import org.iotbackbone.connectors.internal.AsyncWriter;
import org.iotbackbone.connectors.internal.Coalescer;
import org.iotbackbone.connectors.internal.CqlStatements;
import org.iotbackbone.connectors.internal.PlannedWrite;
import org.iotbackbone.connectors.internal.ShadowChange;
import org.iotbackbone.schemas.DeviceShadow;
import org.iotbackbone.schemas.Presence;
import org.iotbackbone.schemas.ShadowDocument;
import org.iotbackbone.servers.CpuTime;
import org.iotbackbone.servers.CqlServer;

/**
 * Rows per second into a local CQL server from a backlog of shadow changes, through the sink's
 * write path, next to the raw limit measured in the same run.
 *
 * <p>Phases, each on a fresh table, after an unreported warm-up of 20,000 changes through both
 * paths: <b>raw</b>, the driver writing each change as one plain INSERT of the same row (no
 * partition delete, no batch), with the same concurrency; <b>sink</b>, the task's path for every
 * change (Avro decode, the one-partition batch of partition delete + device row + shadow row with
 * {@code USING TIMESTAMP}, bounded asynchronous writes, waiting for each batch as {@code put}
 * does); <b>sink, coalesced</b>, the same with only the newest change of each device per batch
 * window. What it leaves out: Kafka consumption and Connect's own overhead, and the registry lookup
 * (cached after the first record in the real task).
 *
 * <pre>
 * ./mvnw -Pbench -pl connectors -am test-compile -DskipTests \
 *   -Dbench.args="CHANGES DEVICES [WINDOW ...]"   # default 1000000 100000 2000 20000
 * </pre>
 */
public final class SinkBenchmark {

  private static final int CONCURRENCY = 64;
  private static final int WARM_UP = 20_000;

  public static void main(String[] args) throws Exception {
    int changes = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int devices = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
    List<Integer> windows = new ArrayList<>();
    for (int i = 2; i < args.length; i++) {
      windows.add(Integer.parseInt(args[i]));
    }
    if (windows.isEmpty()) {
      windows = List.of(2_000, 20_000);
    }
    System.out.printf(
        "SinkBenchmark %s: %,d shadow changes over %,d devices, windows %s, concurrency %d%n",
        Instant.now(), changes, devices, windows, CONCURRENCY);

    List<byte[]> backlog = backlog(changes, devices);
    System.out.printf("backlog encoded (%,d Avro records)%n", backlog.size());

    try (CqlServer server = new CqlServer(CqlServer.defaultOptions().quickStart(false).build())) {
      long started = System.nanoTime();
      server.start();
      System.out.printf("CQL server ready in %.0f s%n", (System.nanoTime() - started) / 1e9);
      try (CqlSession session =
          CqlSession.builder()
              .addContactPoint(server.contactPoint())
              .withLocalDatacenter(server.localDatacenter())
              // The sink's default write timeout.
              .withConfigLoader(
                  DriverConfigLoader.programmaticBuilder()
                      .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(5))
                      .build())
              .build()) {
        Map<String, String> props = new HashMap<>();
        props.put(ScyllaSinkConfig.CONTACT_POINTS, server.contactPointString());
        props.put(ScyllaSinkConfig.LOCAL_DATACENTER, server.localDatacenter());
        props.put(ScyllaSinkConfig.REGISTRY_URL, "http://127.0.0.1/apis/registry/v3");
        props.put(ScyllaSinkConfig.KEYSPACE, "bench");
        props.put(
            ScyllaSinkConfig.SCHEMA_REPLICATION,
            "{'class': 'SimpleStrategy', 'replication_factor': 1}");
        CqlSchema.apply(session, new ScyllaSinkConfig(props));

        // Warm-up, not reported: both JVMs compile the write path first (full JIT), which would
        // otherwise be charged to the first phase, the raw one.
        List<byte[]> warmUp = backlog.subList(0, Math.min(backlog.size(), WARM_UP));
        raw(session, warmUp, false);
        sink(session, warmUp, 2_000, false, false);
        raw(session, backlog, true);
        sink(session, backlog, 2_000, false, true);
        for (int window : windows) {
          sink(session, backlog, window, true, true);
        }
      }
    }
  }

  /** The backlog as Avro bytes: each change of a random device, its revision one more. */
  private static List<byte[]> backlog(int changes, int devices) throws IOException {
    Random random = new Random(42);
    long[] revisions = new long[devices];
    SpecificDatumWriter<DeviceShadow> writer = new SpecificDatumWriter<>(DeviceShadow.class);
    List<byte[]> backlog = new ArrayList<>(changes);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BinaryEncoder encoder = null;
    for (int i = 0; i < changes; i++) {
      int device = random.nextInt(devices);
      long revision = ++revisions[device];
      Instant now = Instant.ofEpochMilli(1_790_000_000_000L + i);
      DeviceShadow shadow =
          DeviceShadow.newBuilder()
              .setDeviceId("device-" + device)
              .setClassic(
                  ShadowDocument.newBuilder()
                      .setDesired("{\"color\":\"red\",\"brightness\":" + (revision % 100) + "}")
                      .setReported("{\"color\":\"blue\",\"brightness\":" + (revision % 90) + "}")
                      .setDelta("{\"color\":\"red\"}")
                      .setMetadata(
                          "{\"desired\":{\"color\":{\"timestamp\":1790000000}},\"reported\":{}}")
                      .setVersion(revision)
                      .setUpdatedAt(now)
                      .build())
              .setPresence(
                  Presence.newBuilder()
                      .setConnected(true)
                      .setConnectedAt(now)
                      .setBroker("b1")
                      .build())
              .setRevision(revision)
              .setUpdatedAt(now)
              .build();
      out.reset();
      encoder = EncoderFactory.get().binaryEncoder(out, encoder);
      writer.write(shadow, encoder);
      encoder.flush();
      backlog.add(out.toByteArray());
    }
    return backlog;
  }

  private static void truncate(CqlSession session) {
    session.execute(
        SimpleStatement.newInstance("TRUNCATE bench.shadows").setTimeout(Duration.ofMinutes(2)));
  }

  /** The raw limit: each change as one INSERT of the device's row, same concurrency. */
  private static void raw(CqlSession session, List<byte[]> backlog, boolean report)
      throws Exception {
    truncate(session);
    PreparedStatement insert =
        session.prepare(
            "INSERT INTO bench.shadows (device_id, shadow_name, version, desired, reported, delta,"
                + " metadata, shadow_updated_at, revision, updated_at, connected, connected_at,"
                + " broker) VALUES (?, '', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    AsyncWriter writer = new AsyncWriter(session, CONCURRENCY, (rows, nanos) -> {});
    Decoder decoder = new Decoder();
    CpuTime cpu = CpuTime.now();
    long start = System.nanoTime();
    long rows = 0;
    for (int from = 0; from < backlog.size(); from += 2_000) {
      List<PlannedWrite> writes = new ArrayList<>();
      for (byte[] bytes : backlog.subList(from, Math.min(backlog.size(), from + 2_000))) {
        DeviceShadow s = decoder.decode(bytes);
        ShadowDocument d = s.getClassic();
        writes.add(
            new PlannedWrite(
                insert.bind(
                    s.getDeviceId(),
                    d.getVersion(),
                    d.getDesired(),
                    d.getReported(),
                    d.getDelta(),
                    d.getMetadata(),
                    d.getUpdatedAt(),
                    s.getRevision(),
                    s.getUpdatedAt(),
                    s.getPresence().getConnected(),
                    s.getPresence().getConnectedAt(),
                    s.getPresence().getBroker()),
                List.of(),
                1));
      }
      writeAll(writer, writes);
      rows += writes.size();
    }
    if (report) {
      report("raw: one INSERT per change", backlog.size(), rows, start, cpu);
    }
  }

  /** The sink's write path, with or without coalescing per window of {@code window} records. */
  private static void sink(
      CqlSession session, List<byte[]> backlog, int window, boolean coalesce, boolean report)
      throws Exception {
    truncate(session);
    CqlStatements statements =
        new CqlStatements(
            session,
            "bench",
            "shadows",
            "device_events",
            "device_event_ids",
            "LOCAL_QUORUM",
            0,
            0,
            20);
    AsyncWriter writer = new AsyncWriter(session, CONCURRENCY, (rows, nanos) -> {});
    Decoder decoder = new Decoder();
    CpuTime cpu = CpuTime.now();
    long start = System.nanoTime();
    long rows = 0;
    long writesSent = 0;
    for (int from = 0; from < backlog.size(); from += window) {
      List<ShadowChange> changes = new ArrayList<>();
      int to = Math.min(backlog.size(), from + window);
      for (int offset = from; offset < to; offset++) {
        DeviceShadow shadow = decoder.decode(backlog.get(offset));
        changes.add(new ShadowChange(shadow.getDeviceId(), offset, shadow, offset));
      }
      List<ShadowChange> toWrite = coalesce ? Coalescer.newestPerDevice(changes) : changes;
      List<PlannedWrite> writes = new ArrayList<>(toWrite.size());
      for (ShadowChange change : toWrite) {
        PlannedWrite write = statements.shadowWrite(change);
        writes.add(write);
        rows += write.rows();
      }
      writeAll(writer, writes);
      writesSent += writes.size();
    }
    if (!report) {
      return;
    }
    report(
        "sink, "
            + (coalesce
                ? "coalesced per window of " + window
                : "every change (window " + window + ")")
            + String.format(", %,d partition writes", writesSent),
        backlog.size(),
        rows,
        start,
        cpu);
  }

  private static long retried;

  /** Writes all, and again those that failed (timeouts on a busy server), as the task does. */
  private static void writeAll(AsyncWriter writer, List<PlannedWrite> writes) throws Exception {
    List<PlannedWrite> pending = writes;
    for (int attempt = 0; !pending.isEmpty(); attempt++) {
      if (attempt == 20) {
        throw new IllegalStateException(pending.size() + " writes failed 20 times");
      }
      pending = writer.writeAll(pending).stream().map(AsyncWriter.Failure::write).toList();
      retried += pending.size();
    }
  }

  private static void report(String phase, int changes, long rows, long startNanos, CpuTime cpu) {
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    CpuTime now = CpuTime.now();
    System.out.printf(
        "%-70s %,10.0f changes/s %,10.0f rows/s (%,d rows in %.1f s, %,d writes retried;"
            + " CPU per change: benchmark %.0f us, CQL server %.0f us)%n",
        phase,
        changes / seconds,
        rows / seconds,
        rows,
        seconds,
        retried,
        now.selfMicrosPer(cpu, changes),
        now.serverMicrosPer(cpu, changes));
    retried = 0;
  }

  /** Plain Avro decoding of the backlog, as the task's deserializer does after the frame. */
  private static final class Decoder {
    private final SpecificDatumReader<DeviceShadow> reader =
        new SpecificDatumReader<>(DeviceShadow.class);
    private BinaryDecoder decoder;

    DeviceShadow decode(byte[] bytes) throws IOException {
      decoder = DecoderFactory.get().binaryDecoder(bytes, decoder);
      return reader.read(null, decoder);
    }
  }
}
