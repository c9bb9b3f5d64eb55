package org.iotbackbone.schemas.errors;

import com.microsoft.kiota.ApiException;
import java.io.InterruptedIOException;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.errors.RetriableException;
import org.iotbackbone.schemas.registry.RegistryException;

/**
 * The one answer to "will this failure pass if the same input is tried again later?", for every
 * module: a record is dead-lettered only when the failure is its own (permanent), never because the
 * schema registry or Kafka was away for a moment (transient: retry, drop nothing).
 *
 * <table>
 *   <caption>How a failure is sorted (its cause chain is searched, outermost first)</caption>
 *   <tr><th>Failure</th><th>Transient?</th></tr>
 *   <tr><td>the registry answered 5xx, 408 or 429</td><td>yes</td></tr>
 *   <tr><td>the registry refused the service's credentials: 401, 403</td><td>yes</td></tr>
 *   <tr><td>the registry answered another 4xx (unknown id, refused schema)</td><td>no</td></tr>
 *   <tr><td>no answer: connection refused, host unknown or unreachable, a timeout</td>
 *       <td>yes</td></tr>
 *   <tr><td>Kafka's {@link RetriableException} (a broker timeout, no leader)</td><td>yes</td></tr>
 *   <tr><td>anything else: bytes that are not the schema's Avro, a bad frame, a bug</td>
 *       <td>no</td></tr>
 * </table>
 *
 * <p>The first HTTP answer found in the chain decides: a registry that answered 404 is not made
 * transient by the I/O exception a client library wrapped around it.
 */
public final class TransientErrors {

  private TransientErrors() {}

  /** Whether {@code failure} (or a cause of it) is one that passes: retry rather than give up. */
  public static boolean isTransient(Throwable failure) {
    // A set, not a depth count: cause chains can loop, and a loop must not hang the caller.
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Throwable e = failure; e != null && seen.add(e); e = e.getCause()) {
      int status = httpStatus(e);
      if (status > 0) {
        return isTransientStatus(status);
      }
      if (isNoAnswer(e) || e instanceof RetriableException) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether an HTTP status means "ask again later": 5xx, 408 Request Timeout, 429 Too Many, and 401
   * or 403. A refused login is the service's configuration (a rotated password, a missing grant),
   * not the record's fault: dead-lettering every record until an operator fixes it would take them
   * all off their path, so they wait, and the service says why in its log and readiness.
   */
  public static boolean isTransientStatus(int status) {
    return status >= 500 || status == 408 || status == 429 || status == 401 || status == 403;
  }

  /** The HTTP status a registry client carried in {@code e}, or 0 when it carries none. */
  private static int httpStatus(Throwable e) {
    if (e instanceof ApiException api) { // Apicurio's client (Kiota), behind the serdes
      return api.getResponseStatusCode();
    }
    if (e instanceof RegistryException registry) { // ConfluentRegistryClient
      return registry.status();
    }
    return 0;
  }

  /** Whether the failure is that no answer came: the registry or broker cannot be reached. */
  private static boolean isNoAnswer(Throwable e) {
    String type = e.getClass().getName();
    return e instanceof SocketException // ConnectException, NoRouteToHostException
        || e instanceof UnknownHostException
        || e instanceof HttpTimeoutException
        || e instanceof InterruptedIOException // SocketTimeoutException
        || e instanceof TimeoutException
        // Apicurio's client runs on Vert.x: a refused or dropped connection surfaces as one of
        // its exceptions or Netty's, whose types are not ours to depend on.
        || type.startsWith("io.vertx.")
        || type.startsWith("io.netty.channel.")
        || String.valueOf(e.getMessage()).contains("Connection refused");
  }
}
