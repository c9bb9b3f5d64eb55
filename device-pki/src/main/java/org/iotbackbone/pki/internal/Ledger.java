package org.iotbackbone.pki.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code issued.tsv}: one row per certificate the CA issued, tab-separated: serial (hex), kind,
 * name, notAfter, and the revocation time or {@code -}. The CRL is made from it, so a revocation is
 * written here first: a CRL lost on the way is rebuilt from the ledger on the next write.
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

  public static List<Row> read(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    List<Row> rows = new ArrayList<>(lines.size());
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
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

  /** Adds {@code rows} at the end (a rewrite, so that readers never see half a row). */
  public static void append(Path file, List<Row> rows) {
    List<Row> all = new ArrayList<>(read(file));
    all.addAll(rows);
    write(file, all);
  }
}
