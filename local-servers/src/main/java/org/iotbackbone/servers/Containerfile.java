package org.iotbackbone.servers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A container image definition (Containerfile / Dockerfile), read far enough to say which files the
 * image will hold and where they come from, without a container engine: the build stages, the
 * {@code ARG} defaults, {@code ADD} and {@code COPY} (from the build context, a local {@code
 * .tar.gz} that {@code ADD} unpacks, or another stage) and the {@code ENTRYPOINT}.
 *
 * <p>It is the check that an image definition and a distribution agree (a path renamed in one and
 * not the other would otherwise be found by the first {@code docker build}, on someone else's
 * machine). Instructions that run commands ({@code RUN}) are not modelled: an image definition
 * checked this way places its files with {@code ADD} and {@code COPY} only.
 */
public final class Containerfile {

  private static final Pattern VARIABLE = Pattern.compile("\\$\\{(\\w+)}|\\$(\\w+)");

  private final List<Instruction> instructions;
  private final Map<String, String> argDefaults;

  /** One instruction: its keyword (upper case), its {@code --flags} and its other words. */
  public record Instruction(String keyword, Map<String, String> flags, List<String> words) {}

  private Containerfile(List<Instruction> instructions, Map<String, String> argDefaults) {
    this.instructions = instructions;
    this.argDefaults = argDefaults;
  }

  /** Reads an image definition; continuation lines ({@code \}) joined, comments dropped. */
  public static Containerfile parse(String text) {
    List<Instruction> instructions = new ArrayList<>();
    Map<String, String> argDefaults = new LinkedHashMap<>();
    StringBuilder logical = new StringBuilder();
    for (String line : text.split("\n", -1)) {
      String trimmed = line.strip();
      if (logical.length() == 0 && (trimmed.isEmpty() || trimmed.startsWith("#"))) {
        continue;
      }
      if (trimmed.endsWith("\\")) {
        logical.append(trimmed, 0, trimmed.length() - 1).append(' ');
        continue;
      }
      logical.append(trimmed);
      Instruction instruction = instruction(logical.toString());
      logical.setLength(0);
      instructions.add(instruction);
      if (instruction.keyword().equals("ARG") && !instruction.words().isEmpty()) {
        String[] arg = instruction.words().get(0).split("=", 2);
        if (arg.length == 2) {
          argDefaults.putIfAbsent(arg[0], arg[1]);
        }
      }
    }
    return new Containerfile(List.copyOf(instructions), argDefaults);
  }

  /** Reads an image definition from a file. */
  public static Containerfile read(Path file) throws IOException {
    return parse(Files.readString(file));
  }

  /** The instructions, in order. */
  public List<Instruction> instructions() {
    return instructions;
  }

  /** The default of a build argument ({@code ARG NAME=value}), if it has one. */
  public Optional<String> argDefault(String name) {
    return Optional.ofNullable(argDefaults.get(name));
  }

  /** The entry point's words (the JSON form), with build arguments at their defaults. */
  public List<String> entrypoint() {
    return instructions.stream()
        .filter(instruction -> instruction.keyword().equals("ENTRYPOINT"))
        .reduce((first, second) -> second)
        .map(instruction -> jsonWords(String.join(" ", instruction.words())))
        .orElse(List.of());
  }

  /**
   * The files the final image holds from {@code ADD} and {@code COPY}, each image path mapped to
   * where it comes from: a build-context path, or {@code ARCHIVE!entry} for what an {@code ADD}
   * unpacked from a local {@code .tar.gz}. Build arguments take their defaults.
   *
   * @param context the build context (the directory {@code docker build} is given)
   * @param archiveEntries the entries of a {@code .tar.gz} in the context (as {@code tar tzf} lists
   *     them); only asked for archives the definition adds
   * @throws IllegalStateException when a source is not in the context, or a {@code COPY --from}
   *     names a path its stage does not have
   */
  public Map<String, String> finalImageFiles(
      Path context, Function<Path, List<String>> archiveEntries) {
    Map<String, Map<String, String>> stages = new LinkedHashMap<>();
    Map<String, String> current = null;
    int stageNumber = 0;
    for (Instruction instruction : instructions) {
      switch (instruction.keyword()) {
        case "FROM" -> {
          current = new TreeMap<>();
          List<String> words = instruction.words();
          String name =
              words.size() >= 3 && words.get(1).equalsIgnoreCase("AS")
                  ? words.get(2)
                  : Integer.toString(stageNumber);
          stages.put(name, current);
          stages.put(Integer.toString(stageNumber++), current);
        }
        case "ADD", "COPY" -> {
          if (current == null) {
            throw new IllegalStateException(instruction.keyword() + " before FROM");
          }
          copy(instruction, context, archiveEntries, stages, current);
        }
        default -> {
          // Other instructions do not place files.
        }
      }
    }
    if (current == null) {
      throw new IllegalStateException("no FROM: not an image definition");
    }
    return current;
  }

  private void copy(
      Instruction instruction,
      Path context,
      Function<Path, List<String>> archiveEntries,
      Map<String, Map<String, String>> stages,
      Map<String, String> target) {
    List<String> words = instruction.words().stream().map(this::expand).toList();
    if (words.size() < 2) {
      throw new IllegalStateException(instruction.keyword() + " needs a source and a destination");
    }
    String destination = words.get(words.size() - 1);
    String from = instruction.flags().get("from");
    for (String source : words.subList(0, words.size() - 1)) {
      if (from != null) {
        Map<String, String> stage = stages.get(expand(from));
        if (stage == null) {
          throw new IllegalStateException("COPY --from=" + from + ": no such stage");
        }
        copyFromStage(source, destination, stage, target);
      } else {
        copyFromContext(instruction, source, destination, context, archiveEntries, target);
      }
    }
  }

  private static void copyFromStage(
      String source, String destination, Map<String, String> stage, Map<String, String> target) {
    String prefix = source.endsWith("/") ? source : source + "/";
    boolean found = false;
    for (Map.Entry<String, String> file : stage.entrySet()) {
      if (file.getKey().equals(source)) {
        target.put(
            destination.endsWith("/") ? destination + name(source) : destination, file.getValue());
        found = true;
      } else if (file.getKey().startsWith(prefix)) {
        target.put(
            directory(destination) + file.getKey().substring(prefix.length()), file.getValue());
        found = true;
      }
    }
    if (!found) {
      throw new IllegalStateException(
          "COPY --from: " + source + " is not in that stage, which holds " + stage.keySet());
    }
  }

  private static void copyFromContext(
      Instruction instruction,
      String source,
      String destination,
      Path context,
      Function<Path, List<String>> archiveEntries,
      Map<String, String> target) {
    Path path = context.resolve(source).normalize();
    if (!path.startsWith(context.normalize()) || !Files.exists(path)) {
      throw new IllegalStateException(
          instruction.keyword() + " " + source + ": not in the build context " + context);
    }
    if (instruction.keyword().equals("ADD") && source.endsWith(".tar.gz")) {
      // ADD unpacks a local archive into the destination directory.
      for (String entry : archiveEntries.apply(path)) {
        if (!entry.endsWith("/")) {
          target.put(directory(destination) + entry, source + "!" + entry);
        }
      }
    } else if (Files.isDirectory(path)) {
      try (var files = Files.walk(path)) {
        files
            .filter(Files::isRegularFile)
            .forEach(
                file ->
                    target.put(
                        directory(destination)
                            + path.relativize(file).toString().replace('\\', '/'),
                        context.relativize(file).toString()));
      } catch (IOException e) {
        throw new IllegalStateException("cannot list " + path, e);
      }
    } else {
      target.put(destination.endsWith("/") ? destination + name(source) : destination, source);
    }
  }

  private String expand(String word) {
    Matcher matcher = VARIABLE.matcher(word);
    StringBuilder expanded = new StringBuilder();
    while (matcher.find()) {
      String name = matcher.group(1) != null ? matcher.group(1) : matcher.group(2);
      String value = argDefaults.get(name);
      if (value == null) {
        throw new IllegalStateException("build argument " + name + " has no default: " + word);
      }
      matcher.appendReplacement(expanded, Matcher.quoteReplacement(value));
    }
    matcher.appendTail(expanded);
    return expanded.toString();
  }

  private List<String> jsonWords(String json) {
    String inner = json.strip();
    if (!inner.startsWith("[") || !inner.endsWith("]")) {
      throw new IllegalStateException("ENTRYPOINT is not in the JSON (exec) form: " + json);
    }
    List<String> words = new ArrayList<>();
    Matcher quoted = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(inner);
    while (quoted.find()) {
      words.add(expand(quoted.group(1)));
    }
    return words;
  }

  private static Instruction instruction(String line) {
    String[] words = line.strip().split("\\s+");
    Map<String, String> flags = new LinkedHashMap<>();
    List<String> rest = new ArrayList<>();
    for (int i = 1; i < words.length; i++) {
      if (rest.isEmpty() && words[i].startsWith("--")) {
        String[] flag = words[i].substring(2).split("=", 2);
        flags.put(flag[0], flag.length == 2 ? flag[1] : "");
      } else {
        rest.add(words[i]);
      }
    }
    return new Instruction(words[0].toUpperCase(java.util.Locale.ROOT), flags, rest);
  }

  private static String directory(String destination) {
    return destination.endsWith("/") ? destination : destination + "/";
  }

  private static String name(String path) {
    String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    return trimmed.substring(trimmed.lastIndexOf('/') + 1);
  }
}
