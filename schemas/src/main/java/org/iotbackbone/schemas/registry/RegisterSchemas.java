package org.iotbackbone.schemas.registry;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.iotbackbone.schemas.config.CommonSettings;
import org.iotbackbone.schemas.config.ConfigLoader;
import org.iotbackbone.schemas.serde.RegistryConfig;
import org.iotbackbone.schemas.topics.Topics;

/**
 * The command that registers every topic's value schema with BACKWARD compatibility ({@code
 * docs/design.md}, "Kafka topics": TopicNameStrategy subjects, BACKWARD) before the services start:
 * the Kubernetes deployment's schema-registration Job. With {@code --wait} it registers nothing and
 * waits until every subject has this build's schema: the services' init containers.
 *
 * <pre>
 * java -cp 'lib/*' org.iotbackbone.schemas.registry.RegisterSchemas [--wait]
 *     [--timeout-seconds N] CONFLUENT_API_URL
 * </pre>
 *
 * <p>The URL is the registry's Confluent-compatible API, such as {@code
 * http://apicurio-registry:8080/apis/ccompat/v7}. A registry behind a login or TLS of its own CA
 * takes the services' {@code schema.registry.*} settings from the environment, under {@value
 * #ENV_PREFIX}: {@code IOT_REGISTER_SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO}, {@code
 * IOT_REGISTER_SCHEMA_REGISTRY_SSL_TRUSTSTORE_LOCATION}, {@code ..._PASSWORD}, {@code ..._TYPE}.
 * Exit code 0 when done, 1 when the registry refused a schema or did not answer in time, 2 for a
 * bad command line or setting.
 */
public final class RegisterSchemas {

  /** The prefix of the environment variables of the registry's settings. */
  public static final String ENV_PREFIX = "IOT_REGISTER_";

  /** How long to wait for the registry by default: it may start in the same rollout as Kafka. */
  static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);

  private static final String USAGE =
      "usage: RegisterSchemas [--wait] [--timeout-seconds N] CONFLUENT_API_URL\n"
          + "  registers every topic's value schema with BACKWARD compatibility, or with --wait\n"
          + "  waits until every subject has it; the URL is the registry's Confluent API, such as\n"
          + "  http://apicurio-registry:8080/apis/ccompat/v7";

  private RegisterSchemas() {}

  public static void main(String[] args) {
    System.exit(run(args, System.getenv(), Duration.ofSeconds(2), System.out, System.err));
  }

  /**
   * Runs the command and returns its exit code.
   *
   * @param pollInterval the pause between two tries while the registry is not ready
   */
  static int run(
      String[] args,
      Map<String, String> environment,
      Duration pollInterval,
      PrintStream out,
      PrintStream err) {
    boolean waitOnly = false;
    Duration timeout = DEFAULT_TIMEOUT;
    List<String> positional = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--wait" -> waitOnly = true;
        case "--timeout-seconds" -> {
          if (i + 1 == args.length) {
            err.println("--timeout-seconds needs a value\n" + USAGE);
            return 2;
          }
          String value = args[++i];
          if (!value.matches("\\d{1,9}")) {
            err.println("--timeout-seconds must be a whole number of seconds: " + value);
            err.println(USAGE);
            return 2;
          }
          timeout = Duration.ofSeconds(Long.parseLong(value));
        }
        default -> {
          if (args[i].startsWith("--")) {
            err.println("unknown option " + args[i] + "\n" + USAGE);
            return 2;
          }
          positional.add(args[i]);
        }
      }
    }
    if (positional.size() != 1 || !positional.get(0).matches("https?://.+")) {
      err.println("one http(s) URL of the registry's Confluent API expected: " + positional);
      err.println(USAGE);
      return 2;
    }
    RegistryConfig registry;
    try {
      registry = registry(positional.get(0), environment);
    } catch (ConfigException | IllegalArgumentException e) {
      err.println("bad registry setting: " + e.getMessage());
      return 2;
    }
    SchemaRegistration registration =
        new SchemaRegistration(
            new ConfluentRegistryClient(registry), Topics.all(), timeout, pollInterval, out);
    try {
      if (waitOnly) {
        registration.awaitRegistered();
        out.println("every schema is registered");
      } else {
        registration.registerAll(Compatibility.BACKWARD);
        out.println("registered " + Topics.all().size() + " schemas");
      }
      return 0;
    } catch (RuntimeException e) {
      err.println("schema registration failed: " + e.getMessage());
      if (e.getCause() != null) {
        err.println("  cause: " + e.getCause());
      }
      return 1;
    }
  }

  /** The registry at {@code url}, with the environment's credentials and trust store. */
  private static RegistryConfig registry(String url, Map<String, String> environment) {
    Map<String, Object> settings =
        new ConfigLoader(CommonSettings.schemaRegistryDefinition(), ENV_PREFIX)
            .load(
                Map.of(),
                "no file",
                environment,
                Map.of(CommonSettings.SCHEMA_REGISTRY_URL_CONFIG, url));
    RegistryConfig registry = CommonSettings.schemaRegistry(settings, "the environment");
    if (registry.api() != RegistryConfig.Api.CONFLUENT) {
      throw new IllegalArgumentException(
          "registration speaks the Confluent API, not Apicurio's own: " + url);
    }
    return registry;
  }
}
