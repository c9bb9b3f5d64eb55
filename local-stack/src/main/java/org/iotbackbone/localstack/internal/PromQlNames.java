package org.iotbackbone.localstack.internal;

import java.util.Locale;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The metric names a PromQL expression reads: the selectors' names ({@code rate(x_total[5m])} reads
 * {@code x_total}), and the {@code __name__="..."} matchers' values. Not functions, aggregations,
 * keywords, label names in {@code by (...)}, {@code on (...)} and matchers, strings, numbers and
 * durations, nor Grafana's variables ({@code $__rate_interval}).
 *
 * <p>A scanner, not a parser: PromQL reserves its keywords, so a word is a metric name unless it is
 * a keyword or a function (followed by an opening parenthesis), which is all the distinction
 * needed. It does not check that the expression is valid; {@code promtool check rules} does for the
 * alert rules, Prometheus for the dashboard's queries in {@code PlatformIT}.
 */
public final class PromQlNames {

  /** Reserved words: aggregations, set and comparison modifiers, number literals. */
  private static final Set<String> KEYWORDS =
      Set.of(
          "sum",
          "min",
          "max",
          "avg",
          "group",
          "stddev",
          "stdvar",
          "count",
          "count_values",
          "bottomk",
          "topk",
          "quantile",
          "limitk",
          "limit_ratio",
          "and",
          "or",
          "unless",
          "atan2",
          "by",
          "without",
          "on",
          "ignoring",
          "group_left",
          "group_right",
          "offset",
          "bool",
          "start",
          "end",
          "inf",
          "nan");

  /** Keywords followed by a parenthesised list of label names. */
  private static final Set<String> LABEL_LISTS =
      Set.of("by", "without", "on", "ignoring", "group_left", "group_right");

  private final String text;
  private int at;

  private PromQlNames(String text) {
    this.text = text;
  }

  /**
   * The metric names {@code expression} reads, sorted.
   *
   * @throws IllegalArgumentException when a name cannot be known from the text (a regular
   *     expression on {@code __name__}), or a string, bracket or brace is not closed
   */
  public static SortedSet<String> of(String expression) {
    return new PromQlNames(expression).scan();
  }

  private SortedSet<String> scan() {
    SortedSet<String> names = new TreeSet<>();
    while (at < text.length()) {
      char c = text.charAt(at);
      if (c == '"' || c == '\'' || c == '`') {
        skipString();
      } else if (c == '#') {
        skipLine();
      } else if (c == '{') {
        matchers(names);
      } else if (c == '[') {
        // A range or a subquery's range and step: durations and Grafana variables only.
        skipTo(']');
      } else if (c == '$') {
        // A Grafana variable ($__rate_interval, ${datasource}): not a name.
        at++;
        if (at < text.length() && text.charAt(at) == '{') {
          skipTo('}');
        } else {
          word();
        }
      } else if (Character.isDigit(c) || (c == '.' && nextIsDigit())) {
        // A number or a duration (5m, 1h30m, 1e3, 0x1f, .5): letters after digits are not a name.
        while (at < text.length() && (isWordPart(text.charAt(at)) || text.charAt(at) == '.')) {
          at++;
        }
      } else if (isWordStart(c)) {
        String word = word();
        if (KEYWORDS.contains(word.toLowerCase(Locale.ROOT))) {
          if (LABEL_LISTS.contains(word.toLowerCase(Locale.ROOT)) && nextNonSpace() == '(') {
            at = text.indexOf('(', at);
            skipTo(')');
          }
        } else if (nextNonSpace() != '(') {
          names.add(word);
        }
      } else {
        at++;
      }
    }
    return names;
  }

  /** A selector's matchers, from '{' to '}': only a {@code __name__} matcher names a metric. */
  private void matchers(SortedSet<String> names) {
    int open = at;
    at++;
    while (true) {
      skipSpaces();
      if (at >= text.length()) {
        throw new IllegalArgumentException("no closing } for the { at " + open + ": " + text);
      }
      char c = text.charAt(at);
      if (c == '}') {
        at++;
        return;
      }
      if (c == ',') {
        at++;
        continue;
      }
      String label = isWordStart(c) ? word() : "";
      if (label.isEmpty()) {
        // A quoted label name or a bare quoted metric name (Prometheus 3's {"name"}).
        if (c == '"' || c == '\'' || c == '`') {
          skipString();
          continue;
        }
        throw new IllegalArgumentException("unexpected '" + c + "' at " + at + " in: " + text);
      }
      skipSpaces();
      int operator = at;
      while (at < text.length() && "=!~".indexOf(text.charAt(at)) >= 0) {
        at++;
      }
      String op = text.substring(operator, at);
      skipSpaces();
      String value = stringValue();
      if (label.equals("__name__")) {
        if (!op.equals("=")) {
          throw new IllegalArgumentException(
              "__name__" + op + "\"" + value + "\" names no one metric: " + text);
        }
        names.add(value);
      }
    }
  }

  private String stringValue() {
    if (at >= text.length()) {
      throw new IllegalArgumentException("a matcher without a value: " + text);
    }
    char quote = text.charAt(at);
    if (quote != '"' && quote != '\'' && quote != '`') {
      throw new IllegalArgumentException(
          "a matcher's value is not a string at " + at + ": " + text);
    }
    int start = at;
    skipString();
    return unescape(text.substring(start + 1, at - 1), quote);
  }

  private static String unescape(String raw, char quote) {
    if (quote == '`') {
      return raw;
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '\\' && i + 1 < raw.length()) {
        c = raw.charAt(++i);
      }
      out.append(c);
    }
    return out.toString();
  }

  private void skipString() {
    int open = at;
    char quote = text.charAt(at++);
    while (at < text.length()) {
      char c = text.charAt(at++);
      if (c == '\\' && quote != '`') {
        at++;
      } else if (c == quote) {
        return;
      }
    }
    throw new IllegalArgumentException(
        "no closing " + quote + " for the one at " + open + ": " + text);
  }

  /** Skips past the {@code close} that ends what opens at {@code at}, strings included. */
  private void skipTo(char close) {
    int open = at;
    at++;
    while (at < text.length()) {
      char c = text.charAt(at);
      if (c == '"' || c == '\'' || c == '`') {
        skipString();
      } else {
        at++;
        if (c == close) {
          return;
        }
      }
    }
    throw new IllegalArgumentException(
        "no closing " + close + " for the one at " + open + ": " + text);
  }

  private void skipLine() {
    while (at < text.length() && text.charAt(at) != '\n') {
      at++;
    }
  }

  private void skipSpaces() {
    while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
      at++;
    }
  }

  private char nextNonSpace() {
    int i = at;
    while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
      i++;
    }
    return i < text.length() ? text.charAt(i) : 0;
  }

  private boolean nextIsDigit() {
    return at + 1 < text.length() && Character.isDigit(text.charAt(at + 1));
  }

  private String word() {
    int start = at;
    while (at < text.length() && isWordPart(text.charAt(at))) {
      at++;
    }
    return text.substring(start, at);
  }

  private static boolean isWordStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
  }

  private static boolean isWordPart(char c) {
    return isWordStart(c) || (c >= '0' && c <= '9');
  }
}
