package org.iotbackbone.streamsapp.internal.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.microsoft.kiota.ApiExceptionBuilder;
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
import org.iotbackbone.streamsapp.internal.InvalidRecordException;
import org.iotbackbone.streamsapp.internal.ops.StreamsAppMetrics;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The handler sorts errors with the platform's one rule: the record's fault is dead-lettered, a
 * registry or broker that is away for now fails the thread (replaced, the record read again).
 */
class DeadLetterHandlerTest {

  private final StreamsAppMetrics metrics = new StreamsAppMetrics();
  private final Map<String, Object> config =
      Map.of(
          DeadLetterHandler.SERIALIZER_CONFIG,
          PlainAvroSerde.DeadLetterSerializer.class.getName(),
          DeadLetterHandler.METRICS_CONFIG,
          metrics);
  private static final byte[] KEY = "lamp-1".getBytes(StandardCharsets.UTF_8);
  private static final byte[] VALUE = {0, 1, 2};

  private final DeadLetterHandler handler = new DeadLetterHandler();

  @BeforeEach
  void configure() {
    handler.configure(config);
  }

  @Test
  void withoutTheAppsMetricsTheHandlerRefusesItsConfig() {
    assertThatThrownBy(
            () ->
                new DeadLetterHandler()
                    .configure(
                        Map.of(
                            DeadLetterHandler.SERIALIZER_CONFIG,
                            PlainAvroSerde.DeadLetterSerializer.class.getName())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(DeadLetterHandler.METRICS_CONFIG);
  }

  @Test
  void anUnreadableRecordIsDeadLetteredWithItsBytesAndWhereItCameFrom() {
    var response =
        handler.handleError(
            CONTEXT,
            new ConsumerRecord<>("iot.shadow.requests", 3, 42L, KEY, VALUE),
            new SerializationException("bad"));
    assertThat(response.result()).isEqualTo(DeserializationExceptionHandler.Result.RESUME);
    DeadLetter letter = only(response.deadLetterQueueRecords());
    assertThat(letter.getOrigin()).isEqualTo("streams-app");
    assertThat(letter.getReasonCode()).isEqualTo(DeadLetterReason.DESERIALIZATION_FAILED);
    assertThat(letter.getMessage()).isEqualTo("bad");
    assertThat(letter.getDeviceId()).isEqualTo("lamp-1");
    assertThat(letter.getSourceTopic()).isEqualTo("iot.shadow.requests");
    assertThat(letter.getSourcePartition()).isEqualTo(3);
    assertThat(letter.getSourceOffset()).isEqualTo(42L);
    assertThat(letter.getPayload().array()).isEqualTo(VALUE);
    assertThat(
            metrics.count(
                "streams.deadletters",
                "reason",
                "DESERIALIZATION_FAILED",
                "origin",
                "iot.shadow.requests"))
        .isEqualTo(1);
    assertThat(letter.getAttributes())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "exception", SerializationException.class.getName(),
                "processorNodeId", "apply-shadow-requests",
                "taskId", "0_3"));
  }

  @Test
  void aRegistryAnswering503IsNotDeadLetteredButFailsToBeRetried() {
    var deserializing =
        handler.handleError(
            CONTEXT,
            new ConsumerRecord<>("iot.shadow.requests", 0, 0L, KEY, VALUE),
            registryAnswered(503));
    assertThat(deserializing.result()).isEqualTo(DeserializationExceptionHandler.Result.FAIL);
    assertThat(deserializing.deadLetterQueueRecords()).isEmpty();

    var processing =
        handler.handleError(CONTEXT, new Record<>("lamp-1", "x", 0L), registryAnswered(503));
    assertThat(processing.result()).isEqualTo(ProcessingExceptionHandler.Result.FAIL);
    assertThat(processing.deadLetterQueueRecords()).isEmpty();

    var serializing =
        handler.handleSerializationError(
            CONTEXT,
            new ProducerRecord<>("iot.shadow.state", KEY, VALUE),
            registryAnswered(503),
            ProductionExceptionHandler.SerializationExceptionOrigin.VALUE);
    assertThat(serializing.result()).isEqualTo(ProductionExceptionHandler.Result.FAIL);
    assertThat(serializing.deadLetterQueueRecords()).isEmpty();
    assertThat(metrics.total("streams.deadletters")).isZero();
  }

  @Test
  void aRegistryThatCannotBeReachedFailsInsteadOfDeadLettering() {
    var response =
        handler.handleError(
            CONTEXT,
            new ConsumerRecord<>("iot.shadow.requests", 0, 0L, KEY, VALUE),
            new SerializationException("registry", new ConnectException("refused")));
    assertThat(response.result()).isEqualTo(DeserializationExceptionHandler.Result.FAIL);
    assertThat(response.deadLetterQueueRecords()).isEmpty();
  }

  @Test
  void aSchemaIdTheRegistryDoesNotKnowIsTheRecordsFault() {
    var response =
        handler.handleError(
            CONTEXT,
            new ConsumerRecord<>("iot.shadow.requests", 3, 42L, KEY, VALUE),
            registryAnswered(404));
    assertThat(response.result()).isEqualTo(DeserializationExceptionHandler.Result.RESUME);
    assertThat(only(response.deadLetterQueueRecords()).getReasonCode())
        .isEqualTo(DeadLetterReason.DESERIALIZATION_FAILED);
  }

  @Test
  void aProcessingFailureIsDeadLetteredButAStreamsFailureFails() {
    Record<String, String> record = new Record<>("lamp-1", "x", 0L);
    var dead = handler.handleError(CONTEXT, record, new IllegalStateException("boom"));
    assertThat(dead.result()).isEqualTo(ProcessingExceptionHandler.Result.RESUME);
    assertThat(only(dead.deadLetterQueueRecords()).getReasonCode())
        .isEqualTo(DeadLetterReason.PROCESSING_FAILED);
    var refused =
        handler.handleError(
            CONTEXT,
            record,
            new InvalidRecordException(DeadLetterReason.INVALID_REQUEST, "no state"));
    assertThat(only(refused.deadLetterQueueRecords()).getReasonCode())
        .isEqualTo(DeadLetterReason.INVALID_REQUEST);
    var fail = handler.handleError(CONTEXT, record, new StreamsException("store"));
    assertThat(fail.result()).isEqualTo(ProcessingExceptionHandler.Result.FAIL);
    assertThat(
            metrics.count(
                "streams.deadletters",
                "reason",
                "PROCESSING_FAILED",
                "origin",
                "iot.shadow.requests"))
        .isEqualTo(1);
    assertThat(
            metrics.count(
                "streams.deadletters",
                "reason",
                "INVALID_REQUEST",
                "origin",
                "iot.shadow.requests"))
        .isEqualTo(1);
  }

  @Test
  void tooLargeOutputIsDeadLetteredAndATimeoutIsRetried() {
    ProducerRecord<byte[], byte[]> out = new ProducerRecord<>("iot.shadow.state", KEY, VALUE);
    var large = handler.handleError(CONTEXT, out, new RecordTooLargeException("big"));
    assertThat(large.result()).isEqualTo(ProductionExceptionHandler.Result.RESUME);
    DeadLetter letter = only(large.deadLetterQueueRecords());
    assertThat(letter.getReasonCode()).isEqualTo(DeadLetterReason.WRITE_FAILED);
    assertThat(letter.getAttributes().keySet())
        .containsExactlyInAnyOrder("outputTopic", "exception", "processorNodeId", "taskId");
    assertThat(letter.getAttributes()).containsEntry("outputTopic", "iot.shadow.state");
    assertThat(handler.handleError(CONTEXT, out, new TimeoutException("slow")).result())
        .isEqualTo(ProductionExceptionHandler.Result.RETRY);
    assertThat(handler.handleError(CONTEXT, out, new IllegalStateException("bug")).result())
        .isEqualTo(ProductionExceptionHandler.Result.FAIL);
  }

  /** What Apicurio's deserializer throws when the registry answers {@code status}. */
  private static RuntimeException registryAnswered(int status) {
    return new RuntimeException(
        new ApiExceptionBuilder()
            .withMessage("the server returned " + status)
            .withResponseStatusCode(status)
            .build());
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
