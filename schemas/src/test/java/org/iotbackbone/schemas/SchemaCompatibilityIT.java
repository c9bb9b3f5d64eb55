package org.iotbackbone.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.iotbackbone.schemas.registry.Compatibility;
import org.iotbackbone.schemas.registry.ConfluentRegistryClient;
import org.iotbackbone.schemas.registry.IncompatibleSchemaException;
import org.iotbackbone.schemas.topics.TopicDefinition;
import org.iotbackbone.schemas.topics.Topics;
import org.iotbackbone.servers.junit.SharedServers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Schema evolution, checked by a real registry under BACKWARD compatibility: every schema as it is
 * now must be accepted after the versions already published ({@code
 * src/test/resources/published/SUBJECT/vN.avsc}), so that a change that would break existing
 * readers fails the build. When a compatible change is released, its schema is added there as the
 * next version.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class SchemaCompatibilityIT {

  private static ConfluentRegistryClient registry;

  @BeforeAll
  static void connect() {
    registry = new ConfluentRegistryClient(SharedServers.schemaRegistry().confluentApiUrl());
  }

  static Stream<TopicDefinition<?>> topics() {
    return Topics.all().stream();
  }

  @ParameterizedTest
  @MethodSource("topics")
  void theCurrentSchemaIsAcceptedAfterEveryPublishedVersion(TopicDefinition<?> topic)
      throws IOException {
    String subject = "evolution." + topic.valueSubject();
    registry.setCompatibility(subject, Compatibility.BACKWARD);
    List<Schema> published = published(topic);
    assertThat(published).as("published versions of " + topic.valueSubject()).isNotEmpty();
    for (Schema version : published) {
      registry.register(subject, version);
    }

    assertThatCode(() -> registry.register(subject, topic.valueSchema()))
        .as("the current schema of " + topic.name() + " must read data of the published ones")
        .doesNotThrowAnyException();
  }

  @ParameterizedTest
  @MethodSource("topics")
  void aNewFieldWithoutDefaultIsRefused(TopicDefinition<?> topic) {
    String subject = registerCurrent("no-default.", topic);
    Schema changed =
        withFields(
            topic.valueSchema(),
            fields -> {
              fields.add(new Schema.Field("addedLater", Schema.create(Schema.Type.STRING), "x"));
              return fields;
            });

    assertThat(registry.isCompatible(subject, changed)).isFalse();
    assertThatThrownBy(() -> registry.register(subject, changed))
        .isInstanceOf(IncompatibleSchemaException.class)
        .hasMessageContaining(subject);
  }

  @ParameterizedTest
  @MethodSource("topics")
  void aChangedFieldTypeIsRefused(TopicDefinition<?> topic) {
    String subject = registerCurrent("type-change.", topic);
    Schema changed =
        withFields(
            topic.valueSchema(),
            fields -> {
              Schema.Field first = fields.remove(0);
              fields.add(
                  0, new Schema.Field(first.name(), Schema.create(Schema.Type.INT), first.doc()));
              return fields;
            });

    assertThatThrownBy(() -> registry.register(subject, changed))
        .isInstanceOf(IncompatibleSchemaException.class);
  }

  @ParameterizedTest
  @MethodSource("topics")
  void aNewOptionalFieldIsAccepted(TopicDefinition<?> topic) {
    String subject = registerCurrent("optional.", topic);
    Schema optional =
        Schema.createUnion(Schema.create(Schema.Type.NULL), Schema.create(Schema.Type.STRING));
    Schema changed =
        withFields(
            topic.valueSchema(),
            fields -> {
              fields.add(
                  new Schema.Field("addedLater", optional, "x", Schema.Field.NULL_DEFAULT_VALUE));
              return fields;
            });

    assertThat(registry.isCompatible(subject, changed)).isTrue();
    assertThatCode(() -> registry.register(subject, changed)).doesNotThrowAnyException();
  }

  private static String registerCurrent(String prefix, TopicDefinition<?> topic) {
    String subject = prefix + topic.valueSubject();
    registry.setCompatibility(subject, Compatibility.BACKWARD);
    registry.register(subject, topic.valueSchema());
    return subject;
  }

  /** The same record with its fields changed. */
  private static Schema withFields(Schema record, UnaryOperator<List<Schema.Field>> change) {
    List<Schema.Field> fields = new ArrayList<>();
    for (Schema.Field field : record.getFields()) {
      fields.add(new Schema.Field(field, field.schema()));
    }
    return Schema.createRecord(
        record.getName(), record.getDoc(), record.getNamespace(), false, change.apply(fields));
  }

  private static List<Schema> published(TopicDefinition<?> topic) throws IOException {
    List<Schema> versions = new ArrayList<>();
    for (int version = 1; ; version++) {
      String resource = "/published/" + topic.valueSubject() + "/v" + version + ".avsc";
      try (InputStream in = SchemaCompatibilityIT.class.getResourceAsStream(resource)) {
        if (in == null) {
          return versions;
        }
        versions.add(new Schema.Parser().parse(in));
      }
    }
  }
}
