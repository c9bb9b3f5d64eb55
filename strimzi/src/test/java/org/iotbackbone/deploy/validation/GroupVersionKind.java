package org.iotbackbone.deploy.validation;

import tools.jackson.databind.JsonNode;

/**
 * What a Kubernetes document is: its {@code apiVersion} ({@code group/version}, or {@code version}
 * for the core group) and {@code kind}.
 */
public record GroupVersionKind(String apiVersion, String kind) {

  /** Reads {@code apiVersion} and {@code kind} of a document (empty strings where missing). */
  public static GroupVersionKind of(JsonNode document) {
    return new GroupVersionKind(
        document.path("apiVersion").asString(""), document.path("kind").asString(""));
  }

  /** The API group, empty for the core group. */
  public String group() {
    int slash = apiVersion.indexOf('/');
    return slash < 0 ? "" : apiVersion.substring(0, slash);
  }

  @Override
  public String toString() {
    return kind + " (" + apiVersion + ")";
  }
}
