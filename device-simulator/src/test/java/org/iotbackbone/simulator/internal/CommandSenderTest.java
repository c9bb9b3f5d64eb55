package org.iotbackbone.simulator.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletionException;
import org.iotbackbone.simulator.Count;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * How a command's status read through REST counts in the report: a final status ends the polling at
 * once, counted by what it was, so that a report tells a command nobody got (UNDELIVERED: no
 * session subscribed) from one that never ended. UNDELIVERED was read again until the time to live
 * and counted only as not completed.
 */
class CommandSenderTest {

  @ParameterizedTest(name = "{0}, past its time to live {1}: {2}")
  @CsvSource({
    "SUCCEEDED,false,COMMANDS_COMPLETED",
    "UNDELIVERED,false,COMMANDS_UNDELIVERED",
    "EXPIRED,false,COMMANDS_EXPIRED",
    "FAILED,false,COMMANDS_FAILED",
    "REJECTED,false,COMMANDS_FAILED",
    "TIMED_OUT,false,COMMANDS_FAILED",
    "DELIVERED,true,COMMANDS_UNFINISHED",
    "PENDING,true,COMMANDS_UNFINISHED",
    "'',true,COMMANDS_UNFINISHED",
    "UNDELIVERED,true,COMMANDS_UNDELIVERED",
  })
  void aFinalStatusEndsItCountedByWhatItWasAndNoneByItsTimeToLive(
      String status, boolean pastTimeToLive, Count expected) {
    assertThat(CommandSender.outcome(status, pastTimeToLive)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} is read again")
  @CsvSource({"PENDING", "DELIVERED", "ACCEPTED", "''", "NOT_A_STATUS"})
  void aStatusThatIsNotFinalIsReadAgainWithinItsTimeToLive(String status) {
    assertThat(CommandSender.outcome(status, false)).isNull();
  }

  @ParameterizedTest(name = "{0} with Retry-After ''{1}'' {2} s after the first send: wait {3} ms")
  @CsvSource({
    "503,1,0,1000",
    "503,3,10,3000",
    "503,'',0,1000",
    "503,'Wed, 21 Oct 2026 07:28:00 GMT',0,1000",
    "503,0,0,100",
    "503,-5,0,100",
  })
  void aLoadSheddingRefusalIsSentAgainAfterItsRetryAfter(
      int status, String retryAfter, long elapsedSeconds, long waitMillis) {
    Optional<String> header = retryAfter.isEmpty() ? Optional.empty() : Optional.of(retryAfter);

    assertThat(CommandSender.retryAfterMillis(status, header, elapsedSeconds * 1_000_000))
        .isEqualTo(OptionalLong.of(waitMillis));
  }

  @ParameterizedTest(name = "{0} is final")
  @CsvSource({"400", "401", "403", "404", "409", "413", "429", "500"})
  void anyOtherRefusalIsFinal(int status) {
    assertThat(CommandSender.retryAfterMillis(status, Optional.of("1"), 0)).isEmpty();
  }

  @Test
  void aRequestThatGotNoConnectionWasNotSentAndOneNotAnsweredInTimeMayHaveBeenTaken() {
    assertThat(
            CommandSender.unanswered(
                new CompletionException(new HttpConnectTimeoutException("HTTP connect timed out"))))
        .isEqualTo(CommandSender.Unanswered.NOT_SENT);
    assertThat(CommandSender.unanswered(new CompletionException(new ConnectException("refused"))))
        .isEqualTo(CommandSender.Unanswered.NOT_SENT);
    assertThat(
            CommandSender.unanswered(
                new CompletionException(new HttpTimeoutException("request timed out"))))
        .isEqualTo(CommandSender.Unanswered.ANSWER_LOST);
    assertThat(CommandSender.unanswered(new CompletionException(new IOException("reset"))))
        .isEqualTo(CommandSender.Unanswered.FAILED);
    assertThat(CommandSender.unanswered(new HttpTimeoutException("not wrapped")))
        .isEqualTo(CommandSender.Unanswered.ANSWER_LOST);
  }

  @Test
  void aResendIsMadeOnlyWithinTheCommandsTimeToLive() {
    assertThat(CommandSender.withinTimeToLive(1_000, 0)).isEqualTo(OptionalLong.of(1_000));
    assertThat(CommandSender.withinTimeToLive(1_000, 29_000_000L)).isEmpty();
  }

  @Test
  void aRetryPastTheCommandsTimeToLiveIsNotMade() {
    assertThat(CommandSender.retryAfterMillis(503, Optional.of("1"), 29_500_000L)).isEmpty();
    assertThat(CommandSender.retryAfterMillis(503, Optional.of("1"), 28_000_000L))
        .isEqualTo(OptionalLong.of(1000));
  }
}
