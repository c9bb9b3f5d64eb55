package org.iotbackbone.streamsapp.internal.streams;

import java.util.Map;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.api.Record;
import org.iotbackbone.schemas.DeadLetterReason;
import org.iotbackbone.streamsapp.internal.InvalidRecordException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A record a processor refused ({@link InvalidRecordException}) or failed on goes to {@code
 * iot.deadletter} with its raw bytes and processing goes on; a failure of Streams itself (state
 * store, task) is not the record's fault and fails the thread.
 */
public final class DeadLetterProcessingHandler implements ProcessingExceptionHandler {

  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterProcessingHandler.class);

  private DeadLetters deadLetters;

  @Override
  public void configure(Map<String, ?> configs) {
    deadLetters = DeadLetters.fromConfig(configs);
  }

  @Override
  public Response handleError(
      ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
    if (exception instanceof StreamsException || DeadLetters.isTransient(exception)) {
      return Response.fail();
    }
    DeadLetterReason reason =
        exception instanceof InvalidRecordException invalid
            ? invalid.reason()
            : DeadLetterReason.PROCESSING_FAILED;
    LOG.warn(
        "device {} ({}-{}@{}): dead-lettered as {}: {}",
        record.key(),
        context.topic(),
        context.partition(),
        context.offset(),
        reason,
        exception.toString(),
        reason == DeadLetterReason.PROCESSING_FAILED ? exception : null);
    return Response.resume(
        deadLetters.record(
            context,
            context.sourceRawKey(),
            context.sourceRawValue(),
            reason,
            exception,
            Map.of()));
  }
}
