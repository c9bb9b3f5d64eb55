package org.iotbackbone.streamsapp;

import static org.iotbackbone.streamsapp.StreamsAppConfig.HTTP_AUTH_AUDIENCE_CONFIG;
import static org.iotbackbone.streamsapp.StreamsAppConfig.HTTP_AUTH_CLOCK_SKEW_SECONDS_CONFIG;
import static org.iotbackbone.streamsapp.StreamsAppConfig.HTTP_AUTH_ENABLED_CONFIG;
import static org.iotbackbone.streamsapp.StreamsAppConfig.HTTP_AUTH_ISSUER_CONFIG;
import static org.iotbackbone.streamsapp.StreamsAppConfig.HTTP_AUTH_JWKS_URL_CONFIG;
import static org.iotbackbone.streamsapp.StreamsAppConfig.HTTP_AUTH_PUBLIC_KEY_FILE_CONFIG;
import static org.iotbackbone.streamsapp.StreamsAppConfig.HTTP_TLS_KEYSTORE_FILE_CONFIG;
import static org.iotbackbone.streamsapp.StreamsAppConfig.HTTP_TLS_KEYSTORE_PASSWORD_CONFIG;
import static org.iotbackbone.streamsapp.StreamsAppConfig.HTTP_TLS_KEYSTORE_TYPE_CONFIG;
import static org.iotbackbone.streamsapp.StreamsAppConfig.HTTP_TLS_TRUSTSTORE_FILE_CONFIG;
import static org.iotbackbone.streamsapp.StreamsAppConfig.HTTP_TLS_TRUSTSTORE_PASSWORD_CONFIG;
import static org.iotbackbone.streamsapp.StreamsAppConfig.HTTP_TLS_TRUSTSTORE_TYPE_CONFIG;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;
import org.iotbackbone.schemas.config.Validators;
import org.iotbackbone.streamsapp.internal.auth.Caller;
import org.iotbackbone.streamsapp.internal.auth.TokenVerifier;
import org.iotbackbone.streamsapp.internal.auth.VerificationKeys;
import org.iotbackbone.streamsapp.internal.rest.HttpSecurity;
import org.iotbackbone.streamsapp.internal.rest.ServerTls;

/**
 * The {@code http.auth.*} and {@code http.tls.*} keys of {@link StreamsAppConfig} turned into the
 * API's {@link HttpSecurity}, with their cross-field rules: secure by default, so with auth on (the
 * default) a missing issuer, audience or key source is an error naming the key.
 */
final class HttpSecuritySettings {

  /** Empty (not set) or an http(s) URL. */
  static final ConfigDef.Validator EMPTY_OR_HTTP_URL =
      ConfigDef.LambdaValidator.with(
          (name, value) -> {
            if (value != null && !value.toString().isEmpty()) {
              Validators.httpUrl().ensureValid(name, value);
            }
          },
          () -> "empty, or an http(s) URL");

  private HttpSecuritySettings() {}

  static HttpSecurity build(StreamsAppConfig config) {
    SSLContext tls = tls(config);
    SSLContext forwarding = forwardingTls(config, tls != null);
    if (!config.getBoolean(HTTP_AUTH_ENABLED_CONFIG)) {
      return new HttpSecurity(header -> Caller.UNRESTRICTED, tls, forwarding);
    }
    String issuer = required(config, HTTP_AUTH_ISSUER_CONFIG);
    String audience = required(config, HTTP_AUTH_AUDIENCE_CONFIG);
    TokenVerifier verifier =
        new TokenVerifier(
            keys(config),
            issuer,
            audience,
            Duration.ofSeconds(config.getInt(HTTP_AUTH_CLOCK_SKEW_SECONDS_CONFIG)));
    return new HttpSecurity(verifier::verify, tls, forwarding);
  }

  private static JWKSource<SecurityContext> keys(StreamsAppConfig config) {
    String file = config.getString(HTTP_AUTH_PUBLIC_KEY_FILE_CONFIG);
    String url = config.getString(HTTP_AUTH_JWKS_URL_CONFIG);
    if (file.isEmpty() == url.isEmpty()) {
      throw new ConfigException(
          HTTP_AUTH_PUBLIC_KEY_FILE_CONFIG,
          file,
          "set exactly one of "
              + HTTP_AUTH_PUBLIC_KEY_FILE_CONFIG
              + " and "
              + HTTP_AUTH_JWKS_URL_CONFIG
              + " while "
              + HTTP_AUTH_ENABLED_CONFIG
              + " is true (false turns authentication off)");
    }
    try {
      return file.isEmpty()
          ? VerificationKeys.fromUrl(URI.create(url))
          : VerificationKeys.fromFile(Path.of(file));
    } catch (IOException e) {
      throw new ConfigException(
          file.isEmpty() ? HTTP_AUTH_JWKS_URL_CONFIG : HTTP_AUTH_PUBLIC_KEY_FILE_CONFIG,
          file.isEmpty() ? url : file,
          e.getMessage());
    }
  }

  private static String required(StreamsAppConfig config, String key) {
    String value = config.getString(key);
    if (value.isBlank()) {
      throw new ConfigException(
          key, value, "required while " + HTTP_AUTH_ENABLED_CONFIG + " is true");
    }
    return value;
  }

  /** The forwarding client's context: the trust store's, or null for the JVM's defaults. */
  private static SSLContext forwardingTls(StreamsAppConfig config, boolean listenerTls) {
    String file = config.getString(HTTP_TLS_TRUSTSTORE_FILE_CONFIG);
    if (file.isEmpty()) {
      return null;
    }
    if (!listenerTls) {
      // Without TLS on the listeners nothing is forwarded over https: a trust store then is a
      // mistake (a missing key store), not something to ignore.
      throw new ConfigException(
          HTTP_TLS_TRUSTSTORE_FILE_CONFIG,
          file,
          "only with " + HTTP_TLS_KEYSTORE_FILE_CONFIG + " (the listeners speak plain HTTP)");
    }
    Password password = config.getPassword(HTTP_TLS_TRUSTSTORE_PASSWORD_CONFIG);
    try {
      return ServerTls.trusting(
          Path.of(file),
          password == null ? null : password.value().toCharArray(),
          config.getString(HTTP_TLS_TRUSTSTORE_TYPE_CONFIG));
    } catch (IOException | GeneralSecurityException e) {
      throw new ConfigException(
          HTTP_TLS_TRUSTSTORE_FILE_CONFIG, file, "cannot be loaded: " + e.getMessage());
    }
  }

  private static SSLContext tls(StreamsAppConfig config) {
    String file = config.getString(HTTP_TLS_KEYSTORE_FILE_CONFIG);
    if (file.isEmpty()) {
      return null;
    }
    Password password = config.getPassword(HTTP_TLS_KEYSTORE_PASSWORD_CONFIG);
    if (password == null) {
      throw new ConfigException(
          HTTP_TLS_KEYSTORE_PASSWORD_CONFIG,
          null,
          "required when " + HTTP_TLS_KEYSTORE_FILE_CONFIG + " is set");
    }
    try {
      return ServerTls.fromKeyStore(
          Path.of(file),
          password.value().toCharArray(),
          config.getString(HTTP_TLS_KEYSTORE_TYPE_CONFIG));
    } catch (IOException | GeneralSecurityException e) {
      throw new ConfigException(
          HTTP_TLS_KEYSTORE_FILE_CONFIG, file, "cannot be loaded: " + e.getMessage());
    }
  }
}
