package org.iotbackbone.schemas.config;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;

/**
 * The settings every service that talks to Kafka and the registry has, declared once so that they
 * have the same name, type, validation and documentation in each: {@value
 * #BOOTSTRAP_SERVERS_CONFIG} and {@value #SCHEMA_REGISTRY_URL_CONFIG}.
 */
public final class CommonSettings {

  /** Kafka's brokers, as every Kafka client names them. */
  public static final String BOOTSTRAP_SERVERS_CONFIG = "bootstrap.servers";

  private static final String BOOTSTRAP_SERVERS_DOC = "The Kafka brokers, host:port[,host:port].";

  /** The schema registry the service reads and writes Avro schemas with. */
  public static final String SCHEMA_REGISTRY_URL_CONFIG = "schema.registry.url";

  private static final String SCHEMA_REGISTRY_URL_DOC =
      "The schema registry's Apicurio API, such as http://registry:8080/apis/registry/v3 (not the"
          + " Confluent-compatible /apis/ccompat/v7).";

  private CommonSettings() {}

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

  /** {@code definition} with the required {@value #SCHEMA_REGISTRY_URL_CONFIG}. */
  public static ConfigDef defineSchemaRegistryUrl(ConfigDef definition) {
    return definition.define(
        SCHEMA_REGISTRY_URL_CONFIG,
        Type.STRING,
        ConfigDef.NO_DEFAULT_VALUE,
        Validators.httpUrl(),
        Importance.HIGH,
        SCHEMA_REGISTRY_URL_DOC);
  }
}
