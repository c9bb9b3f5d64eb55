package org.iotbackbone.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.iotbackbone.schemas.errors.TransientErrors;
import org.iotbackbone.schemas.registry.ConfluentRegistryClient;
import org.iotbackbone.schemas.serde.RegistryConfig;
import org.iotbackbone.schemas.serde.RegistrySerdes;
import org.iotbackbone.schemas.topics.CleanupPolicy;
import org.iotbackbone.schemas.topics.TopicDefinition;
import org.iotbackbone.schemas.topics.Topics;
import org.iotbackbone.servers.Ports;
import org.iotbackbone.servers.RegistryFront;
import org.iotbackbone.servers.SchemaRegistry;
import org.iotbackbone.servers.junit.SharedServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The serdes against the registry's Confluent API (Apicurio's {@code ccompat}), as the platform
 * runs them, and against its own API: records written through one read through the other, a missing
 * schema is not registered behind the deployment's back, bad frames and unknown ids are the
 * record's fault and an absent registry is not, and credentials and TLS reach the registry through
 * a gateway that demands them.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ConfluentSerdeIT {

  private static final String USER = "platform";
  private static final String PASSWORD = "registry-secret";

  private static SchemaRegistry registry;
  private static RegistryFront gateway;

  @BeforeAll
  static void start(@TempDir Path dir) throws Exception {
    registry = SharedServers.schemaRegistry();
    gateway = RegistryFront.https(registry.url(), USER, PASSWORD, dir.resolve("gateway"));
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
  }

  static Stream<TopicDefinition<?>> topics() {
    return Topics.all().stream();
  }

  @ParameterizedTest
  @MethodSource("topics")
  <V extends SpecificRecord> void whatOneApiWroteTheOtherReads(TopicDefinition<V> topic) {
    @SuppressWarnings("unchecked")
    V sent = (V) SampleRecords.of(topic);
    RegistryConfig confluent = RegistryConfig.of(registry.confluentApiUrl());
    RegistryConfig apicurio = RegistryConfig.of(registry.apicurioApiUrl());
    assertThat(confluent.api()).isEqualTo(RegistryConfig.Api.CONFLUENT);
    assertThat(apicurio.api()).isEqualTo(RegistryConfig.Api.APICURIO);
    try (Serde<V> ours = RegistrySerdes.valueSerde(topic, confluent);
        Serde<V> apicurios = RegistrySerdes.valueSerde(topic, apicurio)) {
      byte[] viaConfluent = ours.serializer().serialize(topic.name(), sent);
      byte[] viaApicurio = apicurios.serializer().serialize(topic.name(), sent);

      // The Confluent frame, and the id the Confluent API serves this very schema under.
      assertThat(viaConfluent[0]).isZero();
      int id = ByteBuffer.wrap(viaConfluent, 1, 4).getInt();
      assertThat(new ConfluentRegistryClient(registry.confluentApiUrl()).schemaById(id))
          .isEqualTo(topic.valueSchema());

      SampleRecords.assertReadBack(
          apicurios.deserializer().deserialize(topic.name(), viaConfluent), sent);
      SampleRecords.assertReadBack(
          ours.deserializer().deserialize(topic.name(), viaApicurio), sent);
      SampleRecords.assertReadBack(
          ours.deserializer().deserialize(topic.name(), viaConfluent), sent);
    }
  }

  @Test
  void withoutAutoRegisterAMissingSchemaIsAnErrorNotANewSubject() {
    TopicDefinition<DeviceEvent> unregistered =
        new TopicDefinition<>(
            "unregistered-" + UUID.randomUUID(),
            DeviceEvent.class,
            1,
            CleanupPolicy.DELETE,
            Optional.empty(),
            "a topic nobody registered");
    DeviceEvent event = (DeviceEvent) SampleRecords.of(Topics.DEVICE_EVENTS);
    try (Serde<DeviceEvent> serde =
        RegistrySerdes.valueSerde(
            unregistered, RegistryConfig.of(registry.confluentApiUrl()).withAutoRegister(false))) {
      assertThatThrownBy(() -> serde.serializer().serialize(unregistered.name(), event))
          .isInstanceOf(SerializationException.class)
          .hasMessageContaining(unregistered.valueSubject())
          .hasMessageContaining("schema.registry.auto.register is false")
          .satisfies(e -> assertThat(TransientErrors.isTransient(e)).isFalse());
    }
    assertThat(
            new ConfluentRegistryClient(registry.confluentApiUrl())
                .isRegistered(unregistered.valueSubject(), Topics.DEVICE_EVENTS.valueSchema()))
        .isFalse();
  }

  @Test
  void aStoresChangelogNeedsNoSubjectOfItsOwn() {
    // As Kafka Streams writes a store's values: to APP-STORE-changelog, with the topic's serde.
    String changelog = "iot-shadows-test-shadows-changelog-" + UUID.randomUUID();
    DeviceEvent event = (DeviceEvent) SampleRecords.of(Topics.DEVICE_EVENTS);
    ConfluentRegistryClient client = new ConfluentRegistryClient(registry.confluentApiUrl());
    int id =
        client.register(Topics.DEVICE_EVENTS.valueSubject(), Topics.DEVICE_EVENTS.valueSchema());
    try (Serde<DeviceEvent> serde =
        RegistrySerdes.valueSerde(
            Topics.DEVICE_EVENTS,
            RegistryConfig.of(registry.confluentApiUrl()).withAutoRegister(false))) {
      byte[] bytes = serde.serializer().serialize(changelog, event);
      assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(id);
      assertThat(serde.deserializer().deserialize(changelog, bytes)).isEqualTo(event);
    }
    assertThat(client.isRegistered(changelog + "-value", Topics.DEVICE_EVENTS.valueSchema()))
        .isFalse();
  }

  @Test
  void aValueOfAnOlderCompatibleSchemaReadsWithThisBuildsDefaults() throws Exception {
    // DeviceEvent as it might have been before its last optional field: the reader fills it in.
    Schema current = Topics.DEVICE_EVENTS.valueSchema();
    Schema.Field dropped = lastFieldWithDefault(current);
    SchemaBuilder.FieldAssembler<Schema> fields =
        SchemaBuilder.record(current.getName()).namespace(current.getNamespace()).fields();
    for (Schema.Field field : current.getFields()) {
      if (field != dropped) {
        fields = fields.name(field.name()).type(field.schema()).noDefault();
      }
    }
    Schema older = fields.endRecord();
    String topic = "older-" + UUID.randomUUID();
    ConfluentRegistryClient client = new ConfluentRegistryClient(registry.confluentApiUrl());
    int id = client.register(topic + "-value", older);

    DeviceEvent sample = (DeviceEvent) SampleRecords.of(Topics.DEVICE_EVENTS);
    GenericRecord old = new GenericData.Record(older);
    for (Schema.Field field : older.getFields()) {
      old.put(field.name(), sample.get(field.name()));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0);
    out.writeBytes(ByteBuffer.allocate(4).putInt(id).array());
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    // The generated class's model: it knows the logical types' Java values (an Instant).
    new GenericDatumWriter<GenericRecord>(older, SpecificData.getForSchema(current))
        .write(old, encoder);
    encoder.flush();

    try (Serde<DeviceEvent> serde =
        RegistrySerdes.valueSerde(
            Topics.DEVICE_EVENTS, RegistryConfig.of(registry.confluentApiUrl()))) {
      DeviceEvent read = serde.deserializer().deserialize(topic, out.toByteArray());
      assertThat(String.valueOf(read.get(dropped.name())))
          .isEqualTo(String.valueOf(GenericData.get().getDefaultValue(dropped)));
      for (Schema.Field field : older.getFields()) {
        assertThat(String.valueOf(read.get(field.name())))
            .isEqualTo(String.valueOf(sample.get(field.name())));
      }
    }
  }

  @Test
  void badFramesAndUnknownIdsAreTheRecordsFaultAnAbsentRegistryIsNot() {
    try (Serde<DeviceEvent> serde =
        RegistrySerdes.valueSerde(
            Topics.DEVICE_EVENTS, RegistryConfig.of(registry.confluentApiUrl()))) {
      assertThatThrownBy(() -> serde.deserializer().deserialize("t", new byte[] {1, 0, 0, 0, 1, 2}))
          .isInstanceOf(SerializationException.class)
          .hasMessageContaining("not in the Confluent frame")
          .satisfies(e -> assertThat(TransientErrors.isTransient(e)).isFalse());
      assertThatThrownBy(() -> serde.deserializer().deserialize("t", new byte[] {0, 0}))
          .isInstanceOf(SerializationException.class)
          .satisfies(e -> assertThat(TransientErrors.isTransient(e)).isFalse());
      assertThatThrownBy(
              () -> serde.deserializer().deserialize("t", new byte[] {0, 0x7f, 0, 0, 1, 2}))
          .isInstanceOf(SerializationException.class)
          .hasMessageContaining("schema id " + 0x7f000001)
          .satisfies(e -> assertThat(TransientErrors.isTransient(e)).isFalse());
    }
    String nobody = "http://127.0.0.1:" + Ports.free() + "/apis/ccompat/v7";
    DeviceEvent event = (DeviceEvent) SampleRecords.of(Topics.DEVICE_EVENTS);
    try (Serde<DeviceEvent> serde =
        RegistrySerdes.valueSerde(Topics.DEVICE_EVENTS, RegistryConfig.of(nobody))) {
      assertThatThrownBy(() -> serde.serializer().serialize("t", event))
          .isInstanceOf(SerializationException.class)
          .satisfies(e -> assertThat(TransientErrors.isTransient(e)).isTrue());
      assertThatThrownBy(() -> serde.deserializer().deserialize("t", new byte[] {0, 0, 0, 0, 1, 2}))
          .isInstanceOf(SerializationException.class)
          .satisfies(e -> assertThat(TransientErrors.isTransient(e)).isTrue());
    }
  }

  static Stream<RegistryConfig.Api> apis() {
    return Stream.of(RegistryConfig.Api.values());
  }

  @ParameterizedTest
  @MethodSource("apis")
  void credentialsAndTheTrustStoreReachTheRegistry(RegistryConfig.Api api) {
    String url =
        gateway.urlFor(
            api == RegistryConfig.Api.CONFLUENT
                ? registry.confluentApiUrl()
                : registry.apicurioApiUrl());
    RegistryConfig pem =
        RegistryConfig.of(url)
            .withBasicAuth(USER + ":" + PASSWORD)
            .withTrustStore(new RegistryConfig.TrustStore(gateway.trustStorePem(), null, "PEM"));
    RegistryConfig pkcs12 =
        pem.withTrustStore(
            new RegistryConfig.TrustStore(
                gateway.trustStorePkcs12(), RegistryFront.STORE_PASSWORD, "PKCS12"));
    assertThat(pem.api()).isEqualTo(api);
    DeviceEvent event = (DeviceEvent) SampleRecords.of(Topics.DEVICE_EVENTS);
    String topic = Topics.DEVICE_EVENTS.name();
    for (RegistryConfig config : new RegistryConfig[] {pem, pkcs12}) {
      try (Serde<DeviceEvent> serde = RegistrySerdes.valueSerde(Topics.DEVICE_EVENTS, config)) {
        byte[] bytes = serde.serializer().serialize(topic, event);
        assertThat(serde.deserializer().deserialize(topic, bytes)).isEqualTo(event);
      }
    }

    // A wrong password: refused, and the service waits (transient) rather than dead-letter.
    try (Serde<DeviceEvent> serde =
        RegistrySerdes.valueSerde(Topics.DEVICE_EVENTS, pem.withBasicAuth(USER + ":wrong"))) {
      assertThatThrownBy(() -> serde.serializer().serialize("fresh-" + UUID.randomUUID(), event))
          .satisfies(e -> assertThat(TransientErrors.isTransient(e)).isTrue());
    }
    // No trust in the gateway's certificate: the TLS handshake fails.
    try (Serde<DeviceEvent> serde =
        RegistrySerdes.valueSerde(Topics.DEVICE_EVENTS, pem.withTrustStore(null))) {
      assertThatThrownBy(() -> serde.serializer().serialize("fresh-" + UUID.randomUUID(), event))
          .hasStackTraceContaining("PKIX");
    }
  }

  @Test
  void theConfluentClientSaysWhichLoginWasRefused() {
    ConfluentRegistryClient noLogin =
        new ConfluentRegistryClient(
            RegistryConfig.of(gateway.urlFor(registry.confluentApiUrl()))
                .withTrustStore(
                    new RegistryConfig.TrustStore(gateway.trustStorePem(), null, "PEM")));
    assertThatThrownBy(() -> noLogin.schemaById(1))
        .hasMessageContaining("answered 401")
        .satisfies(e -> assertThat(TransientErrors.isTransient(e)).isTrue());
  }

  private static Schema.Field lastFieldWithDefault(Schema schema) {
    Schema.Field found = null;
    for (Schema.Field field : schema.getFields()) {
      if (field.hasDefaultValue()) {
        found = field;
      }
    }
    assertThat(found).as("DeviceEvent has an optional field").isNotNull();
    return found;
  }
}
