package org.iotbackbone.servers.runtime.hivemq;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

/**
 * Who may use which topics, as {@code HiveMqConfig} in local-servers writes it (the key names are
 * shared by convention: this module cannot depend on local-servers). The same rules as Mosquitto's
 * ACL file: {@code pattern readwrite devices/%c/#}, and {@code devices/#} for the back-end user.
 *
 * @param acl whether the rules apply; when false every client may do anything
 * @param devicePattern the subtree a device may use, {@code %c} standing for its client id; it ends
 *     with {@code /#}
 * @param backendFilter the subtree the back-end user may use; it ends with {@code /#}
 * @param backendUsername the back-end user's name
 * @param backendPassword the back-end user's password
 * @param tls whether the broker is secure: devices authenticate with a certificate (or a secret)
 *     and the back end with the certificate {@code backendIdentity}; the password is not used
 * @param crlFile the device CA's revocation list (PEM), with {@code tls}
 * @param secretsFile the per-device secrets (Mosquitto's password file format), with {@code tls}
 * @param backendIdentity the CN of the back end's certificate, with {@code tls}
 * @param backendSubscribeFilters what the back end may subscribe to, with {@code tls}
 * @param backendPublishFilters what the back end may publish to, with {@code tls}
 */
record AccessRules(
    boolean acl,
    String devicePattern,
    String backendFilter,
    String backendUsername,
    String backendPassword,
    boolean tls,
    Path crlFile,
    Path secretsFile,
    String backendIdentity,
    List<String> backendSubscribeFilters,
    List<String> backendPublishFilters) {

  AccessRules {
    for (String subtree : List.of(devicePattern, backendFilter)) {
      if (!subtree.endsWith("/#")) {
        throw new IllegalArgumentException("access rules: not a subtree (.../#): " + subtree);
      }
    }
  }

  static AccessRules load(Path file) {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the access rules " + file, e);
    }
    boolean tls = Boolean.parseBoolean(properties.getProperty("tls", "false"));
    return new AccessRules(
        Boolean.parseBoolean(required(properties, "acl", file)),
        required(properties, "device.pattern", file),
        required(properties, "backend.filter", file),
        required(properties, "backend.username", file),
        required(properties, "backend.password", file),
        tls,
        tls ? Path.of(required(properties, "tls.crl.file", file)) : null,
        tls ? Path.of(required(properties, "tls.secrets.file", file)) : null,
        tls ? required(properties, "tls.backend.identity", file) : null,
        tls ? filters(required(properties, "tls.backend.subscribe.filters", file)) : List.of(),
        tls ? filters(required(properties, "tls.backend.publish.filters", file)) : List.of());
  }

  private static List<String> filters(String commaSeparated) {
    return List.of(commaSeparated.split(","));
  }

  private static String required(Properties properties, String key, Path file) {
    String value = properties.getProperty(key);
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException("access rules " + file + ": missing '" + key + "'");
    }
    return value;
  }

  /**
   * The subtree a device may use, or null when its client id cannot stand in a topic level:
   * wildcards or a level separator would widen it (Mosquitto does not substitute those either).
   */
  String deviceFilter(String clientId) {
    if (clientId.isEmpty() || clientId.matches(".*[+#/].*")) {
      return null;
    }
    return devicePattern.replace("%c", clientId);
  }

  @Override
  public String toString() {
    return "AccessRules[acl="
        + acl
        + ", tls="
        + tls
        + ", backendUsername="
        + backendUsername
        + ", backendIdentity="
        + backendIdentity
        + "]";
  }
}
