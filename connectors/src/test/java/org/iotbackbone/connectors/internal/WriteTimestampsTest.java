package org.iotbackbone.connectors.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WriteTimestampsTest {

  @Test
  void aLaterRecordsDeleteCoversEverythingEarlierRecordsWrote() {
    for (long offset = 0; offset < 1_000; offset++) {
      long insert = WriteTimestamps.insert(0, offset);
      long nextDelete = WriteTimestamps.supersede(0, offset + 1);
      long nextInsert = WriteTimestamps.insert(0, offset + 1);
      assertThat(nextDelete).isGreaterThan(insert); // the next record removes this one's rows
      assertThat(nextInsert).isGreaterThan(nextDelete); // and its own rows survive its delete
    }
  }

  @Test
  void anOlderRecordReplayedChangesNothing() {
    long newestInsert = WriteTimestamps.insert(0, 500);
    for (long older = 0; older < 500; older++) {
      assertThat(WriteTimestamps.insert(0, older)).isLessThan(newestInsert);
      assertThat(WriteTimestamps.supersede(0, older)).isLessThan(newestInsert);
    }
  }

  @Test
  void theBaseLiftsEveryTimestampAboveThoseOfAnEarlierTopic() {
    long beforeRecreation = WriteTimestamps.insert(0, 1_000_000);
    assertThat(WriteTimestamps.supersede(1_000_001, 0)).isGreaterThan(beforeRecreation);
  }

  @Test
  void negativeOffsetsAndOverflowAreRefused() {
    assertThatThrownBy(() -> WriteTimestamps.insert(0, -1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> WriteTimestamps.insert(Long.MAX_VALUE / 2, 10))
        .isInstanceOf(ArithmeticException.class);
  }
}
