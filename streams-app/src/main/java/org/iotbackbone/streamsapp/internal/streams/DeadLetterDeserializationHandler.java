package org.iotbackbone.streamsapp.internal.streams;

import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.iotbackbone.schemas.DeadLetterReason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A record that cannot be read goes to {@code iot.deadletter} and processing goes on; only a
 * registry that cannot be reached stops the thread (to be replaced and retried), since that is not
 * the record's fault.
 */
public final class DeadLetterDeserializationHandler implements DeserializationExceptionHandler {

  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterDeserializationHandler.class);

  private DeadLetters deadLetters;

  @Override
  public void configure(Map<String, ?> configs) {
    deadLetters = DeadLetters.fromConfig(configs);
  }

  @Override
  public Response handleError(
      ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
    if (DeadLetters.isTransient(exception)) {
      LOG.warn(
          "{}-{}@{}: cannot deserialize now, failing to retry: {}",
          record.topic(),
          record.partition(),
          record.offset(),
          exception.toString());
      return Response.fail();
    }
    LOG.warn(
        "{}-{}@{}: dead-lettered, cannot be deserialized: {}",
        record.topic(),
        record.partition(),
        record.offset(),
        exception.toString());
    return Response.resume(
        deadLetters.record(
            context,
            record.key(),
            record.value(),
            DeadLetterReason.DESERIALIZATION_FAILED,
            exception,
            Map.of()));
  }
}
