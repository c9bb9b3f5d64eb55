package org.iotbackbone.checks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Checks the relative links of every Markdown file under a root: the file or directory a link names
 * must exist inside the root (a clone has nothing outside it), and an {@code #anchor} must be one
 * of the target file's headings. Links with a scheme ({@code https:}, {@code mailto:}) are not
 * followed.
 */
final class MarkdownLinkChecker {

  /** Directories that hold build output, dependencies or local state, not documentation. */
  private static final Set<String> SKIPPED_DIRS = Set.of("target", "node_modules", ".git", ".iot");

  private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:");

  private final Path root;
  private final Map<Path, MarkdownDoc> docs = new HashMap<>();

  MarkdownLinkChecker(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  /** Every Markdown file under the root, outside the skipped directories. */
  List<Path> markdownFiles() {
    try (Stream<Path> paths = Files.walk(root)) {
      return paths
          .filter(path -> path.toString().endsWith(".md") && Files.isRegularFile(path))
          .filter(path -> !inSkippedDir(root.relativize(path)))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One line per broken link of every Markdown file: {@code file:line: target: what is wrong}. */
  List<String> problems() {
    List<String> problems = new ArrayList<>();
    for (Path file : markdownFiles()) {
      problems.addAll(problems(file));
    }
    return problems;
  }

  /** The broken links of one file. */
  List<String> problems(Path file) {
    List<String> problems = new ArrayList<>();
    Path absolute = file.toAbsolutePath().normalize();
    for (MarkdownDoc.Link link : doc(absolute).links()) {
      problem(absolute, link.target())
          .ifPresent(
              what ->
                  problems.add(
                      root.relativize(absolute)
                          + ":"
                          + link.line()
                          + ": "
                          + link.target()
                          + ": "
                          + what));
    }
    return problems;
  }

  private Optional<String> problem(Path file, String target) {
    if (SCHEME.matcher(target).find()) {
      return Optional.empty();
    }
    int hash = target.indexOf('#');
    String pathPart = decode(hash < 0 ? target : target.substring(0, hash));
    String anchor = hash < 0 ? null : decode(target.substring(hash + 1));
    Path resolved;
    if (pathPart.isEmpty()) {
      resolved = file;
    } else if (pathPart.startsWith("/")) {
      resolved = root.resolve(pathPart.substring(1)).normalize(); // GitHub: from the repo's root
    } else {
      resolved = file.getParent().resolve(pathPart).normalize();
    }
    if (!resolved.startsWith(root)) {
      return Optional.of("leaves the repository (a clone does not have it)");
    }
    if (!Files.exists(resolved)) {
      return Optional.of("no such file in the repository");
    }
    if (anchor != null
        && resolved.toString().endsWith(".md")
        && Files.isRegularFile(resolved)
        && !doc(resolved).anchors().contains(anchor)) {
      return Optional.of("no heading with anchor #" + anchor + " in " + root.relativize(resolved));
    }
    return Optional.empty();
  }

  private MarkdownDoc doc(Path file) {
    return docs.computeIfAbsent(
        file,
        path -> {
          try {
            return MarkdownDoc.parse(Files.readString(path, StandardCharsets.UTF_8));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  private static boolean inSkippedDir(Path relative) {
    for (int i = 0; i < relative.getNameCount() - 1; i++) {
      if (SKIPPED_DIRS.contains(relative.getName(i).toString())) {
        return true;
      }
    }
    return false;
  }

  private static String decode(String part) {
    // URLDecoder would turn '+' into a space; in a link's path it is a plus.
    return URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8);
  }
}
