package org.iotbackbone.terraform.checks;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The references in hcl2json's strings. hcl2json writes every expression as a template, {@code
 * "${var.x}"}, {@code "${merge(local.a, { Name = \"${var.n}\" })}"}; this finds the parts inside
 * {@code ${...}} and {@code %{...}}, blanks the string literals in them (so that text such as an
 * ARN is not read as a reference) and takes their own interpolations as expressions too, then reads
 * the traversals: {@code var.NAME}, {@code local.NAME}, {@code module.NAME.OUTPUT}, {@code
 * data.TYPE.NAME} and {@code TYPE.NAME} of a resource.
 */
final class Expressions {

  /** A reference: kind var, local, module, data or resource; name; the attribute after it. */
  record Reference(String kind, String name, String attribute) {
    @Override
    public String toString() {
      return kind.equals("resource") ? name : kind + "." + name;
    }
  }

  /** A traversal's root and its names ({@code [...]} steps of literals skipped). */
  private static final Pattern TRAVERSAL =
      Pattern.compile(
          "(?<![\\w.\\-])([A-Za-z_][A-Za-z0-9_-]*)((?:\\s*\\.\\s*[A-Za-z_][A-Za-z0-9_-]*|\\[(?:\\*|\\d+|\"\")\\])+)");

  private static final Pattern NAME_STEP = Pattern.compile("\\.\\s*([A-Za-z_][A-Za-z0-9_-]*)");

  private Expressions() {}

  /** The expressions of a hcl2json string; empty for a plain string. */
  static List<String> of(String template) {
    List<String> out = new ArrayList<>();
    template(template, 0, false, out);
    return out;
  }

  /** The references in every expression of a hcl2json string. */
  static Set<Reference> references(String template) {
    Set<Reference> refs = new LinkedHashSet<>();
    for (String expression : of(template)) {
      Matcher m = TRAVERSAL.matcher(expression);
      while (m.find()) {
        List<String> names = new ArrayList<>();
        Matcher step = NAME_STEP.matcher(m.group(2));
        while (step.find()) {
          names.add(step.group(1));
        }
        reference(m.group(1), names).ifPresent(refs::add);
      }
    }
    return refs;
  }

  private static Optional<Reference> reference(String root, List<String> names) {
    if (names.isEmpty()) {
      return Optional.empty();
    }
    String first = names.get(0);
    String second = names.size() > 1 ? names.get(1) : null;
    switch (root) {
      case "var":
        return Optional.of(new Reference("var", first, second));
      case "local":
        return Optional.of(new Reference("local", first, second));
      case "module":
        return Optional.of(new Reference("module", first, second));
      case "data":
        return second == null
            ? Optional.of(new Reference("data", first, null))
            : Optional.of(
                new Reference(
                    "data", first + "." + second, names.size() > 2 ? names.get(2) : null));
      default:
        // Resource types are PROVIDER_TYPE; each, count, path, self, iterators have no '_' prefix
        // of a provider, which the checker decides.
        return root.contains("_")
            ? Optional.of(new Reference("resource", root + "." + first, second))
            : Optional.empty();
    }
  }

  /**
   * Template mode from {@code i}: collects the interpolations; inside a quoted string ({@code
   * quoted}) it ends at the closing quote and returns the index after it.
   */
  private static int template(String s, int i, boolean quoted, List<String> out) {
    while (i < s.length()) {
      char c = s.charAt(i);
      if (quoted && c == '\\') {
        i += 2;
        continue;
      }
      if (quoted && c == '"') {
        return i + 1;
      }
      if (s.startsWith("$${", i) || s.startsWith("%%{", i)) {
        i += 3;
        continue;
      }
      if ((c == '$' || c == '%') && s.startsWith("{", i + 1)) {
        StringBuilder expression = new StringBuilder();
        i = expression(s, i + 2, expression, out);
        out.add(expression.toString());
        continue;
      }
      i++;
    }
    return i;
  }

  /** Expression mode from {@code i} to its closing brace; string literals become {@code ""}. */
  private static int expression(String s, int i, StringBuilder expression, List<String> out) {
    int depth = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == '"') {
        i = template(s, i + 1, true, out);
        expression.append("\"\"");
        continue;
      }
      if (c == '{') {
        depth++;
      } else if (c == '}') {
        if (depth == 0) {
          return i + 1;
        }
        depth--;
      }
      expression.append(c);
      i++;
    }
    return i;
  }
}
