package org.iotbackbone.schemas.serde;

import java.net.URI;
import java.util.Objects;

/**
 * Where the schema registry is, for the serdes.
 *
 * @param url the registry's Apicurio API, such as {@code http://127.0.0.1:8080/apis/registry/v3}
 * @param autoRegister whether a producer registers the schema of what it writes when the subject
 *     does not have it yet; off where schemas are registered ahead by the deployment
 */
public record RegistryConfig(String url, boolean autoRegister) {

  public RegistryConfig {
    Objects.requireNonNull(url, "url");
    URI uri = URI.create(url);
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
      throw new IllegalArgumentException("schema registry url must be http(s): " + url);
    }
  }

  /** A registry at that address that producers may register schemas with. */
  public static RegistryConfig of(String url) {
    return new RegistryConfig(url, true);
  }
}
