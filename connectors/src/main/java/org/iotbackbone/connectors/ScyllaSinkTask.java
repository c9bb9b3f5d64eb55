package org.iotbackbone.connectors;

import com.datastax.oss.driver.api.core.CqlSession;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.iotbackbone.connectors.internal.AsyncWriter;
import org.iotbackbone.connectors.internal.Backoff;
import org.iotbackbone.connectors.internal.Coalescer;
import org.iotbackbone.connectors.internal.CqlStatements;
import org.iotbackbone.connectors.internal.DeadLetterRecords;
import org.iotbackbone.connectors.internal.ErrorKind;
import org.iotbackbone.connectors.internal.EventIdClaims;
import org.iotbackbone.connectors.internal.EventRow;
import org.iotbackbone.connectors.internal.PlannedWrite;
import org.iotbackbone.connectors.internal.PoisonRecordException;
import org.iotbackbone.connectors.internal.RecordDecoder;
import org.iotbackbone.connectors.internal.Sessions;
import org.iotbackbone.connectors.internal.ShadowChange;
import org.iotbackbone.connectors.internal.SinkMetrics;
import org.iotbackbone.connectors.internal.WriteErrors;
import org.iotbackbone.schemas.DeadLetterReason;
import org.iotbackbone.schemas.errors.TransientErrors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one batch of records at a time: decode, coalesce shadows, claim the event ids devices
 * chose, write asynchronously with bounded concurrency, wait for every write, then sort the
 * failures. {@code put} returns only when every record is written or reported, so the offsets
 * Connect commits after it are safe.
 */
public final class ScyllaSinkTask extends SinkTask {

  private static final Logger LOG = LoggerFactory.getLogger(ScyllaSinkTask.class);

  private ScyllaSinkConfig config;
  private CqlSession session;
  private CqlStatements statements;
  private AsyncWriter writer;
  private RecordDecoder decoder;
  private Backoff backoff;
  private ErrantRecordReporter reporter;
  private DeadLetterRecords deadLetters;
  private SinkMetrics metrics;

  /** Records already reported while the same batch is retried, so they are reported once. */
  private final Set<String> reportedInRetry = new HashSet<>();

  @Override
  public String version() {
    return ScyllaSinkConnector.VERSION;
  }

  @Override
  public void start(Map<String, String> props) {
    config = new ScyllaSinkConfig(props);
    metrics = new SinkMetrics(context.pluginMetrics());
    reporter = context.errantRecordReporter();
    deadLetters =
        new DeadLetterRecords(config.registry(), props.getOrDefault("name", "scylla-sink"));
    decoder = new RecordDecoder(config.registry(), config.shadowsTopic(), config.eventsTopic());
    session = Sessions.open(config);
    statements =
        new CqlStatements(
            session,
            config.keyspace(),
            config.shadowsTable(),
            config.eventsTable(),
            config.eventsIdsTable(),
            config.consistency(),
            config.shadowsTimestampBase(),
            config.eventsTtlSeconds(),
            config.eventsBatchMaxRows());
    writer = new AsyncWriter(session, config.maxConcurrentWrites(), metrics::written);
    backoff = new Backoff(config.retryBackoffInitialMs(), config.retryBackoffMaxMs());
  }

  @Override
  public void put(Collection<SinkRecord> records) {
    if (records.isEmpty()) {
      return;
    }
    List<Future<Void>> reports = new ArrayList<>();
    List<ShadowChange> shadows = new ArrayList<>();
    List<EventRow> events = new ArrayList<>();
    for (SinkRecord record : records) {
      try {
        if (decoder.isShadow(record)) {
          shadows.add(decoder.shadow(record));
        } else {
          events.add(decoder.event(record));
        }
      } catch (PoisonRecordException e) {
        report(record, e, reports);
      } catch (RetriableException e) {
        retryLater(e.getMessage());
      }
    }
    List<ShadowChange> newest =
        config.shadowsCoalesce() ? Coalescer.newestPerDevice(shadows) : shadows;
    List<PlannedWrite> writes = new ArrayList<>();
    for (ShadowChange change : newest) {
      writes.add(statements.shadowWrite(change));
    }
    // Events whose id the device chose are claimed first: their rows are written at the time of
    // the event's first receipt, so that a redelivery is the same row (EventIdClaims).
    EventIdClaims claims = new EventIdClaims(events);
    List<PlannedWrite> claimWrites = claims.claims(statements);
    List<AsyncWriter.Failure> failures = new ArrayList<>();
    try {
      if (!claimWrites.isEmpty()) {
        failures.addAll(writer.writeAll(claimWrites, claims::answered));
      }
      writes.addAll(statements.eventWrites(claims.rows(events)));
      failures.addAll(writer.writeAll(writes));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RetriableException("interrupted while writing", e);
    }
    String retryReason = null;
    for (AsyncWriter.Failure failure : failures) {
      ErrorKind kind = WriteErrors.classify(failure.error());
      switch (kind) {
        case RETRY -> retryReason = failure.error().toString();
        case DEAD_LETTER -> {
          for (Object source : failure.write().sources()) {
            report(
                (SinkRecord) source,
                new PoisonRecordException(
                    DeadLetterReason.WRITE_FAILED,
                    "ScyllaDB refused the write: " + failure.error().getMessage(),
                    failure.error()),
                reports);
          }
        }
        case FATAL ->
            throw new ConnectException(
                "cannot write to ScyllaDB, the deployment needs fixing: " + failure.error(),
                failure.error());
      }
    }
    awaitReports(reports);
    if (retryReason != null) {
      retryLater(retryReason);
    }
    // Counted once the batch is done: a batch retried after an outage is coalesced again.
    metrics.coalesced(shadows.size() - newest.size());
    if (backoff.attempts() > 0) {
      LOG.info("ScyllaDB writes succeed again after {} retries", backoff.attempts());
    }
    backoff.reset();
    reportedInRetry.clear();
  }

  /**
   * Pauses the task: Connect stops fetching and, after the pause, hands the same records to {@code
   * put} again (their writes are idempotent). Nothing is dropped and no offset moves meanwhile.
   */
  private void retryLater(String reason) {
    long pause = backoff.next();
    metrics.retried();
    LOG.warn(
        "ScyllaDB or the registry is not available ({}); retry {} in {} ms",
        reason,
        backoff.attempts(),
        pause);
    context.timeout(pause);
    throw new RetriableException(reason);
  }

  private void report(SinkRecord record, PoisonRecordException e, List<Future<Void>> reports) {
    String id = record.topic() + "/" + record.kafkaPartition() + "/" + record.kafkaOffset();
    if (reportedInRetry.contains(id)) {
      return;
    }
    LOG.warn("dead-lettering {} key {}: {}", id, record.key(), e.getMessage());
    if (reporter == null) {
      throw new ConnectException(
          "a record cannot be written and no dead-letter queue is set (errors.tolerance=all,"
              + " errors.deadletterqueue.topic.name): "
              + id,
          e);
    }
    SinkRecord letter;
    try {
      letter = deadLetters.letterFor(record, e);
    } catch (RuntimeException failure) {
      if (TransientErrors.isTransient(failure)) {
        retryLater("the schema registry cannot be reached for a dead letter: " + failure);
      }
      throw new ConnectException("cannot serialize the dead letter of " + id, failure);
    }
    reports.add(reporter.report(letter, e));
    reportedInRetry.add(id);
    metrics.deadLettered(e.reason());
  }

  private static void awaitReports(List<Future<Void>> reports) {
    for (Future<Void> report : reports) {
      try {
        report.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RetriableException("interrupted while dead-lettering", e);
      } catch (ExecutionException e) {
        throw new ConnectException("cannot write to the dead-letter topic", e.getCause());
      }
    }
  }

  @Override
  public void stop() {
    if (session != null) {
      session.close();
    }
    if (decoder != null) {
      decoder.close();
    }
    if (deadLetters != null) {
      deadLetters.close();
    }
  }
}
