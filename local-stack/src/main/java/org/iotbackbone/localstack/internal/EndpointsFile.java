package org.iotbackbone.localstack.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.iotbackbone.simulator.Endpoints;

/**
 * The stack's {@code endpoints.env}: every address a user or the simulator needs, as shell
 * variables ({@code . .iot/endpoints.env}).
 */
public final class EndpointsFile {

  private EndpointsFile() {}

  /** Writes the file; returns the endpoints it holds. */
  public static Endpoints write(
      StackDir dir,
      StackServers servers,
      StackSecurity security,
      String keyspace,
      String restUrl,
      String connectUrl,
      String bridgeUrl,
      String restToken)
      throws IOException {
    Map<String, String> variables = new LinkedHashMap<>();
    List<String> mqttUrls = servers.mqttBrokers().stream().map(Endpoints::mqttUrl).toList();
    variables.put(Endpoints.MQTT_URL, mqttUrls.get(0));
    variables.put(Endpoints.MQTT_URLS, String.join(",", mqttUrls));
    variables.put(Endpoints.KAFKA_BOOTSTRAP, servers.kafkaBootstrap());
    if (security.secured()) {
      // Each principal's client settings are in the directory; the tools log in as an operator.
      variables.put("KAFKA_PRINCIPALS_DIR", dir.principals().toString());
      variables.put(Endpoints.KAFKA_CLIENT_CONFIG, security.toolsPropertiesFile());
    }
    variables.put(Endpoints.REGISTRY_URL, servers.registryConfluentUrl());
    variables.put(Endpoints.REGISTRY_APICURIO_URL, servers.registryApicurioUrl());
    variables.put("CQL_CONTACT_POINTS", servers.cqlContactPoint());
    variables.put("CQL_DATACENTER", servers.cqlDatacenter());
    variables.put("CQL_KEYSPACE", keyspace);
    variables.put(Endpoints.REST_URL, restUrl);
    // Every scope, every device: curl -H "Authorization: Bearer $REST_TOKEN" $REST_URL/...
    variables.put(Endpoints.REST_TOKEN, restToken);
    variables.put("CONNECT_URL", connectUrl);
    variables.put("BRIDGE_URL", bridgeUrl);
    StringBuilder file =
        new StringBuilder(
            "# The local stack's endpoints, written by ./iot up at "
                + Instant.now()
                + ".\n# Use them in a shell: . "
                + dir.endpoints()
                + "\n");
    variables.forEach((name, value) -> file.append(name).append('=').append(value).append('\n'));
    // It holds a token with every scope: readable by its owner only.
    Path temporary = Files.createTempFile(dir.root(), "endpoints", ".tmp");
    try {
      Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system.
    }
    Files.writeString(temporary, file.toString());
    Files.move(temporary, dir.endpoints(), StandardCopyOption.REPLACE_EXISTING);
    return Endpoints.fromVariables(variables, dir.endpoints().toString());
  }
}
