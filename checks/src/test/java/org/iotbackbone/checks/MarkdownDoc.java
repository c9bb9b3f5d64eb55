package org.iotbackbone.checks;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One Markdown file as the link check sees it: the link targets it holds (inline links and images,
 * reference definitions) and the anchors its headings get on GitHub. Fenced code blocks, code spans
 * and HTML comments hold no links. Indented code blocks are read as prose: without a full parser
 * they cannot be told from a list item's continuation, and this repository fences its code.
 */
final class MarkdownDoc {

  /** A link target as written, and the 1-based line it is on. */
  record Link(int line, String target) {}

  private static final Pattern FENCE = Pattern.compile("^ {0,3}(`{3,}|~{3,})(.*)$");
  private static final Pattern ATX_HEADING = Pattern.compile("^ {0,3}#{1,6}(?:[ \\t]+(.*))?$");
  private static final Pattern SETEXT_UNDERLINE = Pattern.compile("^ {0,3}(=+|-+)[ \\t]*$");
  private static final Pattern REFERENCE_DEFINITION =
      Pattern.compile("^ {0,3}\\[[^\\]]+\\]:[ \\t]*(\\S+)");
  private static final Pattern INLINE_LINK = Pattern.compile("\\[([^\\]]*)\\]\\([^)]*\\)");
  private static final Pattern HTML_COMMENT = Pattern.compile("<!--.*?-->", Pattern.DOTALL);

  private final List<Link> links;
  private final Set<String> anchors;

  private MarkdownDoc(List<Link> links, Set<String> anchors) {
    this.links = List.copyOf(links);
    this.anchors = Set.copyOf(anchors);
  }

  /** Reads a file's text. */
  static MarkdownDoc parse(String markdown) {
    String[] lines = markdown.split("\n", -1);
    // Fenced code blocks become blank lines, so that line numbers stay those of the file.
    String[] prose = new String[lines.length];
    List<String> headings = new ArrayList<>();
    String fence = null;
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].stripTrailing();
      prose[i] = "";
      Matcher opening = FENCE.matcher(line);
      if (fence != null) {
        if (opening.matches()
            && opening.group(1).charAt(0) == fence.charAt(0)
            && opening.group(1).length() >= fence.length()
            && opening.group(2).isBlank()) {
          fence = null;
        }
        continue;
      }
      if (opening.matches()) {
        fence = opening.group(1);
        continue;
      }
      prose[i] = line;
      Matcher atx = ATX_HEADING.matcher(line);
      if (atx.matches()) {
        headings.add(atx.group(1) == null ? "" : atx.group(1).replaceAll("[ \\t]+#+$", ""));
      } else if (i > 0
          && SETEXT_UNDERLINE.matcher(line).matches()
          && !prose[i - 1].isBlank()
          && !ATX_HEADING.matcher(prose[i - 1]).matches()
          && !prose[i - 1].startsWith("|")) {
        headings.add(prose[i - 1].strip());
      }
    }
    return new MarkdownDoc(links(String.join("\n", prose)), anchors(headings));
  }

  /** The link targets, in the order they appear. */
  List<Link> links() {
    return links;
  }

  /** The anchors of the headings ({@code #anchor} in a link), as GitHub makes them. */
  Set<String> anchors() {
    return anchors;
  }

  /**
   * GitHub's anchor of a heading's text: its rendered text lower-cased, without punctuation other
   * than {@code -} and {@code _}, each space a {@code -}.
   */
  static String slug(String heading) {
    String text = INLINE_LINK.matcher(heading).replaceAll("$1");
    text = text.replace("`", "").replace("*", "").toLowerCase(Locale.ROOT);
    StringBuilder slug = new StringBuilder();
    text.codePoints()
        .forEach(
            c -> {
              if (c == ' ') {
                slug.append('-');
              } else if (c == '-' || c == '_' || Character.isLetterOrDigit(c)) {
                slug.appendCodePoint(c);
              }
            });
    return slug.toString();
  }

  private static Set<String> anchors(List<String> headings) {
    // A heading whose slug was taken gets -1, -2, ... in the order of the file.
    Map<String, Integer> seen = new HashMap<>();
    Set<String> anchors = new LinkedHashSet<>();
    for (String heading : headings) {
      String slug = slug(heading);
      int count = seen.merge(slug, 1, Integer::sum);
      anchors.add(count == 1 ? slug : slug + "-" + (count - 1));
    }
    return anchors;
  }

  private static List<Link> links(String prose) {
    String text = blankOut(withoutCodeSpans(prose), HTML_COMMENT);
    List<Link> links = new ArrayList<>();
    int from = 0;
    while (true) {
      int at = text.indexOf("](", from);
      if (at < 0) {
        break;
      }
      String target = target(text, at + 2);
      if (!target.isEmpty()) {
        links.add(new Link(lineOf(text, at), target));
      }
      from = at + 2;
    }
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      Matcher definition = REFERENCE_DEFINITION.matcher(lines[i]);
      if (definition.find()) {
        links.add(new Link(i + 1, unbracket(definition.group(1))));
      }
    }
    links.sort((a, b) -> Integer.compare(a.line(), b.line()));
    return links;
  }

  /** The destination that starts at {@code start}: {@code <...>}, or up to a space or ")". */
  private static String target(String text, int start) {
    int i = start;
    while (i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
      i++;
    }
    if (i < text.length() && text.charAt(i) == '<') {
      int end = text.indexOf('>', i);
      return end < 0 ? "" : text.substring(i + 1, end);
    }
    int depth = 0;
    int end = i;
    while (end < text.length()) {
      char c = text.charAt(end);
      if (Character.isWhitespace(c) || (c == ')' && depth == 0)) {
        break;
      }
      depth += c == '(' ? 1 : c == ')' ? -1 : 0;
      end++;
    }
    return text.substring(i, end);
  }

  private static String unbracket(String target) {
    return target.startsWith("<") && target.endsWith(">")
        ? target.substring(1, target.length() - 1)
        : target;
  }

  /**
   * The text with every code span's characters made spaces (newlines kept). A span opens with a run
   * of backticks and closes at the next run of the same length within its paragraph; an opening run
   * without one is literal text.
   */
  static String withoutCodeSpans(String text) {
    StringBuilder out = new StringBuilder(text);
    int i = 0;
    while (i < text.length()) {
      if (text.charAt(i) != '`') {
        i++;
        continue;
      }
      int runEnd = runEnd(text, i);
      int length = runEnd - i;
      int close = closingRun(text, runEnd, length);
      if (close < 0) {
        i = runEnd;
        continue;
      }
      for (int j = i; j < close + length; j++) {
        if (out.charAt(j) != '\n') {
          out.setCharAt(j, ' ');
        }
      }
      i = close + length;
    }
    return out.toString();
  }

  private static int runEnd(String text, int start) {
    int end = start;
    while (end < text.length() && text.charAt(end) == '`') {
      end++;
    }
    return end;
  }

  private static int closingRun(String text, int from, int length) {
    int i = from;
    while (i < text.length()) {
      if (text.charAt(i) == '\n' && blankLineAt(text, i + 1)) {
        return -1; // a blank line ends the paragraph, and with it the chance of a span
      }
      if (text.charAt(i) == '`') {
        int end = runEnd(text, i);
        if (end - i == length) {
          return i;
        }
        i = end;
      } else {
        i++;
      }
    }
    return -1;
  }

  private static boolean blankLineAt(String text, int start) {
    int i = start;
    while (i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
      i++;
    }
    return i == text.length() || text.charAt(i) == '\n';
  }

  private static String blankOut(String text, Pattern pattern) {
    StringBuilder out = new StringBuilder(text);
    Matcher matcher = pattern.matcher(text);
    while (matcher.find()) {
      for (int j = matcher.start(); j < matcher.end(); j++) {
        if (out.charAt(j) != '\n') {
          out.setCharAt(j, ' ');
        }
      }
    }
    return out.toString();
  }

  private static int lineOf(String text, int index) {
    int line = 1;
    for (int i = 0; i < index; i++) {
      if (text.charAt(i) == '\n') {
        line++;
      }
    }
    return line;
  }
}
