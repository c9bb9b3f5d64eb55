package org.iotbackbone.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.iotbackbone.schemas.topics.TopicDefinition;
import org.iotbackbone.schemas.topics.Topics;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The rules every schema of the platform keeps, so that readers of today can read data of tomorrow:
 * documented fields, enums with defaults, timestamps as timestamp-millis, device ids where the key
 * is a device id (job ids where it is a job id).
 */
class SchemaContractTest {

  static Stream<TopicDefinition<?>> topics() {
    return Topics.all().stream();
  }

  @ParameterizedTest
  @MethodSource("topics")
  void everyRecordAndFieldIsDocumented(TopicDefinition<?> topic) {
    List<String> undocumented = new ArrayList<>();
    forEachNamedType(
        topic.valueSchema(),
        schema -> {
          if (isBlank(schema.getDoc())) {
            undocumented.add(schema.getFullName());
          }
          if (schema.getType() == Schema.Type.RECORD) {
            schema.getFields().stream()
                .filter(field -> isBlank(field.doc()))
                .forEach(field -> undocumented.add(schema.getName() + "." + field.name()));
          }
        });
    assertThat(undocumented).as("types and fields without doc").isEmpty();
  }

  @ParameterizedTest
  @MethodSource("topics")
  void everyEnumHasTheDefaultUnknownSoItCanGrow(TopicDefinition<?> topic) {
    forEachNamedType(
        topic.valueSchema(),
        schema -> {
          if (schema.getType() == Schema.Type.ENUM) {
            assertThat(schema.getEnumDefault()).as(schema.getFullName()).isEqualTo("UNKNOWN");
          }
        });
  }

  @ParameterizedTest
  @MethodSource("topics")
  void everyTimeIsATimestampInMilliseconds(TopicDefinition<?> topic) {
    forEachField(
        topic.valueSchema(),
        (record, field) -> {
          if (field.name().endsWith("At")) {
            assertThat(nonNull(field.schema()).getLogicalType())
                .as(record.getName() + "." + field.name())
                .isEqualTo(LogicalTypes.timestampMillis());
          }
        });
  }

  @ParameterizedTest
  @MethodSource("topics")
  void everyValueNamesTheDeviceItIsAbout(TopicDefinition<?> topic) {
    if (Topics.keyedByJobId(topic)) {
      Schema.Field jobId = topic.valueSchema().getField("jobId");
      assertThat(jobId).as(topic.name() + " value has jobId, its key").isNotNull();
      assertThat(jobId.schema().getType()).isEqualTo(Schema.Type.STRING);
      return;
    }
    Schema.Field deviceId = topic.valueSchema().getField("deviceId");
    assertThat(deviceId).as(topic.name() + " value has deviceId").isNotNull();
    assertThat(deviceId.schema().getType() == Schema.Type.STRING || topic == Topics.DEAD_LETTER)
        .as("deviceId is a required string (the dead letter may not know it)")
        .isTrue();
  }

  @ParameterizedTest
  @MethodSource("topics")
  void everyOptionalFieldDefaultsToNull(TopicDefinition<?> topic) {
    forEachField(
        topic.valueSchema(),
        (record, field) -> {
          if (field.schema().isNullable()) {
            assertThat(field.hasDefaultValue()).as(record.getName() + "." + field.name()).isTrue();
            assertThat(field.schema().getTypes().get(0).getType())
                .as("null first in the union of " + record.getName() + "." + field.name())
                .isEqualTo(Schema.Type.NULL);
          }
        });
  }

  private static Schema nonNull(Schema schema) {
    if (schema.getType() != Schema.Type.UNION) {
      return schema;
    }
    return schema.getTypes().stream()
        .filter(type -> type.getType() != Schema.Type.NULL)
        .findFirst()
        .orElseThrow();
  }

  private static boolean isBlank(String text) {
    return text == null || text.isBlank();
  }

  /** Visits every field of every record reachable from the root, each record once. */
  private static void forEachField(
      Schema root, java.util.function.BiConsumer<Schema, Schema.Field> action) {
    forEachNamedType(
        root,
        schema -> {
          if (schema.getType() == Schema.Type.RECORD) {
            schema.getFields().forEach(field -> action.accept(schema, field));
          }
        });
  }

  private static void forEachNamedType(Schema root, java.util.function.Consumer<Schema> action) {
    walk(root, action, new HashSet<>());
  }

  private static void walk(
      Schema schema, java.util.function.Consumer<Schema> action, Set<String> seen) {
    switch (schema.getType()) {
      case RECORD -> {
        if (seen.add(schema.getFullName())) {
          action.accept(schema);
          schema.getFields().forEach(field -> walk(field.schema(), action, seen));
        }
      }
      case ENUM -> {
        if (seen.add(schema.getFullName())) {
          action.accept(schema);
        }
      }
      case UNION -> schema.getTypes().forEach(type -> walk(type, action, seen));
      case ARRAY -> walk(schema.getElementType(), action, seen);
      case MAP -> walk(schema.getValueType(), action, seen);
      default -> {}
    }
  }
}
