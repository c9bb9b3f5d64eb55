package org.iotbackbone.streamsapp.internal.streams;

import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.iotbackbone.schemas.DeadLetterReason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Output that cannot be written: a record the broker will never take (too large) or cannot be
 * serialized is dead-lettered (with the input it came from) and processing goes on; retriable
 * errors are retried; a registry that cannot be reached fails the thread.
 */
public final class DeadLetterProductionHandler implements ProductionExceptionHandler {

  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterProductionHandler.class);

  private DeadLetters deadLetters;

  @Override
  public void configure(Map<String, ?> configs) {
    deadLetters = DeadLetters.fromConfig(configs);
  }

  @Override
  public Response handleError(
      ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception) {
    if (exception instanceof RecordTooLargeException) {
      return deadLetter(context, record.topic(), exception);
    }
    if (DeadLetters.isTransient(exception)) {
      return Response.retry();
    }
    return Response.fail();
  }

  @Override
  @SuppressWarnings("rawtypes") // as the interface declares it
  public Response handleSerializationError(
      ErrorHandlerContext context,
      ProducerRecord record,
      Exception exception,
      SerializationExceptionOrigin origin) {
    if (DeadLetters.isTransient(exception)) {
      return Response.fail();
    }
    return deadLetter(context, record.topic(), exception);
  }

  private Response deadLetter(ErrorHandlerContext context, String topic, Exception exception) {
    LOG.warn(
        "{}-{}@{}: output to {} dead-lettered: {}",
        context.topic(),
        context.partition(),
        context.offset(),
        topic,
        exception.toString());
    return Response.resume(
        deadLetters.record(
            context,
            context.sourceRawKey(),
            context.sourceRawValue(),
            DeadLetterReason.WRITE_FAILED,
            exception,
            Map.of("outputTopic", topic)));
  }
}
