package org.iotbackbone.schemas.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;
import org.iotbackbone.schemas.serde.RegistryConfig;

/**
 * The settings every service that talks to Kafka and the registry has, declared once so that they
 * have the same name, type, validation and documentation in each: {@value
 * #BOOTSTRAP_SERVERS_CONFIG} and the {@code schema.registry.*} keys.
 *
 * <p>The registry keys follow Confluent's client settings where Confluent has one ({@code
 * basic.auth.user.info}, {@code ssl.truststore.*}), under the {@code schema.registry.} prefix so
 * they cannot be mistaken for the Kafka client's own {@code ssl.*}.
 */
public final class CommonSettings {

  /** Kafka's brokers, as every Kafka client names them. */
  public static final String BOOTSTRAP_SERVERS_CONFIG = "bootstrap.servers";

  private static final String BOOTSTRAP_SERVERS_DOC = "The Kafka brokers, host:port[,host:port].";

  /** The schema registry the service reads and writes Avro schemas with. */
  public static final String SCHEMA_REGISTRY_URL_CONFIG = "schema.registry.url";

  private static final String SCHEMA_REGISTRY_URL_DOC =
      "The schema registry: the base of its Confluent REST API (http://registry:8081 for Confluent"
          + " Schema Registry, Karapace or Redpanda; http://apicurio:8080/apis/ccompat/v7 for"
          + " Apicurio) or Apicurio's own API (http://apicurio:8080/apis/registry/v3).";

  /** Which API the registry URL is of. */
  public static final String SCHEMA_REGISTRY_API_CONFIG = "schema.registry.api";

  private static final String SCHEMA_REGISTRY_API_DOC =
      "The API of schema.registry.url: confluent, apicurio, or auto (apicurio when the path has"
          + " /apis/registry/, confluent otherwise). Records are the same either way.";

  /** Whether producers register the schemas they write. */
  public static final String SCHEMA_REGISTRY_AUTO_REGISTER_CONFIG = "schema.registry.auto.register";

  private static final String SCHEMA_REGISTRY_AUTO_REGISTER_DOC =
      "Whether the service registers a schema it writes that its subject lacks; false where the"
          + " deployment registers the schemas ahead with BACKWARD compatibility (production, ./iot"
          + " up): a missing schema is then an error, not a new version.";

  /** Basic credentials for the registry. */
  public static final String SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO_CONFIG =
      "schema.registry.basic.auth.user.info";

  private static final String SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO_DOC =
      "HTTP basic credentials for the registry, user:password; empty for none.";

  /** A trust store for the registry's TLS certificate. */
  public static final String SCHEMA_REGISTRY_SSL_TRUSTSTORE_LOCATION_CONFIG =
      "schema.registry.ssl.truststore.location";

  private static final String SCHEMA_REGISTRY_SSL_TRUSTSTORE_LOCATION_DOC =
      "A trust store file for an https registry whose certificate the JVM's default authorities"
          + " do not sign; empty for the JVM's.";

  /** The trust store's password. */
  public static final String SCHEMA_REGISTRY_SSL_TRUSTSTORE_PASSWORD_CONFIG =
      "schema.registry.ssl.truststore.password";

  private static final String SCHEMA_REGISTRY_SSL_TRUSTSTORE_PASSWORD_DOC =
      "The trust store's password; empty for none (PEM).";

  /** The trust store's type. */
  public static final String SCHEMA_REGISTRY_SSL_TRUSTSTORE_TYPE_CONFIG =
      "schema.registry.ssl.truststore.type";

  private static final String SCHEMA_REGISTRY_SSL_TRUSTSTORE_TYPE_DOC =
      "The trust store's type: PKCS12, JKS or PEM (a file of certificates).";

  private static final ConfigDef REGISTRY_DEFINITION = defineSchemaRegistry(new ConfigDef());

  private CommonSettings() {}

  /** The registry settings alone: what {@link #defineSchemaRegistry} defines. */
  public static ConfigDef schemaRegistryDefinition() {
    return defineSchemaRegistry(new ConfigDef());
  }

  /** {@code definition} with the required {@value #BOOTSTRAP_SERVERS_CONFIG}. */
  public static ConfigDef defineBootstrapServers(ConfigDef definition) {
    return definition.define(
        BOOTSTRAP_SERVERS_CONFIG,
        Type.LIST,
        ConfigDef.NO_DEFAULT_VALUE,
        ConfigDef.CompositeValidator.of(
            ConfigDef.ValidList.anyNonDuplicateValues(false, false), Validators.hostPortList()),
        Importance.HIGH,
        BOOTSTRAP_SERVERS_DOC);
  }

  /**
   * {@code definition} with the required {@value #SCHEMA_REGISTRY_URL_CONFIG} and the optional
   * {@code schema.registry.*} settings of its API, registration, credentials and TLS.
   */
  public static ConfigDef defineSchemaRegistry(ConfigDef definition) {
    return definition
        .define(
            SCHEMA_REGISTRY_URL_CONFIG,
            Type.STRING,
            ConfigDef.NO_DEFAULT_VALUE,
            Validators.httpUrl(),
            Importance.HIGH,
            SCHEMA_REGISTRY_URL_DOC)
        .define(
            SCHEMA_REGISTRY_API_CONFIG,
            Type.STRING,
            "auto",
            ConfigDef.CaseInsensitiveValidString.in("auto", "confluent", "apicurio"),
            Importance.LOW,
            SCHEMA_REGISTRY_API_DOC)
        .define(
            SCHEMA_REGISTRY_AUTO_REGISTER_CONFIG,
            Type.BOOLEAN,
            true,
            Importance.MEDIUM,
            SCHEMA_REGISTRY_AUTO_REGISTER_DOC)
        .define(
            SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO_CONFIG,
            Type.PASSWORD,
            null,
            userInfo(),
            Importance.MEDIUM,
            SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO_DOC)
        .define(
            SCHEMA_REGISTRY_SSL_TRUSTSTORE_LOCATION_CONFIG,
            Type.STRING,
            null,
            readableFileOrEmpty(),
            Importance.LOW,
            SCHEMA_REGISTRY_SSL_TRUSTSTORE_LOCATION_DOC)
        .define(
            SCHEMA_REGISTRY_SSL_TRUSTSTORE_PASSWORD_CONFIG,
            Type.PASSWORD,
            null,
            Importance.LOW,
            SCHEMA_REGISTRY_SSL_TRUSTSTORE_PASSWORD_DOC)
        .define(
            SCHEMA_REGISTRY_SSL_TRUSTSTORE_TYPE_CONFIG,
            Type.STRING,
            "PKCS12",
            ConfigDef.CaseInsensitiveValidString.in("PKCS12", "JKS", "PEM"),
            Importance.LOW,
            SCHEMA_REGISTRY_SSL_TRUSTSTORE_TYPE_DOC);
  }

  /**
   * The registry settings alone, for a client that has no other ({@code RegisterSchemas}, the
   * simulator's endpoints): {@code schema.registry.url} and the rest of {@link
   * #defineSchemaRegistry}.
   *
   * @param where where the settings come from, for the message of an unknown key
   * @throws ConfigException naming an unknown key or a bad value
   */
  public static RegistryConfig schemaRegistry(Map<String, ?> settings, String where) {
    ConfigLoader.requireKnown(REGISTRY_DEFINITION, settings, where);
    return schemaRegistry(new AbstractConfig(REGISTRY_DEFINITION, settings, false));
  }

  /** The registry settings of a config defined with {@link #defineSchemaRegistry}. */
  public static RegistryConfig schemaRegistry(AbstractConfig config) {
    String url = config.getString(SCHEMA_REGISTRY_URL_CONFIG);
    RegistryConfig registry =
        RegistryConfig.of(url)
            .withAutoRegister(config.getBoolean(SCHEMA_REGISTRY_AUTO_REGISTER_CONFIG));
    String api = config.getString(SCHEMA_REGISTRY_API_CONFIG).toUpperCase(Locale.ROOT);
    if (!api.equals("AUTO")) {
      registry = registry.withApi(RegistryConfig.Api.valueOf(api));
    }
    String userInfo = text(config.getPassword(SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO_CONFIG));
    if (userInfo != null) {
      registry = registry.withBasicAuth(userInfo);
    }
    String location = config.getString(SCHEMA_REGISTRY_SSL_TRUSTSTORE_LOCATION_CONFIG);
    if (location != null && !location.isBlank()) {
      registry =
          registry.withTrustStore(
              new RegistryConfig.TrustStore(
                  Path.of(location),
                  text(config.getPassword(SCHEMA_REGISTRY_SSL_TRUSTSTORE_PASSWORD_CONFIG)),
                  config.getString(SCHEMA_REGISTRY_SSL_TRUSTSTORE_TYPE_CONFIG)));
    }
    return registry;
  }

  private static String text(Password password) {
    return password == null || password.value().isEmpty() ? null : password.value();
  }

  /** Empty, or {@code user:password} with a non-empty user. */
  private static ConfigDef.Validator userInfo() {
    return new ConfigDef.Validator() {
      @Override
      public void ensureValid(String name, Object value) {
        String text = value instanceof Password p ? p.value() : null;
        if (text != null && !text.isEmpty() && text.indexOf(':') < 1) {
          // Not the value: it is a secret.
          throw new ConfigException(name + " must be user:password");
        }
      }

      @Override
      public String toString() {
        return "user:password";
      }
    };
  }

  /** Empty, or a file that exists and can be read. */
  private static ConfigDef.Validator readableFileOrEmpty() {
    return new ConfigDef.Validator() {
      @Override
      public void ensureValid(String name, Object value) {
        if (value == null || value.toString().isBlank()) {
          return;
        }
        Path path = Path.of(value.toString());
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
          throw new ConfigException(name, value, "not a readable file");
        }
      }

      @Override
      public String toString() {
        return "a readable file";
      }
    };
  }
}
