package org.iotbackbone.localstack.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.iotbackbone.schemas.access.KafkaAccess;
import org.iotbackbone.schemas.access.Principal;
import org.iotbackbone.schemas.access.Principals;
import org.iotbackbone.schemas.config.EnvironmentRule;
import org.iotbackbone.servers.KafkaBroker;

/**
 * Who the stack's parts are on Kafka ({@code docs/design.md}, "Device identity and access"). A
 * secured stack (the default) runs Kafka with SCRAM and ACLs: {@link #putPrincipals} gives every
 * principal of {@link Principals} a password and its ACLs, each part connects as its own principal,
 * and {@code principals/NAME.properties} holds each one's client settings for the user's own tools
 * ({@code kafka-console-consumer --consumer.config .iot/principals/analyst.properties}). An
 * insecure stack ({@code ./iot up --insecure}) runs Kafka on PLAINTEXT, as before.
 */
public final class StackSecurity {

  /** The principal of the stack's own tools (the simulator, chaos, fuzzing): an operator's. */
  public static final String TOOLS_PRINCIPAL = Principals.ADMIN.name();

  private final boolean secured;
  private final Path principalsDir;
  private final Map<String, String> passwords = new TreeMap<>();

  private StackSecurity(boolean secured, Path principalsDir, String superUserPassword) {
    this.secured = secured;
    this.principalsDir = principalsDir;
    if (secured) {
      passwords.put(Principals.ADMIN.name(), superUserPassword);
    }
  }

  /** A secured stack whose Kafka is started with a new super user password. */
  public static StackSecurity secured(Path principalsDir) {
    return new StackSecurity(true, principalsDir, KafkaAccess.newPassword());
  }

  /** A secured stack on a Kafka that runs already, whose super user has that password. */
  public static StackSecurity secured(Path principalsDir, String superUserPassword) {
    return new StackSecurity(true, principalsDir, superUserPassword);
  }

  /** An insecure stack: Kafka on PLAINTEXT, no principals. */
  public static StackSecurity insecure(Path principalsDir) {
    return new StackSecurity(false, principalsDir, null);
  }

  /** Whether Kafka runs with SCRAM and ACLs. */
  public boolean secured() {
    return secured;
  }

  /** The super user's password, for starting Kafka. */
  public String superUserPassword() {
    return passwords.get(Principals.ADMIN.name());
  }

  /**
   * Gives each principal a password and its ACLs on Kafka (as the super user), and writes every
   * principal's client properties file. Nothing for an insecure stack.
   */
  public synchronized void putPrincipals(String bootstrap, Principals.AppIds ids) {
    if (!secured) {
      return;
    }
    List<Principal> principals = Principals.all(ids);
    for (Principal principal : principals) {
      passwords.computeIfAbsent(principal.name(), name -> KafkaAccess.newPassword());
    }
    Map<String, Object> admin = new LinkedHashMap<>(clientSettings(TOOLS_PRINCIPAL));
    admin.put("bootstrap.servers", bootstrap);
    try (Admin client = Admin.create(admin)) {
      KafkaAccess.apply(client, principals, passwords, Duration.ofMinutes(2));
    }
    for (Principal principal : principals) {
      writePropertiesFile(principal.name(), bootstrap);
    }
  }

  /**
   * What a Kafka client sets besides {@code bootstrap.servers} to connect as that principal: empty
   * for an insecure stack.
   */
  public synchronized Map<String, String> clientSettings(String principal) {
    if (!secured) {
      return Map.of();
    }
    String password = passwords.get(principal);
    if (password == null) {
      throw new IllegalStateException("principal " + principal + " has no password yet");
    }
    return KafkaBroker.scramClientSettings(principal, password);
  }

  /**
   * {@link #clientSettings} as the environment variables of a service that reads {@code kafka.*}
   * settings under {@code prefix} ({@code IOT_BRIDGE_} gives {@code
   * IOT_BRIDGE_KAFKA_SECURITY_PROTOCOL}).
   */
  public Map<String, String> environment(String prefix, String principal) {
    EnvironmentRule rule = new EnvironmentRule(prefix);
    Map<String, String> variables = new TreeMap<>();
    clientSettings(principal)
        .forEach((key, value) -> variables.put(rule.kafkaVariableOf(key), value));
    return variables;
  }

  /** The client properties file of a principal ({@code principals/NAME.properties}). */
  public Path propertiesFile(String principal) {
    return principalsDir.resolve(principal + ".properties");
  }

  /** The file {@code endpoints.env} names for the stack's tools; empty for an insecure stack. */
  public String toolsPropertiesFile() {
    return secured ? propertiesFile(TOOLS_PRINCIPAL).toString() : "";
  }

  private void writePropertiesFile(String principal, String bootstrap) {
    Properties properties = new Properties();
    properties.put("bootstrap.servers", bootstrap);
    properties.putAll(clientSettings(principal));
    Path file = propertiesFile(principal);
    try {
      Files.createDirectories(principalsDir);
      Files.deleteIfExists(file);
      // Readable by the user alone: it holds the principal's password.
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      try (Writer out = Files.newBufferedWriter(file)) {
        properties.store(
            out,
            "Kafka client settings of principal "
                + principal
                + " on the local stack, written by ./iot up");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
