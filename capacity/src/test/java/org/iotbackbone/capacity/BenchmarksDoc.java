package org.iotbackbone.capacity;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Sections of docs/benchmarks.md, read as the figures cite them. */
final class BenchmarksDoc {

  private BenchmarksDoc() {}

  static Path repoRoot() {
    String root = System.getProperty("iotbackbone.repoRoot");
    if (root == null || root.isBlank()) {
      throw new IllegalStateException("system property iotbackbone.repoRoot (set by the pom)");
    }
    return Path.of(root);
  }

  static String benchmarks() throws IOException {
    return Files.readString(repoRoot().resolve("docs/benchmarks.md"));
  }

  /**
   * The text under the heading {@code title} (any level) up to the next heading of the same or a
   * higher level, outside code fences; whitespace, line breaks included, collapsed to one space.
   */
  static Optional<String> section(String markdown, String title) {
    StringBuilder body = null;
    int level = 0;
    boolean fenced = false;
    for (String line : markdown.split("\n", -1)) {
      if (line.startsWith("```") || line.startsWith("~~~")) {
        fenced = !fenced;
      }
      int hashes = fenced ? 0 : headingLevel(line);
      if (body != null && hashes > 0 && hashes <= level) {
        break;
      }
      if (body == null && hashes > 0 && line.substring(hashes).strip().equals(title)) {
        body = new StringBuilder();
        level = hashes;
        continue;
      }
      if (body != null) {
        body.append(line).append('\n');
      }
    }
    return Optional.ofNullable(body).map(b -> collapse(b.toString()));
  }

  static String collapse(String text) {
    return text.replaceAll("\\s+", " ").strip();
  }

  private static int headingLevel(String line) {
    int hashes = 0;
    while (hashes < line.length() && line.charAt(hashes) == '#') {
      hashes++;
    }
    return hashes > 0 && hashes <= 6 && line.length() > hashes && line.charAt(hashes) == ' '
        ? hashes
        : 0;
  }
}
