package org.iotbackbone.streamsapp.internal.streams;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.iotbackbone.schemas.CommandEvent;
import org.iotbackbone.schemas.DeadLetterReason;
import org.iotbackbone.schemas.errors.TransientErrors;
import org.iotbackbone.streamsapp.internal.InvalidRecordException;

/**
 * Reads a command event from its raw value into its status view, keeping the raw value: an answer
 * held for its command may be dead-lettered later, out of the processing of its own record, and a
 * letter carries the input byte for byte. Failures are sorted as the deserialization handler sorts
 * them: a registry away for now is thrown as it is (retried), a value that is not an event is
 * dead-lettered as DESERIALIZATION_FAILED.
 */
public final class CommandEventReader implements FixedKeyProcessor<String, byte[], CommandRecord> {

  private final Deserializer<CommandEvent> deserializer;
  private FixedKeyProcessorContext<String, CommandRecord> context;

  public CommandEventReader(Deserializer<CommandEvent> deserializer) {
    this.deserializer = deserializer;
  }

  @Override
  public void init(FixedKeyProcessorContext<String, CommandRecord> context) {
    this.context = context;
  }

  @Override
  public void process(FixedKeyRecord<String, byte[]> record) {
    // Only this app reads these: a record without a value (a tombstone; the topic is not
    // compacted) is dead-lettered here, not dropped unseen (found by ./iot fuzz).
    if (record.value() == null) {
      throw new InvalidRecordException(
          DeadLetterReason.INVALID_REQUEST,
          "a command event without a value (a tombstone): nothing to apply");
    }
    String topic = context.recordMetadata().map(RecordMetadata::topic).orElse(null);
    CommandEvent event;
    try {
      event = deserializer.deserialize(topic, record.headers(), record.value());
    } catch (RuntimeException e) {
      if (TransientErrors.isTransient(e)) {
        throw e;
      }
      throw new InvalidRecordException(
          DeadLetterReason.DESERIALIZATION_FAILED, "cannot be deserialized: " + e, e);
    }
    // The key must be the device that sent the event (what the bridge writes).
    String view = CommandStatusView.of(record.key(), event);
    context.forward(record.withValue(new CommandRecord(view, record.value())));
  }
}
