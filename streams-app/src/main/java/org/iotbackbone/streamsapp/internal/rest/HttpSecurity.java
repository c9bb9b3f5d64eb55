package org.iotbackbone.streamsapp.internal.rest;

import java.util.Objects;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import org.iotbackbone.streamsapp.internal.auth.Caller;

/**
 * Who may call the REST API and over what: how a request's {@code Authorization} header becomes a
 * {@link Caller} (throwing {@code Unauthorized} when it cannot), and the TLS context of the
 * listener (null: plain HTTP, behind an ingress that terminates TLS).
 *
 * @param authenticator the header (null when absent) to the caller
 * @param tls the server's TLS context, or null
 */
public record HttpSecurity(Function<String, Caller> authenticator, SSLContext tls) {

  public HttpSecurity {
    Objects.requireNonNull(authenticator, "authenticator");
  }

  /**
   * No authentication (every request may do everything) and plain HTTP: what {@code
   * http.auth.enabled=false} gives, for a development stack or a test of something else.
   */
  public static HttpSecurity insecure() {
    return new HttpSecurity(header -> Caller.UNRESTRICTED, null);
  }

  /** Whether the listener speaks TLS (and instances forward to each other over https). */
  public boolean tlsEnabled() {
    return tls != null;
  }
}
