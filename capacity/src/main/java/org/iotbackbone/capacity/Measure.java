package org.iotbackbone.capacity;

/**
 * The per-unit figures the capacity model needs, each measured by a benchmark of this repository
 * ({@code figures.properties} gives the value and its source). The unit is part of the figure: a
 * file whose unit differs is refused rather than read in the wrong scale.
 */
public enum Measure {
  EDGE_SESSION_CPU_MTLS("edge.session-cpu.mtls", "ms per device"),
  EDGE_SESSION_CPU_PLAIN("edge.session-cpu.plain", "ms per device"),
  EDGE_MEMORY_MTLS("edge.memory.mtls", "KiB per connection"),
  EDGE_MEMORY_PLAIN("edge.memory.plain", "KiB per connection"),
  EDGE_HELD_CPU("edge.held-cpu", "us per connection-second"),
  EDGE_MESSAGE_CPU("edge.message-cpu", "us per message"),
  BRIDGE_MESSAGE_CPU("bridge.message-cpu", "us per message"),
  KAFKA_RECORD_CPU("kafka.record-cpu", "us per record"),
  STREAMS_UPDATE_CPU("streams.update-cpu", "ms per update"),
  STREAMS_UPDATE_KAFKA_CPU("streams.update-kafka-cpu", "ms per update"),
  REST_REQUEST_CPU("streams.rest-request-cpu", "ms per request"),
  STREAMS_RESTORE_RATE("streams.restore-rate", "records per second"),
  SHADOW_FRAMING_BYTES("shadow.framing-bytes", "bytes per shadow"),
  SINK_WRITE_CPU("sink.write-cpu", "us per write"),
  CQL_WRITE_CPU("cql.write-cpu", "us per write");

  private final String key;
  private final String unit;

  Measure(String key, String unit) {
    this.key = key;
    this.unit = unit;
  }

  /** The figure's key in {@code figures.properties}. */
  public String key() {
    return key;
  }

  /** The unit the model reads the value in. */
  public String unit() {
    return unit;
  }
}
