package org.iotbackbone.streamsapp.internal.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.Record;
import org.iotbackbone.schemas.DeadLetter;
import org.iotbackbone.schemas.DeadLetterReason;
import org.iotbackbone.streamsapp.PlainAvroSerde;
import org.junit.jupiter.api.Test;

/** The handlers sort errors: the record's fault is dead-lettered, a passing outage fails. */
class DeadLetterHandlersTest {

  private static final Map<String, Object> CONFIG =
      Map.of(DeadLetters.SERIALIZER_CONFIG, PlainAvroSerde.DeadLetterSerializer.class.getName());
  private static final byte[] KEY = "lamp-1".getBytes(StandardCharsets.UTF_8);
  private static final byte[] VALUE = {0, 1, 2};

  @Test
  void anUnreadableRecordIsDeadLetteredWithItsBytesAndWhereItCameFrom() {
    DeadLetterDeserializationHandler handler = new DeadLetterDeserializationHandler();
    handler.configure(CONFIG);
    var response =
        handler.handleError(
            CONTEXT,
            new ConsumerRecord<>("iot.shadow.requests", 3, 42L, KEY, VALUE),
            new SerializationException("bad"));
    assertThat(response.result()).isEqualTo(DeserializationExceptionHandler.Result.RESUME);
    DeadLetter letter = only(response.deadLetterQueueRecords());
    assertThat(letter.getReasonCode()).isEqualTo(DeadLetterReason.DESERIALIZATION_FAILED);
    assertThat(letter.getDeviceId()).isEqualTo("lamp-1");
    assertThat(letter.getSourceTopic()).isEqualTo("iot.shadow.requests");
    assertThat(letter.getSourcePartition()).isEqualTo(3);
    assertThat(letter.getSourceOffset()).isEqualTo(42L);
    assertThat(letter.getPayload().array()).isEqualTo(VALUE);
    assertThat(letter.getAttributes())
        .containsEntry("exception", SerializationException.class.getName());
  }

  @Test
  void aRegistryThatCannotBeReachedFailsInsteadOfDeadLettering() {
    DeadLetterDeserializationHandler handler = new DeadLetterDeserializationHandler();
    handler.configure(CONFIG);
    var response =
        handler.handleError(
            CONTEXT,
            new ConsumerRecord<>("iot.shadow.requests", 0, 0L, KEY, VALUE),
            new SerializationException("registry", new ConnectException("refused")));
    assertThat(response.result()).isEqualTo(DeserializationExceptionHandler.Result.FAIL);
    assertThat(response.deadLetterQueueRecords()).isEmpty();
  }

  @Test
  void aProcessingFailureIsDeadLetteredButAStreamsFailureFails() {
    DeadLetterProcessingHandler handler = new DeadLetterProcessingHandler();
    handler.configure(CONFIG);
    Record<String, String> record = new Record<>("lamp-1", "x", 0L);
    var dead = handler.handleError(CONTEXT, record, new IllegalStateException("boom"));
    assertThat(dead.result()).isEqualTo(ProcessingExceptionHandler.Result.RESUME);
    assertThat(only(dead.deadLetterQueueRecords()).getReasonCode())
        .isEqualTo(DeadLetterReason.PROCESSING_FAILED);
    var fail = handler.handleError(CONTEXT, record, new StreamsException("store"));
    assertThat(fail.result()).isEqualTo(ProcessingExceptionHandler.Result.FAIL);
  }

  @Test
  void tooLargeOutputIsDeadLetteredAndATimeoutIsRetried() {
    DeadLetterProductionHandler handler = new DeadLetterProductionHandler();
    handler.configure(CONFIG);
    ProducerRecord<byte[], byte[]> out = new ProducerRecord<>("iot.shadow.state", KEY, VALUE);
    var large = handler.handleError(CONTEXT, out, new RecordTooLargeException("big"));
    assertThat(large.result()).isEqualTo(ProductionExceptionHandler.Result.RESUME);
    assertThat(only(large.deadLetterQueueRecords()).getAttributes())
        .containsEntry("outputTopic", "iot.shadow.state");
    assertThat(handler.handleError(CONTEXT, out, new TimeoutException("slow")).result())
        .isEqualTo(ProductionExceptionHandler.Result.RETRY);
  }

  private static DeadLetter only(java.util.List<ProducerRecord<byte[], byte[]>> records) {
    assertThat(records).hasSize(1);
    assertThat(records.get(0).topic()).isEqualTo("iot.deadletter");
    return new PlainAvroSerde<>(DeadLetter.class)
        .deserializer()
        .deserialize("t", records.get(0).value());
  }

  private static final ErrorHandlerContext CONTEXT =
      new ErrorHandlerContext() {
        @Override
        public String topic() {
          return "iot.shadow.requests";
        }

        @Override
        public int partition() {
          return 3;
        }

        @Override
        public long offset() {
          return 42L;
        }

        @Override
        public Headers headers() {
          return new RecordHeaders();
        }

        @Override
        public String processorNodeId() {
          return "apply-shadow-requests";
        }

        @Override
        public TaskId taskId() {
          return new TaskId(0, 3);
        }

        @Override
        public long timestamp() {
          return 0L;
        }

        @Override
        public byte[] sourceRawKey() {
          return KEY;
        }

        @Override
        public byte[] sourceRawValue() {
          return VALUE;
        }
      };
}
