package org.iotbackbone.schemas.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.iotbackbone.schemas.registry.ConfluentRegistryClient;
import org.iotbackbone.schemas.topics.TopicDefinition;

/**
 * Avro values in the Confluent frame against a registry's Confluent REST API.
 *
 * <p>Written here because Confluent's serdes are not on Maven Central and Apicurio's speak only
 * Apicurio's API; what a value needs of the registry is three calls of {@link
 * ConfluentRegistryClient}. The frame is Confluent's: magic byte 0, the schema id as 4 bytes big
 * endian, then Avro's binary encoding. The subject is the topic definition's ({@code
 * iot.shadow.state-value}, TopicNameStrategy), whatever topic the value is written to: a Kafka
 * Streams store's changelog ({@code APP-shadows-changelog}) carries the same ids as the topic it
 * mirrors, and no subject is needed that the deployment's registration step does not make. Ids are
 * asked once per schema, and schemas once per id: the registry is called at a serde's first
 * records, not per record.
 *
 * <p>A record is read with its writer's schema (fetched by the id it carries) resolved to the
 * topic's schema of this build, so a value written by an older or newer compatible version reads.
 *
 * <p>Registry failures are thrown as {@link SerializationException}s with the client's exception as
 * the cause, where {@code TransientErrors} finds whether to retry (no answer, 5xx) or not.
 */
final class ConfluentAvroSerde<V extends SpecificRecord> implements Serde<V> {

  private static final byte MAGIC_BYTE = 0;
  private static final int HEADER_SIZE = 5;

  private final ConfluentRegistryClient registry;
  private final boolean autoRegister;
  private final String subject;
  private final Schema readerSchema;
  private final SpecificData data;

  /** Schema → id. Generated classes hand over the same schema object: its hash is cached. */
  private final Map<Schema, Integer> ids = new ConcurrentHashMap<>();

  private final Map<Schema, DatumWriter<V>> writers = new ConcurrentHashMap<>();
  private final Map<Integer, DatumReader<V>> readers = new ConcurrentHashMap<>();

  ConfluentAvroSerde(
      ConfluentRegistryClient registry, boolean autoRegister, TopicDefinition<V> topic) {
    this.registry = registry;
    this.autoRegister = autoRegister;
    this.subject = topic.valueSubject();
    this.readerSchema = topic.valueSchema();
    this.data = SpecificData.getForSchema(readerSchema);
  }

  @Override
  public Serializer<V> serializer() {
    return this::serialize;
  }

  @Override
  public Deserializer<V> deserializer() {
    return this::deserialize;
  }

  byte[] serialize(String topic, V value) {
    if (value == null) {
      return null;
    }
    Schema schema = value.getSchema();
    int id = idOf(schema);
    ByteArrayOutputStream out = new ByteArrayOutputStream(128);
    out.write(MAGIC_BYTE);
    out.writeBytes(ByteBuffer.allocate(4).putInt(id).array());
    BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
    try {
      writers
          .computeIfAbsent(schema, s -> new SpecificDatumWriter<>(s, data))
          .write(value, encoder);
      encoder.flush();
    } catch (IOException | RuntimeException e) {
      throw new SerializationException(
          "cannot encode a " + schema.getFullName() + " for " + topic + ": " + e.getMessage(), e);
    }
    return out.toByteArray();
  }

  V deserialize(String topic, byte[] bytes) {
    if (bytes == null) {
      return null;
    }
    if (bytes.length < HEADER_SIZE || bytes[0] != MAGIC_BYTE) {
      throw new SerializationException(
          "a value of "
              + topic
              + " is not in the Confluent frame (magic byte 0 and a 4-byte schema id): "
              + bytes.length
              + " bytes"
              + (bytes.length > 0 ? ", first " + bytes[0] : ""));
    }
    int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
    DatumReader<V> reader = readers.get(id);
    if (reader == null) {
      reader = new SpecificDatumReader<>(writerSchema(topic, id), readerSchema, data);
      readers.put(id, reader);
    }
    try {
      return reader.read(
          null,
          DecoderFactory.get().binaryDecoder(bytes, HEADER_SIZE, bytes.length - HEADER_SIZE, null));
    } catch (IOException | RuntimeException e) {
      throw new SerializationException(
          "a value of " + topic + " is not Avro of schema id " + id + ": " + e, e);
    }
  }

  private int idOf(Schema schema) {
    Integer id = ids.get(schema);
    if (id != null) {
      return id;
    }
    try {
      if (autoRegister) {
        id = registry.register(subject, schema);
      } else {
        id =
            registry
                .idOf(subject, schema)
                .orElseThrow(
                    () ->
                        new SerializationException(
                            "the registry has no "
                                + schema.getFullName()
                                + " of this build under "
                                + subject
                                + ", and schema.registry.auto.register is false: register the"
                                + " schemas first (RegisterSchemas)"));
      }
    } catch (RuntimeException e) {
      throw asSerializationException("cannot get the schema id of " + subject, e);
    }
    ids.put(schema, id);
    return id;
  }

  private Schema writerSchema(String topic, int id) {
    try {
      return registry.schemaById(id);
    } catch (RuntimeException e) {
      throw asSerializationException(
          "cannot fetch schema id " + id + " of a " + topic + " value", e);
    }
  }

  private static SerializationException asSerializationException(String what, RuntimeException e) {
    return e instanceof SerializationException s
        ? s
        : new SerializationException(what + ": " + e.getMessage(), e);
  }
}
