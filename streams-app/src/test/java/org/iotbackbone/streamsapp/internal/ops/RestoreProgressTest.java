package org.iotbackbone.streamsapp.internal.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** What is left to restore follows Kafka Streams' restore callbacks, over stores and partitions. */
class RestoreProgressTest {

  private static final TopicPartition SHADOWS_0 =
      new TopicPartition("app-device-shadows-changelog", 0);
  private static final TopicPartition COMMANDS_3 =
      new TopicPartition("app-command-status-changelog", 3);

  private final Counter restored = new SimpleMeterRegistry().counter("restored");
  private final RestoreProgress progress = new RestoreProgress(restored);

  @Test
  void theRemainderShrinksWithEachBatchAndGoesWhenARestoreEndsOrMoves() {
    assertThat(progress.remaining()).isZero();

    progress.onRestoreStart(SHADOWS_0, "device-shadows", 100, 1100);
    progress.onRestoreStart(COMMANDS_3, "command-status", 0, 50);
    assertThat(progress.remaining()).isEqualTo(1050);

    // Offsets 100..599 restored: 500 offsets left of the first, 50 of the second.
    progress.onBatchRestored(SHADOWS_0, "device-shadows", 599, 500);
    assertThat(progress.remaining()).isEqualTo(550);
    assertThat(restored.count()).isEqualTo(500);

    progress.onRestoreEnd(COMMANDS_3, "command-status", 50);
    assertThat(progress.remaining()).isEqualTo(500);

    // The task moved to another instance mid-restore: its remainder is not this instance's.
    progress.onRestoreSuspended(SHADOWS_0, "device-shadows", 500);
    assertThat(progress.remaining()).isZero();
    assertThat(restored.count()).isEqualTo(500);
  }

  @Test
  void aBatchPastTheEndOffsetLeavesNothingNegative() {
    progress.onRestoreStart(SHADOWS_0, "device-shadows", 0, 10);
    progress.onBatchRestored(SHADOWS_0, "device-shadows", 11, 10); // commit markers
    assertThat(progress.remaining()).isZero();
  }
}
