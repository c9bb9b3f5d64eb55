package org.iotbackbone.pki.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code issued.tsv}: one row per certificate the CA issued, tab-separated: serial (hex), kind,
 * name, notAfter, and the revocation time or {@code -}. The CRL is made from it, so a revocation is
 * written here first: a CRL lost on the way is rebuilt from the ledger on the next write. Issuing
 * appends to it; a revocation rewrites it whole, atomically.
 */
public final class Ledger {

  public static final String HEADER = "serial\tkind\tname\tnotAfter\trevokedAt";

  /** One issued certificate; {@code revokedAt} null while it is valid. */
  public record Row(
      BigInteger serial, String kind, String name, Instant notAfter, Instant revokedAt) {

    public Row revoked(Instant at) {
      return new Row(serial, kind, name, notAfter, at);
    }

    String line() {
      return serial.toString(16).toUpperCase(Locale.ROOT)
          + "\t"
          + kind
          + "\t"
          + name
          + "\t"
          + notAfter
          + "\t"
          + (revokedAt == null ? "-" : revokedAt.toString());
    }
  }

  private Ledger() {}

  /**
   * Every row, in the order written. A last line without its newline is left out: a row being
   * appended at this moment, or one a crash cut short (see {@link #append}).
   *
   * @throws IllegalStateException naming the line, when a complete line is not a row
   */
  public static List<Row> read(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    // The last element is what follows the last newline: empty, or a row not yet complete.
    String[] lines = text.split("\n", -1);
    List<Row> rows = new ArrayList<>(lines.length);
    for (int i = 0; i < lines.length - 1; i++) {
      String line = lines[i];
      if (line.isBlank() || line.equals(HEADER)) {
        continue;
      }
      String[] fields = line.split("\t", -1);
      try {
        if (fields.length != 5) {
          throw new IllegalArgumentException("5 tab-separated fields expected");
        }
        rows.add(
            new Row(
                new BigInteger(fields[0], 16),
                fields[1],
                fields[2],
                Instant.parse(fields[3]),
                fields[4].equals("-") ? null : Instant.parse(fields[4])));
      } catch (IllegalArgumentException | DateTimeParseException e) {
        throw new IllegalStateException(
            file + " line " + (i + 1) + " is corrupt (" + e.getMessage() + "): " + line, e);
      }
    }
    return rows;
  }

  /** Replaces the file with {@code rows}. */
  public static void write(Path file, List<Row> rows) {
    StringBuilder text = new StringBuilder(64 * (rows.size() + 1)).append(HEADER).append('\n');
    for (Row row : rows) {
      text.append(row.line()).append('\n');
    }
    AtomicFiles.write(file, text.toString().getBytes(StandardCharsets.UTF_8), false, true);
  }

  /**
   * Adds {@code rows} at the end of the file and syncs it to the disk before returning. The caller
   * holds the CA directory's lock (one writer at a time). Only the end of the file is written, so
   * recording a chunk costs the chunk's bytes: a rewrite of the whole ledger per chunk, as before,
   * read and parsed every row already there (1.85 million rows, 148 MB, after a few
   * quarter-million-device simulator runs on one CA) for each 10,000 issued. A crash in the middle
   * of an append leaves a last line without its newline; its certificates were never handed out
   * (they are recorded before they leave the CA), so {@link #read} leaves it out and the next
   * append cuts it off before writing.
   */
  public static void append(Path file, List<Row> rows) {
    StringBuilder text = new StringBuilder(64 * (rows.size() + 1));
    for (Row row : rows) {
      text.append(row.line()).append('\n');
    }
    try (FileChannel out =
        FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long end = completeLength(out);
      if (end < out.size()) {
        out.truncate(end);
      }
      if (end == 0) {
        text.insert(0, HEADER + "\n");
      }
      ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
      long position = end;
      while (bytes.hasRemaining()) {
        position += out.write(bytes, position);
      }
      out.force(true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to " + file, e);
    }
  }

  /** The length of the file up to and including its last newline: its complete lines. */
  private static long completeLength(FileChannel in) throws IOException {
    ByteBuffer block = ByteBuffer.allocate(4096);
    long end = in.size();
    while (end > 0) {
      long from = Math.max(0, end - block.capacity());
      block.clear().limit((int) (end - from));
      while (block.hasRemaining() && in.read(block, from + block.position()) >= 0) {
        // a positional read may return fewer bytes than asked
      }
      for (int i = block.position() - 1; i >= 0; i--) {
        if (block.get(i) == '\n') {
          return from + i + 1;
        }
      }
      end = from;
    }
    return 0;
  }
}
