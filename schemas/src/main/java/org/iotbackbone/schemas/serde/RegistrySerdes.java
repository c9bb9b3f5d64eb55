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
import org.iotbackbone.schemas.serde.internal.DatumCache;
import org.iotbackbone.schemas.topics.TopicDefinition;

/**
 * Serdes for the values of the platform's topics: Avro in the Confluent wire format (magic byte 0,
 * then the 4-byte schema id, then the Avro binary encoding) against a schema registry.
 *
 * <p>They are Apicurio's serdes (Confluent's own artifacts are not on Maven Central), set so that
 * what they write is what a Confluent client reads: the schema id is Apicurio's content id, which
 * the registry's Confluent-compatible API ({@code /apis/ccompat/v7/schemas/ids/{id}}) serves under
 * that same id; the subject is {@code topic-value} (TopicNameStrategy); nothing is put in record
 * headers. They speak Apicurio's own API to the registry, so {@link RegistryConfig#url()} is that
 * API's address ({@code http://host:port/apis/registry/v3}).
 */
public final class RegistrySerdes {

  private RegistrySerdes() {}

  /** A serde for the values of a topic, configured for values (not keys). */
  public static <V extends SpecificRecord> Serde<V> valueSerde(
      TopicDefinition<V> topic, RegistryConfig registry) {
    Objects.requireNonNull(topic, "topic");
    AvroSerde<V> serde = new AvroSerde<>();
    serde.configure(serdeConfig(registry), false);
    return serde;
  }

  /**
   * The serde settings, for clients configured through properties (such as a Kafka Streams app's
   * default serde or a Connect converter).
   */
  public static Map<String, Object> serdeConfig(RegistryConfig registry) {
    Map<String, Object> config = new HashMap<>();
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
