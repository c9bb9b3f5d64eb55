package org.iotbackbone.schemas.serde.internal;

import io.apicurio.registry.serde.avro.DefaultAvroDatumProvider;
import org.apache.avro.Schema;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * Apicurio's datum provider, with the writer of a generated record class found without work.
 *
 * <p>Apicurio's own provider caches writers by the schema's parsing fingerprint, which it computes
 * for every record it writes (the schema's canonical form rebuilt and hashed): in the bridge that
 * was half the CPU of a record's way to Kafka. A generated class always passes the same {@link
 * Schema} object (its {@code SCHEMA$}), so the writer last made for that very object is used again;
 * anything else goes to Apicurio's provider.
 */
public final class SpecificWriterCache<T> extends DefaultAvroDatumProvider<T> {

  /** The schema object and its writer, swapped together. */
  private record Last<T>(Schema schema, DatumWriter<T> writer) {}

  private volatile Last<T> last;

  @Override
  public DatumWriter<T> createDatumWriter(T data, Schema schema) {
    if (!(data instanceof SpecificRecord)) {
      return super.createDatumWriter(data, schema);
    }
    Last<T> cached = last;
    if (cached != null && cached.schema() == schema) {
      return cached.writer();
    }
    DatumWriter<T> writer = super.createDatumWriter(data, schema);
    last = new Last<>(schema, writer);
    return writer;
  }
}
