package org.iotbackbone.streamsapp.internal.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A job's target filter over a device's reported state (docs/design.md, "Jobs", filters): {@code
 * field op value} joined by {@code and} / {@code or} ({@code and} binds tighter), parentheses,
 * {@code = != < <= > >=}, dotted paths, versions compared as versions. Immutable and thread-safe;
 * made by {@link #parse}.
 */
public final class TargetFilter {

  /** The longest filter accepted, in characters. */
  public static final int MAX_LENGTH = 2048;

  /** The deepest nesting of parentheses accepted. */
  public static final int MAX_DEPTH = 16;

  private static final Pattern FIELD = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*");

  /** Digits and dots, optionally after a {@code v}: {@code 2}, {@code 2.4.0}, {@code v1.10}. */
  private static final Pattern VERSION = Pattern.compile("[vV]?\\d+(\\.\\d+)*");

  private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?");

  private final String text;
  private final Node root;

  private TargetFilter(String text, Node root) {
    this.text = text;
    this.root = root;
  }

  /**
   * Parses a filter.
   *
   * @throws FilterException naming the position (1-based) and what was expected
   */
  public static TargetFilter parse(String text) {
    if (text == null || text.isBlank()) {
      throw new FilterException(1, "a filter such as model = speaker-300", "nothing");
    }
    if (text.length() > MAX_LENGTH) {
      throw new FilterException(
          MAX_LENGTH + 1, "at most " + MAX_LENGTH + " characters", text.length() + " characters");
    }
    Parser parser = new Parser(FilterLexer.tokens(text));
    Node root = parser.or(0);
    parser.expectEnd();
    return new TargetFilter(text, root);
  }

  /** Whether a device whose reported state is {@code reported} (an object, or null) matches. */
  public boolean matches(JsonNode reported) {
    return reported != null && reported.isObject() && root.matches(reported);
  }

  /** The filter as it was written. */
  public String text() {
    return text;
  }

  @Override
  public String toString() {
    return text;
  }

  private sealed interface Node permits And, Or, Comparison {
    boolean matches(JsonNode reported);
  }

  private record And(List<Node> parts) implements Node {
    @Override
    public boolean matches(JsonNode reported) {
      return parts.stream().allMatch(part -> part.matches(reported));
    }
  }

  private record Or(List<Node> parts) implements Node {
    @Override
    public boolean matches(JsonNode reported) {
      return parts.stream().anyMatch(part -> part.matches(reported));
    }
  }

  private record Comparison(List<String> path, String op, String value) implements Node {
    @Override
    public boolean matches(JsonNode reported) {
      JsonNode node = reported;
      for (String step : path) {
        node = node.get(step);
        if (node == null) {
          return false;
        }
      }
      Integer order = compare(node, value);
      if (order == null) {
        return false;
      }
      return switch (op) {
        case "=" -> order == 0;
        case "!=" -> order != 0;
        case "<" -> order < 0;
        case "<=" -> order <= 0;
        case ">" -> order > 0;
        case ">=" -> order >= 0;
        default -> throw new IllegalStateException("operator " + op);
      };
    }
  }

  /**
   * The order of a reported value against a filter's value, or null when they cannot be compared
   * (an object, an array, null, a number against a word).
   */
  static Integer compare(JsonNode reported, String value) {
    if (reported.isNumber()) {
      if (isVersion(value) && value.indexOf('.') != value.lastIndexOf('.')) {
        return compareVersions(reported.asText(), value);
      }
      if (!NUMBER.matcher(value).matches()) {
        return null;
      }
      return reported.decimalValue().compareTo(new BigDecimal(value));
    }
    if (reported.isTextual()) {
      String text = reported.textValue();
      if (isVersion(text) && isVersion(value)) {
        return compareVersions(text, value);
      }
      return Integer.signum(text.compareTo(value));
    }
    if (reported.isBoolean()) {
      if (!value.equals("true") && !value.equals("false")) {
        return null;
      }
      return Boolean.compare(reported.booleanValue(), Boolean.parseBoolean(value));
    }
    return null;
  }

  static boolean isVersion(String text) {
    return VERSION.matcher(text).matches();
  }

  /** Compares {@code 2.10.0} after {@code 2.9}: numerically, part by part, a missing part is 0. */
  static int compareVersions(String a, String b) {
    String[] left = strip(a).split("\\.");
    String[] right = strip(b).split("\\.");
    for (int i = 0; i < Math.max(left.length, right.length); i++) {
      BigDecimal l = i < left.length ? new BigDecimal(left[i]) : BigDecimal.ZERO;
      BigDecimal r = i < right.length ? new BigDecimal(right[i]) : BigDecimal.ZERO;
      int order = l.compareTo(r);
      if (order != 0) {
        return Integer.signum(order);
      }
    }
    return 0;
  }

  private static String strip(String version) {
    return version.startsWith("v") || version.startsWith("V") ? version.substring(1) : version;
  }

  /** Recursive descent over the tokens; every error names the position and what was expected. */
  private static final class Parser {
    private final List<FilterLexer.Token> tokens;
    private int next;

    Parser(List<FilterLexer.Token> tokens) {
      this.tokens = tokens;
    }

    Node or(int depth) {
      List<Node> parts = new ArrayList<>();
      parts.add(and(depth));
      while (peekKeyword("or")) {
        next++;
        parts.add(and(depth));
      }
      return parts.size() == 1 ? parts.get(0) : new Or(List.copyOf(parts));
    }

    Node and(int depth) {
      List<Node> parts = new ArrayList<>();
      parts.add(primary(depth));
      while (peekKeyword("and")) {
        next++;
        parts.add(primary(depth));
      }
      return parts.size() == 1 ? parts.get(0) : new And(List.copyOf(parts));
    }

    Node primary(int depth) {
      FilterLexer.Token token = peek();
      if (token.kind() == FilterLexer.Kind.OPEN) {
        if (depth >= MAX_DEPTH) {
          throw new FilterException(
              token.position(), "at most " + MAX_DEPTH + " nested parentheses", "more");
        }
        next++;
        Node inner = or(depth + 1);
        FilterLexer.Token close = peek();
        if (close.kind() != FilterLexer.Kind.CLOSE) {
          throw new FilterException(close.position(), "')' or 'and' or 'or'", close.describe());
        }
        next++;
        return inner;
      }
      return comparison();
    }

    Node comparison() {
      FilterLexer.Token field = peek();
      if (field.kind() != FilterLexer.Kind.WORD || isKeyword(field)) {
        throw new FilterException(field.position(), "a field name or '('", field.describe());
      }
      List<String> path = List.of(field.text().split("\\.", -1));
      for (String step : path) {
        if (!FIELD.matcher(step).matches()) {
          throw new FilterException(
              field.position(),
              "a field: names of [A-Za-z_][A-Za-z0-9_-]* joined by '.'",
              field.describe());
        }
      }
      next++;
      FilterLexer.Token op = peek();
      if (op.kind() != FilterLexer.Kind.OP) {
        throw new FilterException(
            op.position(), "an operator (= != < <= > >=) after " + field.text(), op.describe());
      }
      next++;
      FilterLexer.Token value = peek();
      if (value.kind() != FilterLexer.Kind.WORD && value.kind() != FilterLexer.Kind.STRING
          || value.kind() == FilterLexer.Kind.WORD && isKeyword(value)) {
        throw new FilterException(
            value.position(),
            "a value (a number, a word or a \"quoted string\") after " + op.text(),
            value.describe());
      }
      next++;
      return new Comparison(path, op.text(), value.text());
    }

    void expectEnd() {
      FilterLexer.Token token = peek();
      if (token.kind() != FilterLexer.Kind.END) {
        throw new FilterException(token.position(), "'and', 'or' or the end", token.describe());
      }
    }

    private FilterLexer.Token peek() {
      return tokens.get(next);
    }

    private boolean peekKeyword(String keyword) {
      FilterLexer.Token token = peek();
      return token.kind() == FilterLexer.Kind.WORD && token.text().equalsIgnoreCase(keyword);
    }

    private static boolean isKeyword(FilterLexer.Token token) {
      return token.text().equalsIgnoreCase("and") || token.text().equalsIgnoreCase("or");
    }
  }
}
