package org.iotbackbone.schemas.serde.internal;

import io.apicurio.registry.serde.avro.DefaultAvroDatumProvider;
import java.util.IdentityHashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * Apicurio's datum provider, with readers and writers found by the identity of their schema object.
 *
 * <p>Apicurio's own provider caches readers and writers by the schema's parsing fingerprint, which
 * it computes for every record it reads or writes (the schema's canonical form rebuilt and hashed):
 * in the bridge that was half the CPU of a record's way to Kafka, in the streams-app a tenth of the
 * stream thread's. The schema objects are few and long-lived: a generated class always passes its
 * {@code SCHEMA$}, and the deserializer passes the writer schema its resolver cached by content id.
 * So the reader or writer made for that very object is used again; a record that is not generated
 * code goes to Apicurio's provider as before.
 */
public final class DatumCache<T> extends DefaultAvroDatumProvider<T> {

  /**
   * More schema objects than this means they are not being reused (a resolver cache that expires
   * and re-parses, say): start over rather than grow.
   */
  private static final int MAX_SCHEMAS = 64;

  private volatile Map<Schema, DatumWriter<T>> writers = Map.of();
  private volatile Map<Schema, DatumReader<T>> readers = Map.of();

  @Override
  public DatumWriter<T> createDatumWriter(T data, Schema schema) {
    if (!(data instanceof SpecificRecord)) {
      return super.createDatumWriter(data, schema);
    }
    DatumWriter<T> writer = writers.get(schema);
    if (writer == null) {
      writer = super.createDatumWriter(data, schema);
      writers = with(writers, schema, writer);
    }
    return writer;
  }

  @Override
  public DatumReader<T> createDatumReader(Schema schema) {
    DatumReader<T> reader = readers.get(schema);
    if (reader == null) {
      reader = super.createDatumReader(schema);
      readers = with(readers, schema, reader);
    }
    return reader;
  }

  /**
   * A copy with one more entry: the maps are read on every record and written a few times in a
   * serde's life, so readers take no lock. Two threads adding at once may drop one entry, which is
   * then made again.
   */
  private static <V> Map<Schema, V> with(Map<Schema, V> current, Schema schema, V value) {
    Map<Schema, V> next = new IdentityHashMap<>(current.size() >= MAX_SCHEMAS ? Map.of() : current);
    next.put(schema, value);
    return next;
  }
}
