package org.iotbackbone.streamsapp;

import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;
import org.iotbackbone.streamsapp.internal.streams.DeadLetterDeserializationHandler;
import org.iotbackbone.streamsapp.internal.streams.DeadLetterProcessingHandler;
import org.iotbackbone.streamsapp.internal.streams.DeadLetterProductionHandler;

/** The streams-app: the shadow topology in Kafka Streams and its REST API. */
public final class StreamsApp {

  private StreamsApp() {}

  /**
   * The Streams settings that route bad records to {@code iot.deadletter} instead of stopping the
   * partition (the handlers also need {@code iot.schema.registry.url}).
   */
  public static Map<String, Object> errorHandlingConfig() {
    return Map.of(
        StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
        DeadLetterDeserializationHandler.class.getName(),
        StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
        DeadLetterProcessingHandler.class.getName(),
        StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG,
        DeadLetterProductionHandler.class.getName());
  }
}
