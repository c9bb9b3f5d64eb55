package org.iotbackbone.connectors.internal;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.DriverTimeoutException;
import com.datastax.oss.driver.api.core.InvalidKeyspaceException;
import com.datastax.oss.driver.api.core.NodeUnavailableException;
import com.datastax.oss.driver.api.core.RequestThrottlingException;
import com.datastax.oss.driver.api.core.auth.AuthenticationException;
import com.datastax.oss.driver.api.core.connection.BusyConnectionException;
import com.datastax.oss.driver.api.core.connection.ClosedConnectionException;
import com.datastax.oss.driver.api.core.connection.ConnectionInitException;
import com.datastax.oss.driver.api.core.connection.FrameTooLongException;
import com.datastax.oss.driver.api.core.connection.HeartbeatException;
import com.datastax.oss.driver.api.core.servererrors.BootstrappingException;
import com.datastax.oss.driver.api.core.servererrors.InvalidConfigurationInQueryException;
import com.datastax.oss.driver.api.core.servererrors.InvalidQueryException;
import com.datastax.oss.driver.api.core.servererrors.OverloadedException;
import com.datastax.oss.driver.api.core.servererrors.QueryConsistencyException;
import com.datastax.oss.driver.api.core.servererrors.SyntaxError;
import com.datastax.oss.driver.api.core.servererrors.TruncateException;
import com.datastax.oss.driver.api.core.servererrors.UnauthorizedException;
import com.datastax.oss.driver.api.core.servererrors.UnavailableException;
import com.datastax.oss.driver.api.core.type.codec.CodecNotFoundException;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.iotbackbone.schemas.errors.TransientErrors;

/**
 * Sorts write failures before anything is done with them (Debezium's rule): a slow or absent
 * ScyllaDB is retried, never dead-lettered; a record ScyllaDB refuses is dead-lettered; a broken
 * deployment fails the task, so an operator sees it instead of a dead-letter topic filling up.
 */
public final class WriteErrors {

  private WriteErrors() {}

  public static ErrorKind classify(Throwable failure) {
    Throwable e = unwrap(failure);
    if (e instanceof QueryConsistencyException // write/read timeouts and failures
        || e instanceof UnavailableException
        || e instanceof OverloadedException
        || e instanceof BootstrappingException
        || e instanceof TruncateException
        || e instanceof DriverTimeoutException
        || e instanceof AllNodesFailedException // includes NoNodeAvailableException
        || e instanceof NodeUnavailableException
        || e instanceof RequestThrottlingException
        || e instanceof BusyConnectionException
        || e instanceof ClosedConnectionException
        || e instanceof HeartbeatException
        || e instanceof ConnectionInitException) {
      return ErrorKind.RETRY;
    }
    if (e instanceof AuthenticationException
        || e instanceof UnauthorizedException
        || e instanceof SyntaxError
        || e instanceof InvalidKeyspaceException
        || e instanceof InvalidConfigurationInQueryException) {
      return ErrorKind.FATAL;
    }
    if (e instanceof InvalidQueryException) {
      // A missing table or keyspace is the deployment's fault, not the record's.
      String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
      if (message.contains("unconfigured table")
          || message.contains("does not exist")
          || message.contains("undefined column")) {
        return ErrorKind.FATAL;
      }
      return ErrorKind.DEAD_LETTER; // the record: a value too large, a key too long
    }
    if (e instanceof FrameTooLongException
        || e instanceof CodecNotFoundException
        || e instanceof IllegalArgumentException) {
      return ErrorKind.DEAD_LETTER;
    }
    if (TransientErrors.isTransient(e)) {
      // Not the driver's own types, but a connection or Kafka failure by the platform's one rule.
      return ErrorKind.RETRY;
    }
    // Something not foreseen: stop rather than drop or loop.
    return ErrorKind.FATAL;
  }

  /** The failure inside the wrappers of futures. */
  public static Throwable unwrap(Throwable failure) {
    Throwable e = failure;
    while ((e instanceof CompletionException || e instanceof ExecutionException)
        && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }
}
