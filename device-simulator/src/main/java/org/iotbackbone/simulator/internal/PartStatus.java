package org.iotbackbone.simulator.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.EnumMap;
import java.util.Map;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;
import org.iotbackbone.simulator.Count;
import org.iotbackbone.simulator.Leg;

/**
 * What a simulator process running part of a fleet tells the process that started it, a line a
 * second on its standard output: its counters and latencies so far (cumulative, so that the reader
 * needs no line but the last to be right), the devices it holds, and at the end how long its ramp
 * and load took. Histograms travel as HdrHistogram's compressed encoding in base64, which keeps
 * every recorded value, so that percentiles over all parts are exact.
 *
 * @param connected devices connected now
 * @param counts every counter's total so far
 * @param latencies every leg's latencies so far
 * @param done whether this is the part's last line
 * @param rampMillis the connect ramp, in the last line
 * @param loadMillis the load, in the last line
 */
public record PartStatus(
    int connected,
    Map<Count, Long> counts,
    Map<Leg, Histogram> latencies,
    boolean done,
    long rampMillis,
    long loadMillis) {

  /** What starts a status line; whatever else a part prints is not one. */
  public static final String MARK = "@@simulator-part ";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The status of what {@code metrics} holds as of its last sample. */
  public static PartStatus of(Metrics metrics, boolean done, long rampMillis, long loadMillis) {
    Map<Count, Long> counts = new EnumMap<>(Count.class);
    for (Count count : Count.values()) {
      counts.put(count, metrics.total(count));
    }
    Map<Leg, Histogram> latencies = new EnumMap<>(Leg.class);
    for (Leg leg : Leg.values()) {
      latencies.put(leg, metrics.total(leg));
    }
    return new PartStatus(metrics.connected(), counts, latencies, done, rampMillis, loadMillis);
  }

  /** The line, {@link #MARK} included. */
  public String toLine() {
    ObjectNode root = JSON.createObjectNode();
    root.put("connected", connected);
    ObjectNode countsNode = root.putObject("counts");
    counts.forEach((count, value) -> countsNode.put(count.name(), value));
    ObjectNode legs = root.putObject("latencies");
    latencies.forEach(
        (leg, histogram) -> {
          ByteBuffer buffer = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
          int length = histogram.encodeIntoCompressedByteBuffer(buffer);
          legs.put(leg.name(), Base64.getEncoder().encodeToString(copyOf(buffer.array(), length)));
        });
    root.put("done", done);
    root.put("rampMillis", rampMillis);
    root.put("loadMillis", loadMillis);
    return MARK + root;
  }

  /**
   * The status in a line, or null when the line is not a status line (a part's other output).
   *
   * @throws IllegalArgumentException when it is one, but unreadable
   */
  public static PartStatus parse(String line) {
    return new Reader().parse(line);
  }

  /**
   * Reads one part's status lines in turn, and decodes only the legs whose encoding changed since
   * the part's previous line: an unchanged leg comes back as the same {@link Histogram} instance. A
   * part repeats its cumulative totals every second, most legs unchanged (during a ramp all but the
   * connect leg), and each decoded leg is a counts array of 184 KB however few values it holds;
   * decoding all six for each of 14 parts every second kept the parent simulator of a
   * quarter-million-device ramp in its collector for a third of its time (docs/benchmarks.md).
   */
  public static final class Reader {
    private final Map<Leg, String> encodings = new EnumMap<>(Leg.class);
    private final Map<Leg, Histogram> decoded = new EnumMap<>(Leg.class);

    /** As {@link PartStatus#parse(String)}, for the next line of the same part. */
    public PartStatus parse(String line) {
      if (!line.startsWith(MARK)) {
        return null;
      }
      try {
        JsonNode root = JSON.readTree(line.substring(MARK.length()));
        Map<Count, Long> counts = new EnumMap<>(Count.class);
        for (Count count : Count.values()) {
          counts.put(count, root.path("counts").path(count.name()).asLong(0));
        }
        Map<Leg, Histogram> latencies = new EnumMap<>(Leg.class);
        for (Leg leg : Leg.values()) {
          latencies.put(leg, latencies(leg, root.path("latencies").path(leg.name())));
        }
        return new PartStatus(
            root.path("connected").asInt(),
            counts,
            latencies,
            root.path("done").asBoolean(),
            root.path("rampMillis").asLong(),
            root.path("loadMillis").asLong());
      } catch (java.io.IOException | DataFormatException | RuntimeException e) {
        throw new IllegalArgumentException("unreadable status line from a simulator part: " + e, e);
      }
    }

    private Histogram latencies(Leg leg, JsonNode node) throws DataFormatException {
      // A leg the line leaves out has no values: the empty text stands for it.
      String encoding = node.isTextual() ? node.asText() : "";
      Histogram known = decoded.get(leg);
      if (known != null && encoding.equals(encodings.get(leg))) {
        return known;
      }
      Histogram histogram =
          encoding.isEmpty()
              ? new Histogram(3)
              : Histogram.decodeFromCompressedByteBuffer(
                  ByteBuffer.wrap(Base64.getDecoder().decode(encoding)), 0);
      encodings.put(leg, encoding);
      decoded.put(leg, histogram);
      return histogram;
    }
  }

  private static byte[] copyOf(byte[] bytes, int length) {
    return java.util.Arrays.copyOf(bytes, length);
  }
}
