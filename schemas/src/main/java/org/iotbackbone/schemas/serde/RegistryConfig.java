package org.iotbackbone.schemas.serde;

import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * Where the schema registry is and how to talk to it, for the serdes and the registration job.
 *
 * <p>The registry may speak the Confluent REST API (Confluent Schema Registry, Karapace, Redpanda,
 * Apicurio's {@code /apis/ccompat/v7}) or Apicurio's own ({@code /apis/registry/v3}); {@link
 * #of(String)} tells which from the URL's form, and {@link #withApi(Api)} says it outright. Both
 * write the same records: the Confluent frame, with the id the Confluent API serves the schema
 * under.
 */
public final class RegistryConfig {

  /** The registry API the serdes speak. */
  public enum Api {
    /** The Confluent REST API: {@code /subjects/...}, {@code /schemas/ids/{id}}. */
    CONFLUENT,
    /** Apicurio Registry's own API, version 3. */
    APICURIO;

    /**
     * The API an address is of: Apicurio's when its path is Apicurio's own API ({@code
     * /apis/registry/...}), the Confluent API otherwise (a registry's root, or Apicurio's {@code
     * /apis/ccompat/v7}).
     */
    public static Api of(String url) {
      String path = URI.create(url).getPath();
      return path != null && path.contains("/apis/registry/") ? APICURIO : CONFLUENT;
    }
  }

  /**
   * A trust store for the registry's TLS certificate.
   *
   * @param location a PKCS12, JKS or PEM (certificates) file
   * @param password its password; null for PEM or a store without one
   * @param type {@code PKCS12}, {@code JKS} or {@code PEM}
   */
  public record TrustStore(Path location, String password, String type) {

    public TrustStore {
      Objects.requireNonNull(location, "location");
      Objects.requireNonNull(type, "type");
      type = type.toUpperCase(Locale.ROOT);
      if (!type.equals("PKCS12") && !type.equals("JKS") && !type.equals("PEM")) {
        throw new IllegalArgumentException("trust store type must be PKCS12, JKS or PEM: " + type);
      }
    }

    @Override
    public String toString() {
      return "TrustStore[" + location + ", " + type + (password == null ? "" : ", password") + "]";
    }
  }

  private final String url;
  private final Api api;
  private final boolean autoRegister;
  private final String userInfo;
  private final TrustStore trustStore;

  private RegistryConfig(
      String url, Api api, boolean autoRegister, String userInfo, TrustStore trustStore) {
    this.url = Objects.requireNonNull(url, "url");
    URI uri = URI.create(url);
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
      throw new IllegalArgumentException("schema registry url must be http(s): " + url);
    }
    this.api = Objects.requireNonNull(api, "api");
    this.autoRegister = autoRegister;
    if (userInfo != null && userInfo.indexOf(':') < 1) {
      throw new IllegalArgumentException("registry basic auth must be user:password");
    }
    this.userInfo = userInfo;
    this.trustStore = trustStore;
  }

  /**
   * A registry at that address, its API told by the address's form, that producers may register
   * schemas with, without credentials, trusting the JVM's default certificate authorities.
   */
  public static RegistryConfig of(String url) {
    return new RegistryConfig(url, Api.of(url), true, null, null);
  }

  /** The same, speaking {@code api} whatever the address looks like. */
  public RegistryConfig withApi(Api api) {
    return new RegistryConfig(url, api, autoRegister, userInfo, trustStore);
  }

  /**
   * The same, with producers registering the schema of what they write when the subject does not
   * have it yet ({@code true}), or only looking it up ({@code false}: where the deployment
   * registers schemas ahead, with the subject's compatibility level).
   */
  public RegistryConfig withAutoRegister(boolean autoRegister) {
    return new RegistryConfig(url, api, autoRegister, userInfo, trustStore);
  }

  /** The same, sending HTTP basic credentials, {@code user:password}; null for none. */
  public RegistryConfig withBasicAuth(String userInfo) {
    return new RegistryConfig(url, api, autoRegister, userInfo, trustStore);
  }

  /** The same, trusting the registry's certificate through this store; null for the JVM's. */
  public RegistryConfig withTrustStore(TrustStore trustStore) {
    return new RegistryConfig(url, api, autoRegister, userInfo, trustStore);
  }

  /** The registry's address: its Confluent API's base, or Apicurio's API. */
  public String url() {
    return url;
  }

  public Api api() {
    return api;
  }

  public boolean autoRegister() {
    return autoRegister;
  }

  /** The basic credentials, {@code user:password}, or null. */
  public String basicAuthUserInfo() {
    return userInfo;
  }

  /** The user of the basic credentials, or null. */
  public String username() {
    return userInfo == null ? null : userInfo.substring(0, userInfo.indexOf(':'));
  }

  /** The password of the basic credentials, or null. */
  public String password() {
    return userInfo == null ? null : userInfo.substring(userInfo.indexOf(':') + 1);
  }

  /** The trust store for the registry's certificate, or null for the JVM's default. */
  public TrustStore trustStore() {
    return trustStore;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RegistryConfig other
        && url.equals(other.url)
        && api == other.api
        && autoRegister == other.autoRegister
        && Objects.equals(userInfo, other.userInfo)
        && Objects.equals(trustStore, other.trustStore);
  }

  @Override
  public int hashCode() {
    return Objects.hash(url, api, autoRegister, userInfo, trustStore);
  }

  /** Without the password. */
  @Override
  public String toString() {
    return "RegistryConfig["
        + url
        + ", "
        + api
        + (autoRegister ? ", auto-register" : "")
        + (userInfo == null ? "" : ", user " + username())
        + (trustStore == null ? "" : ", " + trustStore)
        + "]";
  }
}
