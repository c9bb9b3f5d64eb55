package org.iotbackbone.streamsapp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.avro.io.BinaryEncoder;
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

/** Avro binary without a registry, for tests of the topology (the schema is the class's). */
public final class PlainAvroSerde<T extends SpecificRecord> implements Serde<T> {

  private final Class<T> type;

  public PlainAvroSerde(Class<T> type) {
    this.type = type;
  }

  @Override
  public Serializer<T> serializer() {
    return (topic, value) -> {
      if (value == null) {
        return null;
      }
      try {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<T>(value.getSchema()).write(value, encoder);
        encoder.flush();
        return out.toByteArray();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    };
  }

  @Override
  public Deserializer<T> deserializer() {
    return (topic, bytes) -> {
      if (bytes == null) {
        return null;
      }
      try {
        return new SpecificDatumReader<T>(SpecificData.get().getSchema(type))
            .read(null, DecoderFactory.get().binaryDecoder(bytes, null));
      } catch (IOException | RuntimeException e) {
        throw new SerializationException("not a " + type.getSimpleName(), e);
      }
    };
  }

  /** The dead-letter serializer the handlers load by class name in tests. */
  public static final class DeadLetterSerializer
      implements Serializer<org.iotbackbone.schemas.DeadLetter> {
    private final Serializer<org.iotbackbone.schemas.DeadLetter> delegate =
        new PlainAvroSerde<>(org.iotbackbone.schemas.DeadLetter.class).serializer();

    @Override
    public byte[] serialize(String topic, org.iotbackbone.schemas.DeadLetter data) {
      return delegate.serialize(topic, data);
    }
  }

  /** Serdes for every topic of the topology. */
  public static ShadowSerdes shadowSerdes() {
    return new ShadowSerdes(
        new PlainAvroSerde<>(org.iotbackbone.schemas.ShadowRequest.class),
        new PlainAvroSerde<>(org.iotbackbone.schemas.PresenceEvent.class),
        new PlainAvroSerde<>(org.iotbackbone.schemas.DeviceShadow.class),
        new PlainAvroSerde<>(org.iotbackbone.schemas.ShadowResponse.class),
        new PlainAvroSerde<>(org.iotbackbone.schemas.Command.class),
        new PlainAvroSerde<>(org.iotbackbone.schemas.CommandEvent.class));
  }
}
