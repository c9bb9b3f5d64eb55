package org.iotbackbone.streamsapp.internal.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

/** The coordinator's orders: to the device's partition, a filter to all, stamped with the count. */
class OrderRoutingTest {

  private static final String TOPIC = "app-jobs-to-devices-repartition";

  private final OrderRouting routing = new OrderRouting();
  private final Serde<JobMessage> serde = routing.serde();

  @Test
  void aFilterGoesToEveryPartitionOfTheTopicStampedWithTheirCount() {
    JobMessage resolve = JobMessage.resolve("fw", "model = x", 1L);
    assertThat(routing.partitions(TOPIC, "fw", resolve, 5))
        .contains(java.util.Set.of(0, 1, 2, 3, 4));
    JobMessage sent = readBack(resolve);
    assertThat(sent.partitions()).isEqualTo(5);
    assertThat(sent.filter()).isEqualTo("model = x");
  }

  @Test
  void theCountIsTheTopicsAsItIsNow() {
    JobMessage resolve = JobMessage.resolve("fw", "model = x", 1L);
    routing.partitions(TOPIC, "fw", resolve, 3);
    assertThat(readBack(resolve).partitions()).isEqualTo(3);
    routing.partitions(TOPIC, "fw", resolve, 7);
    assertThat(readBack(resolve).partitions()).isEqualTo(7);
  }

  @Test
  void anOrderForADeviceGoesWhereKafkaPutsItsKeyUnstamped() {
    JobMessage notify = JobMessage.notify("fw", "robot-1", "{}", 1L);
    assertThat(routing.partitions(TOPIC, "robot-1", notify, 5)).isEmpty();
    assertThat(readBack(notify)).isEqualTo(notify);
    assertThat(readBack(notify).partitions()).isNull();
  }

  @Test
  void aFilterSerializedBeforeItWasPartitionedIsRefusedNotSentWithoutACount() {
    JobMessage resolve = JobMessage.resolve("fw", "model = x", 1L);
    assertThatThrownBy(() -> serde.serializer().serialize(TOPIC, resolve))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("before it was partitioned");
  }

  private JobMessage readBack(JobMessage message) {
    return serde.deserializer().deserialize(TOPIC, serde.serializer().serialize(TOPIC, message));
  }
}
