package org.iotbackbone.streamsapp.internal.jobs;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * How the coordinator's orders travel to the device side: an order to its device's partition
 * (Kafka's default, as the bridge's producer), a filter to resolve to every partition, stamped with
 * their count. Each partition's answer carries that count on to the coordinator, which waits for
 * exactly that many answers: the count is the internal topic's own, whatever a setting says.
 *
 * <p>Only the partitioner is told the count. Kafka Streams asks it for the record's partitions and
 * then serializes the record, once per partition, on the same thread: the partitioner notes the
 * topic's count and the serializer of {@link #serde()} stamps it on a RESOLVE.
 */
public final class OrderRouting implements StreamPartitioner<String, JobMessage> {

  private final Map<String, Integer> counts = new ConcurrentHashMap<>();
  private final Serde<JobMessage> plain = JobMessage.serde();

  @Override
  public Optional<Set<Integer>> partitions(
      String topic, String key, JobMessage message, int numPartitions) {
    counts.put(topic, numPartitions);
    if (message == null || message.type() != JobMessage.Type.RESOLVE) {
      return Optional.empty();
    }
    return Optional.of(
        IntStream.range(0, numPartitions).boxed().collect(Collectors.toUnmodifiableSet()));
  }

  /** The internal topic's serde: a RESOLVE is written with the partition count it went to. */
  public Serde<JobMessage> serde() {
    return Serdes.serdeFrom(
        (topic, message) -> plain.serializer().serialize(topic, stamped(topic, message)),
        plain.deserializer());
  }

  private JobMessage stamped(String topic, JobMessage message) {
    if (message == null || message.type() != JobMessage.Type.RESOLVE) {
      return message;
    }
    Integer count = counts.get(topic);
    if (count == null) {
      // Streams always partitions before it serializes; a RESOLVE without a count would leave its
      // job waiting for ever.
      throw new IllegalStateException(
          "a RESOLVE for " + topic + " serialized before it was partitioned");
    }
    return message.withPartitions(count);
  }
}
