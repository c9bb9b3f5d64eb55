package org.iotbackbone.pki.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Mosquitto's password file: one {@code id:hash} per line ({@code password_file} in
 * mosquitto.conf). Blank lines and {@code #} comments are skipped when read.
 */
public final class SecretsFile {

  private SecretsFile() {}

  /** id -> hash, in the file's order. */
  public static Map<String, String> read(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    Map<String, String> hashes = new LinkedHashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new IllegalStateException(
            file + " line " + (i + 1) + " is not 'id:hash' (Mosquitto's password file format)");
      }
      hashes.put(line.substring(0, colon), line.substring(colon + 1));
    }
    return hashes;
  }

  /** Replaces the file (mode 0600) with {@code hashes}. */
  public static void write(Path file, Map<String, String> hashes) {
    StringBuilder text = new StringBuilder();
    hashes.forEach((id, hash) -> text.append(id).append(':').append(hash).append('\n'));
    AtomicFiles.write(file, text.toString().getBytes(StandardCharsets.UTF_8), true, true);
  }
}
