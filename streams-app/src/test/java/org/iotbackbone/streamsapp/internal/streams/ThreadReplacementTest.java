package org.iotbackbone.streamsapp.internal.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

/** The wait before a failed stream thread is replaced, and when the app gives up (hole 5). */
class ThreadReplacementTest {

  private long now;
  private final List<Duration> waits = new ArrayList<>();
  private final RuntimeException failure = new RuntimeException("registry answered 503");

  private ThreadReplacement replacement(int maxFailures) {
    return new ThreadReplacement(
        Duration.ofMillis(100),
        Duration.ofSeconds(1),
        maxFailures,
        () -> now,
        d -> {
          waits.add(d);
          now += d.toNanos();
        });
  }

  @Test
  void failuresInARowWaitLongerAndLongerUpToTheCap() {
    ThreadReplacement threads = replacement(100);
    for (int i = 0; i < 6; i++) {
      assertThat(threads.handle(failure)).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
    }
    assertThat(waits)
        .extracting(Duration::toMillis)
        .containsExactly(100L, 200L, 400L, 800L, 1000L, 1000L);
    assertThat(threads.replacedThreads()).isEqualTo(6);
  }

  @Test
  void tooManyFailuresInARowShutTheClientDown() {
    ThreadReplacement threads = replacement(3);
    for (int i = 0; i < 3; i++) {
      assertThat(threads.handle(failure)).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
    }
    assertThat(threads.handle(failure)).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
  }

  @Test
  void failuresSecondsApartAreInARowEvenWithAShortWait() {
    ThreadReplacement threads = replacement(3);
    threads.handle(failure);
    threads.handle(failure);
    threads.handle(failure);
    now += Duration.ofSeconds(30).toNanos(); // a slow rejoin is not a quiet time
    assertThat(threads.handle(failure)).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
  }

  @Test
  void aThreadThatRanQuietlyForFiveMinutesStartsAgain() {
    ThreadReplacement threads = replacement(3);
    threads.handle(failure);
    threads.handle(failure);
    threads.handle(failure);
    now += ThreadReplacement.QUIET.plusSeconds(1).toNanos();
    assertThat(threads.handle(failure)).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
    assertThat(waits.get(waits.size() - 1)).isEqualTo(Duration.ofMillis(100));
  }
}
