package org.iotbackbone.streamsapp.internal.jobs;

import java.util.ArrayList;
import java.util.List;

/** Splits a target filter into tokens, each with its 1-based position. */
final class FilterLexer {

  enum Kind {
    WORD,
    STRING,
    OP,
    OPEN,
    CLOSE,
    END
  }

  record Token(Kind kind, String text, int position) {
    String describe() {
      return switch (kind) {
        case END -> "the end";
        case STRING -> "\"" + text + "\"";
        default -> "'" + text + "'";
      };
    }
  }

  private FilterLexer() {}

  static List<Token> tokens(String text) {
    List<Token> tokens = new ArrayList<>();
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      int position = i + 1;
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '(' || c == ')') {
        tokens.add(new Token(c == '(' ? Kind.OPEN : Kind.CLOSE, String.valueOf(c), position));
        i++;
      } else if (c == '=' || c == '<' || c == '>' || c == '!') {
        boolean twoChars = i + 1 < text.length() && text.charAt(i + 1) == '=' && c != '=';
        if (c == '!' && !twoChars) {
          throw new FilterException(position, "'!='", "'!'");
        }
        String op = twoChars ? text.substring(i, i + 2) : String.valueOf(c);
        tokens.add(new Token(Kind.OP, op, position));
        i += op.length();
      } else if (c == '"') {
        StringBuilder value = new StringBuilder();
        int j = i + 1;
        while (j < text.length() && text.charAt(j) != '"') {
          if (text.charAt(j) == '\\' && j + 1 < text.length()) {
            j++;
          }
          value.append(text.charAt(j));
          j++;
        }
        if (j >= text.length()) {
          throw new FilterException(position, "a closing '\"' for the string here", "the end");
        }
        tokens.add(new Token(Kind.STRING, value.toString(), position));
        i = j + 1;
      } else if (isWordChar(c)) {
        int j = i;
        while (j < text.length() && isWordChar(text.charAt(j))) {
          j++;
        }
        tokens.add(new Token(Kind.WORD, text.substring(i, j), position));
        i = j;
      } else {
        throw new FilterException(
            position, "a field, an operator, a value, '(' or ')'", "'" + c + "'");
      }
    }
    tokens.add(new Token(Kind.END, "", text.length() + 1));
    return tokens;
  }

  private static boolean isWordChar(char c) {
    return c < 128
        && (Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == ':' || c == '-');
  }
}
