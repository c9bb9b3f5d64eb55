package org.iotbackbone.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.iotbackbone.schemas.registry.Compatibility;
import org.iotbackbone.schemas.registry.ConfluentRegistryClient;
import org.iotbackbone.schemas.registry.IncompatibleSchemaException;
import org.iotbackbone.schemas.registry.SchemaRegistration;
import org.iotbackbone.schemas.serde.RegistryConfig;
import org.iotbackbone.schemas.serde.RegistrySerdes;
import org.iotbackbone.schemas.topics.TopicDefinition;
import org.iotbackbone.schemas.topics.Topics;
import org.iotbackbone.servers.SchemaRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the deployment's schema-registration job does, against a real registry of its own (empty,
 * unlike the build's shared one): every schema registered through the Confluent API under BACKWARD,
 * and then the services, which do not register (`schema.registry.auto.register=false`), find them
 * by content and write and read records.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class RegisterSchemasIT {

  private static SchemaRegistry registry;

  @BeforeAll
  static void startAnEmptyRegistry() {
    registry = new SchemaRegistry();
    registry.start();
  }

  @AfterAll
  static void stopIt() {
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void registeredAheadTheServicesFindEverySchemaAndChangesAreHeldToBackward() throws Exception {
    ConfluentRegistryClient confluentApi = new ConfluentRegistryClient(registry.confluentApiUrl());
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    SchemaRegistration registration =
        new SchemaRegistration(
            confluentApi,
            Topics.all(),
            Duration.ofMinutes(1),
            Duration.ofMillis(200),
            new PrintStream(log, true, StandardCharsets.UTF_8));

    registration.registerAll(Compatibility.BACKWARD);
    registration.awaitRegistered();

    for (TopicDefinition<?> topic : Topics.all()) {
      assertThat(log.toString(StandardCharsets.UTF_8))
          .contains("registered " + topic.valueSubject());
      // The services, which do not register, find the registered schema through either API.
      roundTripWithoutRegistering(topic, registry.apicurioApiUrl());
      roundTripWithoutRegistering(topic, registry.confluentApiUrl());
      // A change that old readers' data cannot satisfy (a new field without a default) is refused
      // by the running registry, asked first and then sent.
      Schema breaking = withRequiredField(topic);
      assertThat(confluentApi.isCompatible(topic.valueSubject(), breaking))
          .as(topic.valueSubject() + " is held to BACKWARD")
          .isFalse();
      assertThatThrownBy(() -> confluentApi.register(topic.valueSubject(), breaking))
          .isInstanceOf(IncompatibleSchemaException.class)
          .hasMessageContaining(topic.valueSubject());
    }
    // Running the job again changes nothing.
    registration.registerAll(Compatibility.BACKWARD);
  }

  @SuppressWarnings("unchecked")
  private static <V extends SpecificRecord> void roundTripWithoutRegistering(
      TopicDefinition<V> topic, String url) {
    V sent = (V) SampleRecords.of(topic);
    try (Serde<V> serde =
        RegistrySerdes.valueSerde(topic, RegistryConfig.of(url).withAutoRegister(false))) {
      byte[] bytes = serde.serializer().serialize(topic.name(), sent);
      SampleRecords.assertReadBack(serde.deserializer().deserialize(topic.name(), bytes), sent);
    }
  }

  private static Schema withRequiredField(TopicDefinition<?> topic) {
    Schema schema = topic.valueSchema();
    SchemaBuilder.FieldAssembler<Schema> fields =
        SchemaBuilder.record(schema.getName()).namespace(schema.getNamespace()).fields();
    for (Schema.Field field : schema.getFields()) {
      fields = fields.name(field.name()).type(field.schema()).noDefault();
    }
    return fields.name("addedWithoutDefault").type().stringType().noDefault().endRecord();
  }
}
