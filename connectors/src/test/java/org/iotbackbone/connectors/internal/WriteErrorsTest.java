package org.iotbackbone.connectors.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.DriverTimeoutException;
import com.datastax.oss.driver.api.core.NoNodeAvailableException;
import com.datastax.oss.driver.api.core.servererrors.InvalidQueryException;
import com.datastax.oss.driver.api.core.servererrors.OverloadedException;
import com.datastax.oss.driver.api.core.servererrors.SyntaxError;
import com.datastax.oss.driver.api.core.servererrors.UnauthorizedException;
import com.datastax.oss.driver.api.core.servererrors.UnavailableException;
import com.datastax.oss.driver.api.core.servererrors.WriteTimeoutException;
import com.datastax.oss.driver.api.core.servererrors.WriteType;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class WriteErrorsTest {

  @Test
  void aSlowOrAbsentScyllaIsRetried() {
    assertThat(WriteErrors.classify(new DriverTimeoutException("timed out")))
        .isEqualTo(ErrorKind.RETRY);
    assertThat(WriteErrors.classify(new NoNodeAvailableException())).isEqualTo(ErrorKind.RETRY);
    assertThat(
            WriteErrors.classify(
                new UnavailableException(null, DefaultConsistencyLevel.LOCAL_QUORUM, 2, 1)))
        .isEqualTo(ErrorKind.RETRY);
    assertThat(
            WriteErrors.classify(
                new WriteTimeoutException(
                    null, DefaultConsistencyLevel.LOCAL_QUORUM, 1, 2, WriteType.BATCH)))
        .isEqualTo(ErrorKind.RETRY);
    assertThat(WriteErrors.classify(new OverloadedException(null))).isEqualTo(ErrorKind.RETRY);
    assertThat(WriteErrors.classify(new CompletionException(new DriverTimeoutException("wrapped"))))
        .isEqualTo(ErrorKind.RETRY);
  }

  @Test
  void aConnectionFailureOutsideTheDriversTypesIsRetriedByThePlatformsRule() {
    assertThat(
            WriteErrors.classify(
                new IllegalStateException("x", new java.net.ConnectException("refused"))))
        .isEqualTo(ErrorKind.RETRY);
    assertThat(WriteErrors.classify(new java.net.SocketTimeoutException("read")))
        .isEqualTo(ErrorKind.RETRY);
  }

  @Test
  void aRecordScyllaRefusesIsDeadLettered() {
    assertThat(
            WriteErrors.classify(
                new InvalidQueryException(null, "Key length of 70000 is longer than maximum")))
        .isEqualTo(ErrorKind.DEAD_LETTER);
  }

  @Test
  void aBrokenDeploymentFailsTheTask() {
    assertThat(WriteErrors.classify(new InvalidQueryException(null, "unconfigured table shadows")))
        .isEqualTo(ErrorKind.FATAL);
    assertThat(WriteErrors.classify(new UnauthorizedException(null, "no MODIFY permission")))
        .isEqualTo(ErrorKind.FATAL);
    assertThat(WriteErrors.classify(new SyntaxError(null, "line 1"))).isEqualTo(ErrorKind.FATAL);
    assertThat(WriteErrors.classify(new IllegalStateException("a bug"))).isEqualTo(ErrorKind.FATAL);
  }
}
