package org.iotbackbone.schemas.serde;

import io.apicurio.registry.resolver.config.SchemaResolverConfig;
import io.apicurio.registry.serde.Default4ByteIdHandler;
import io.apicurio.registry.serde.avro.AvroSerde;
import io.apicurio.registry.serde.avro.AvroSerdeConfig;
import io.apicurio.registry.serde.config.IdOption;
import io.apicurio.registry.serde.config.SerdeConfig;
import io.apicurio.registry.serde.kafka.config.KafkaSerdeConfig;
import io.apicurio.registry.serde.strategy.TopicIdStrategy;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.iotbackbone.schemas.registry.ConfluentRegistryClient;
import org.iotbackbone.schemas.serde.internal.DatumCache;
import org.iotbackbone.schemas.topics.TopicDefinition;

/**
 * Serdes for the values of the platform's topics: Avro in the Confluent wire format (magic byte 0,
 * then the 4-byte schema id, then the Avro binary encoding) against a schema registry, with the
 * subject {@code topic-value} (TopicNameStrategy) and nothing in record headers.
 *
 * <p>One difference: our Confluent-API serde uses the subject of the topic definition it was made
 * for, whatever topic it writes to, so a Kafka Streams store's changelog needs no subject of its
 * own; Apicurio's uses the topic written to, so a service on Apicurio's API that writes to stores
 * must be allowed to register ({@link RegistryConfig#autoRegister()}).
 *
 * <p>Against a registry's Confluent REST API ({@link RegistryConfig.Api#CONFLUENT}: Confluent
 * Schema Registry, Karapace, Redpanda, Apicurio's {@code /apis/ccompat/v7}) they are our own
 * ({@code ConfluentAvroSerde}: Confluent's are not on Maven Central). Against Apicurio's own API
 * ({@code /apis/registry/v3}) they are Apicurio's serdes, set so that what they write is what a
 * Confluent client reads: the schema id is Apicurio's content id, which its Confluent API serves
 * under that same id. Records written through either API read through the other.
 */
public final class RegistrySerdes {

  private RegistrySerdes() {}

  /** A serde for the values of a topic, configured for values (not keys). */
  public static <V extends SpecificRecord> Serde<V> valueSerde(
      TopicDefinition<V> topic, RegistryConfig registry) {
    Objects.requireNonNull(topic, "topic");
    if (registry.api() == RegistryConfig.Api.CONFLUENT) {
      return new ConfluentAvroSerde<>(
          new ConfluentRegistryClient(registry), registry.autoRegister(), topic);
    }
    AvroSerde<V> serde = new AvroSerde<>();
    serde.configure(serdeConfig(registry), false);
    return serde;
  }

  /** Apicurio's serde settings. */
  private static Map<String, Object> serdeConfig(RegistryConfig registry) {
    Map<String, Object> config = new HashMap<>();
    if (registry.basicAuthUserInfo() != null) {
      config.put(SchemaResolverConfig.AUTH_USERNAME, registry.username());
      config.put(SchemaResolverConfig.AUTH_PASSWORD, registry.password());
    }
    RegistryConfig.TrustStore trustStore = registry.trustStore();
    if (trustStore != null) {
      config.put(SchemaResolverConfig.TLS_TRUSTSTORE_LOCATION, trustStore.location().toString());
      config.put(SchemaResolverConfig.TLS_TRUSTSTORE_TYPE, trustStore.type());
      if (trustStore.password() != null) {
        config.put(SchemaResolverConfig.TLS_TRUSTSTORE_PASSWORD, trustStore.password());
      }
    }
    config.put(SchemaResolverConfig.REGISTRY_URL, registry.url());
    config.put(SchemaResolverConfig.AUTO_REGISTER_ARTIFACT, registry.autoRegister());
    config.put(SchemaResolverConfig.ARTIFACT_RESOLVER_STRATEGY, TopicIdStrategy.class.getName());
    // Register each schema whole. Otherwise Apicurio registers every nested named type (enums,
    // sub-records) as a schema of its own and the value schema only refers to them, which a
    // reader that fetches the schema by id and parses it (plain Avro, older clients) cannot use.
    config.put(SchemaResolverConfig.DEREFERENCE_SCHEMA, true);
    // The Confluent frame: magic byte and a 4-byte content id in the value, no headers.
    config.put(SerdeConfig.ID_HANDLER, Default4ByteIdHandler.class.getName());
    config.put(SerdeConfig.USE_ID, IdOption.contentId.name());
    config.put(KafkaSerdeConfig.ENABLE_HEADERS, false);
    config.put(AvroSerdeConfig.AVRO_ENCODING, AvroSerdeConfig.AVRO_ENCODING_BINARY);
    config.put(AvroSerdeConfig.USE_SPECIFIC_AVRO_READER, true);
    config.put(AvroSerdeConfig.AVRO_DATUM_PROVIDER, DatumCache.class.getName());
    return config;
  }
}
