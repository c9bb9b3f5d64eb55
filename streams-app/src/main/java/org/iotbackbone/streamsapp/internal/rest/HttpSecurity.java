package org.iotbackbone.streamsapp.internal.rest;

import java.util.Objects;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import org.iotbackbone.streamsapp.internal.auth.Caller;

/**
 * Who may call the REST API and over what: how a request's {@code Authorization} header becomes a
 * {@link Caller} (throwing {@code Unauthorized} when it cannot), the TLS context of the listener
 * (null: plain HTTP, behind an ingress that terminates TLS), and the one of the client that
 * forwards reads to the other instances' listeners (null: the JVM's trust store).
 *
 * @param authenticator the header (null when absent) to the caller
 * @param tls the server's TLS context, or null
 * @param forwardingTls the forwarding client's TLS context (what it trusts), or null
 */
public record HttpSecurity(
    Function<String, Caller> authenticator, SSLContext tls, SSLContext forwardingTls) {

  public HttpSecurity {
    Objects.requireNonNull(authenticator, "authenticator");
  }

  /** Forwarding trusts what the JVM's trust store trusts. */
  public HttpSecurity(Function<String, Caller> authenticator, SSLContext tls) {
    this(authenticator, tls, null);
  }

  /**
   * No authentication (every request may do everything) and plain HTTP: what {@code
   * http.auth.enabled=false} gives, for a development stack or a test of something else.
   */
  public static HttpSecurity insecure() {
    return new HttpSecurity(header -> Caller.UNRESTRICTED, null, null);
  }

  /** Whether the listener speaks TLS (and instances forward to each other over https). */
  public boolean tlsEnabled() {
    return tls != null;
  }
}
