package org.iotbackbone.streamsapp.internal.shadow;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.iotbackbone.schemas.DeviceShadow;

/** How many bytes a device's record takes on the wire: what the 1 MiB limits apply to. */
final class DeviceSizes {

  /** The Confluent frame before the Avro bytes: magic byte and schema id. */
  private static final int FRAME = 5;

  /** The most a varint int (a length, a count, a union branch, an enum) takes. */
  private static final int VARINT = 5;

  /** The most a varint long takes. */
  private static final int VARLONG = 10;

  /** Not a bound: a value of a type {@link #bound} does not know. */
  private static final long UNKNOWN = Long.MAX_VALUE;

  private DeviceSizes() {}

  /**
   * Whether the record, serialized, is at most {@code maxBytes}. Exact, but the record is encoded
   * only when a cheap upper bound of its size passes the limit: encoding every record to count it
   * was 3% of the stream thread (JFR, 2026-12-06), for records that are nearly all far below it.
   */
  static boolean fits(DeviceShadow record, int maxBytes) {
    long bound = bound(record);
    return (bound != UNKNOWN && FRAME + bound <= maxBytes) || serializedBytes(record) <= maxBytes;
  }

  /** The Avro binary size of the record plus the frame, counted without keeping the bytes. */
  static int serializedBytes(DeviceShadow record) {
    Counter counter = new Counter();
    try {
      BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(counter, null);
      // A writer per call: Avro does not promise that one may be shared by stream threads.
      new SpecificDatumWriter<DeviceShadow>(DeviceShadow.getClassSchema()).write(record, encoder);
      encoder.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a counter does not fail
    }
    return FRAME + counter.count;
  }

  /**
   * No less than the Avro binary size of {@code value}, from its Java type alone: every value is
   * counted with a union branch index (whether it is in a union or not), every string as if each
   * char took 3 bytes of UTF-8 (the most a UTF-16 char takes; a surrogate pair, 2 chars, takes 4),
   * every number at its longest varint. {@link #UNKNOWN} for a type not listed here, which the
   * caller then counts exactly.
   */
  static long bound(Object value) {
    long size = VARINT; // the union branch, if any
    if (value == null) {
      return size;
    } else if (value instanceof CharSequence text) {
      return size + VARINT + 3L * text.length();
    } else if (value instanceof Long || value instanceof Instant) {
      return size + VARLONG;
    } else if (value instanceof Integer || value instanceof Enum<?>) {
      return size + VARINT;
    } else if (value instanceof Boolean) {
      return size + 1;
    } else if (value instanceof Float) {
      return size + 4;
    } else if (value instanceof Double) {
      return size + 8;
    } else if (value instanceof ByteBuffer bytes) {
      return size + VARINT + bytes.remaining();
    } else if (value instanceof GenericFixed fixed) {
      return size + fixed.bytes().length;
    } else if (value instanceof IndexedRecord record) {
      int fields = record.getSchema().getFields().size();
      for (int i = 0; i < fields; i++) {
        size = plus(size, bound(record.get(i)));
      }
      return size;
    } else if (value instanceof Map<?, ?> map) {
      // One block: its count, its entries, the zero that ends the map.
      size += 2L * VARINT;
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        size = plus(size, bound(entry.getKey()));
        size = plus(size, bound(entry.getValue()));
      }
      return size;
    } else if (value instanceof Collection<?> items) {
      size += 2L * VARINT;
      for (Object item : items) {
        size = plus(size, bound(item));
      }
      return size;
    }
    return UNKNOWN;
  }

  private static long plus(long size, long more) {
    return more == UNKNOWN ? UNKNOWN : size + more;
  }

  private static final class Counter extends OutputStream {
    private int count;

    @Override
    public void write(int b) {
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      count += len;
    }
  }
}
