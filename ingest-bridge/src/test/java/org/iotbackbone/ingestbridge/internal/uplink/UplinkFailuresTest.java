package org.iotbackbone.ingestbridge.internal.uplink;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletionException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.iotbackbone.ingestbridge.internal.kafka.KafkaSender;
import org.iotbackbone.ingestbridge.internal.uplink.UplinkFailures.Next;
import org.junit.jupiter.api.Test;

class UplinkFailuresTest {

  @Test
  void aRecordKafkaRefusesForGoodIsDeadLetteredAndItsDeadLetterThenDropped() {
    var tooLarge = new RecordTooLargeException("over max.request.size");
    assertThat(UplinkFailures.afterRecord(tooLarge)).isEqualTo(Next.DEAD_LETTER);
    assertThat(UplinkFailures.afterDeadLetter(tooLarge)).isEqualTo(Next.ACKNOWLEDGE_DROPPED);
    var denied = new TopicAuthorizationException("iot.device.events");
    assertThat(UplinkFailures.afterRecord(denied)).isEqualTo(Next.DEAD_LETTER);
    assertThat(UplinkFailures.afterRecord(new KafkaException("bug"))).isEqualTo(Next.DEAD_LETTER);
  }

  @Test
  void whatPassesIsRetriedWrappedOrNot() {
    var timeout = new TimeoutException("delivery.timeout.ms");
    assertThat(UplinkFailures.afterRecord(timeout)).isEqualTo(Next.RETRY);
    assertThat(UplinkFailures.afterDeadLetter(new CompletionException(timeout)))
        .isEqualTo(Next.RETRY);
  }

  @Test
  void onlyAStoppingBridgeLeavesAMessageUnacknowledged() {
    Throwable closed = senderClosed();
    assertThat(UplinkFailures.afterRecord(closed)).isEqualTo(Next.LEAVE_UNACKNOWLEDGED);
    assertThat(UplinkFailures.afterDeadLetter(new CompletionException(closed)))
        .isEqualTo(Next.LEAVE_UNACKNOWLEDGED);
    for (Throwable other :
        new Throwable[] {
          new RecordTooLargeException("x"), new TimeoutException("x"), new RuntimeException("x")
        }) {
      assertThat(UplinkFailures.afterRecord(other)).isNotEqualTo(Next.LEAVE_UNACKNOWLEDGED);
      assertThat(UplinkFailures.afterDeadLetter(other)).isNotEqualTo(Next.LEAVE_UNACKNOWLEDGED);
    }
  }

  @Test
  void tooLargeIsFoundInTheCauseChain() {
    assertThat(
            UplinkFailures.tooLarge(
                new CompletionException(new KafkaException(new RecordTooLargeException("x")))))
        .isTrue();
    assertThat(UplinkFailures.tooLarge(new TopicAuthorizationException("t"))).isFalse();
  }

  private static Throwable senderClosed() {
    try {
      var constructor = KafkaSender.SenderClosedException.class.getDeclaredConstructor();
      constructor.setAccessible(true);
      return constructor.newInstance();
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }
}
