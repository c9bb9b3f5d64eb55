package org.iotbackbone.simulator.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.iotbackbone.simulator.Count;
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
}
