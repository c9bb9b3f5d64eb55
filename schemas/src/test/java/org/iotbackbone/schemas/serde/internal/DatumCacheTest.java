package org.iotbackbone.schemas.serde.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.iotbackbone.schemas.DeviceEvent;
import org.junit.jupiter.api.Test;

class DatumCacheTest {

  private static final DeviceEvent EVENT =
      DeviceEvent.newBuilder()
          .setEventId("e-1")
          .setDeviceId("lamp-1")
          .setEventType("telemetry")
          .setPayload(ByteBuffer.wrap("{\"on\":true}".getBytes(StandardCharsets.UTF_8)))
          .setContentType("application/json")
          .setUserProperties(Map.of())
          .setMqttTopic("devices/lamp-1/events/telemetry")
          .setQos(1)
          .setBroker("b-0")
          .setReceivedAt(Instant.ofEpochMilli(1_700_000_000_000L))
          .build();

  @Test
  void reusesTheWriterAndReaderMadeForTheSameSchemaObject() {
    DatumCache<Object> cache = new DatumCache<>();
    Schema schema = DeviceEvent.getClassSchema();

    assertThat(cache.createDatumWriter(EVENT, schema))
        .isSameAs(cache.createDatumWriter(EVENT, schema));
    assertThat(cache.createDatumReader(schema)).isSameAs(cache.createDatumReader(schema));
  }

  @Test
  void cachedWriterAndReaderRoundTripRecordsAfterManySchemas() throws IOException {
    DatumCache<Object> cache = new DatumCache<>();
    cache.setUseSpecificAvroReader(true);
    for (int i = 0; i < 200; i++) {
      cache.createDatumReader(new Schema.Parser().parse(DeviceEvent.getClassSchema().toString()));
    }
    Schema schema = DeviceEvent.getClassSchema();

    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
    cache.createDatumWriter(EVENT, schema).write(EVENT, encoder);
    encoder.flush();
    Object read =
        cache
            .createDatumReader(schema)
            .read(null, DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));

    assertThat(read).isEqualTo(EVENT);
  }
}
