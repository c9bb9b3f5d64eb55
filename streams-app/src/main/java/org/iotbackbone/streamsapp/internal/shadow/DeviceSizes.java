package org.iotbackbone.streamsapp.internal.shadow;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.iotbackbone.schemas.DeviceShadow;

/** How many bytes a device's record takes on the wire: what the 1 MiB limits apply to. */
final class DeviceSizes {

  /** The Confluent frame before the Avro bytes: magic byte and schema id. */
  private static final int FRAME = 5;

  private DeviceSizes() {}

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
