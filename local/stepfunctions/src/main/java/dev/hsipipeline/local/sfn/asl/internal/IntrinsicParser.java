package dev.hsipipeline.local.sfn.asl.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hsipipeline.local.sfn.asl.internal.Intrinsic.Call;
import dev.hsipipeline.local.sfn.asl.internal.Intrinsic.Expr;
import dev.hsipipeline.local.sfn.asl.internal.Intrinsic.Literal;
import dev.hsipipeline.local.sfn.asl.internal.Intrinsic.PathArg;
import dev.hsipipeline.local.sfn.asl.internal.Intrinsic.StringLiteral;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/** Recursive-descent parser for the intrinsic function syntax. */
final class IntrinsicParser {
  private final String s;

  /** The next character to read (the caller checks that the whole text was read). */
  int pos;

  IntrinsicParser(String s) {
    this.s = s;
  }

  IllegalArgumentException error(String what) {
    return new IllegalArgumentException(what + " at offset " + pos + " in " + s);
  }

  void skipSpaces() {
    while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
      pos++;
    }
  }

  Expr expr() {
    skipSpaces();
    if (pos >= s.length()) {
      throw error("unexpected end");
    }
    char c = s.charAt(pos);
    if (c == '\'') {
      return string();
    }
    if (c == '$') {
      return new PathArg(path());
    }
    if (c == '-' || Character.isDigit(c)) {
      return new Literal(number());
    }
    if (Character.isLetter(c)) {
      int start = pos;
      while (pos < s.length()
          && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '.')) {
        pos++;
      }
      String word = s.substring(start, pos);
      switch (word) {
        case "true":
          return new Literal(Json.NODES.booleanNode(true));
        case "false":
          return new Literal(Json.NODES.booleanNode(false));
        case "null":
          return new Literal(Json.NODES.nullNode());
        default:
          break;
      }
      int[] arity = IntrinsicFunctions.ARITY.get(word);
      if (arity == null) {
        pos = start;
        throw error("unknown intrinsic function '" + word + "'");
      }
      skipSpaces();
      if (pos >= s.length() || s.charAt(pos) != '(') {
        throw error("expected '(' after " + word);
      }
      pos++;
      List<Expr> args = new ArrayList<>();
      skipSpaces();
      if (pos < s.length() && s.charAt(pos) == ')') {
        pos++;
      } else {
        while (true) {
          args.add(expr());
          skipSpaces();
          if (pos >= s.length()) {
            throw error("missing ')'");
          }
          char d = s.charAt(pos++);
          if (d == ')') {
            break;
          }
          if (d != ',') {
            pos--;
            throw error("expected ',' or ')'");
          }
        }
      }
      if (args.size() < arity[0] || args.size() > arity[1]) {
        throw new IllegalArgumentException(
            word
                + " takes "
                + (arity[0] == arity[1]
                    ? String.valueOf(arity[0])
                    : arity[1] == Integer.MAX_VALUE
                        ? "at least " + arity[0]
                        : arity[0] + " to " + arity[1])
                + " argument(s), got "
                + args.size());
      }
      return new Call(word, List.copyOf(args));
    }
    throw error("unexpected '" + c + "'");
  }

  /** A single-quoted string; backslash escapes the next character. */
  private StringLiteral string() {
    pos++; // opening quote
    StringBuilder value = new StringBuilder();
    StringBuilder piece = new StringBuilder();
    List<String> pieces = new ArrayList<>();
    while (pos < s.length()) {
      char c = s.charAt(pos++);
      if (c == '\\') {
        if (pos >= s.length()) {
          break;
        }
        char n = s.charAt(pos++);
        value.append(n);
        piece.append(n);
      } else if (c == '\'') {
        pieces.add(piece.toString());
        return new StringLiteral(Json.NODES.textNode(value.toString()), List.copyOf(pieces));
      } else if (c == '{' && pos < s.length() && s.charAt(pos) == '}') {
        pos++;
        value.append("{}");
        pieces.add(piece.toString());
        piece.setLength(0);
      } else {
        value.append(c);
        piece.append(c);
      }
    }
    throw error("unterminated string");
  }

  private JsonNode number() {
    int start = pos;
    if (s.charAt(pos) == '-') {
      pos++;
    }
    while (pos < s.length()
        && (Character.isDigit(s.charAt(pos)) || ".eE+-".indexOf(s.charAt(pos)) >= 0)) {
      pos++;
    }
    String t = s.substring(start, pos);
    try {
      BigDecimal d = new BigDecimal(t);
      if (t.indexOf('.') < 0 && t.indexOf('e') < 0 && t.indexOf('E') < 0) {
        BigInteger i = d.toBigIntegerExact();
        return i.bitLength() < 63 ? Json.NODES.numberNode(i.longValue()) : Json.NODES.numberNode(i);
      }
      return Json.NODES.numberNode(d);
    } catch (NumberFormatException | ArithmeticException e) {
      pos = start;
      throw error("invalid number '" + t + "'");
    }
  }

  /** A path ends at a top-level ',' or ')' (brackets and quotes may contain either). */
  private Path path() {
    int start = pos;
    int depth = 0;
    char quote = 0;
    while (pos < s.length()) {
      char c = s.charAt(pos);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
      } else if (c == '[' || c == '(') {
        depth++;
      } else if (c == ']' || (c == ')' && depth > 0)) {
        depth--;
      } else if (depth == 0 && (c == ',' || c == ')')) {
        break;
      }
      pos++;
    }
    String text = s.substring(start, pos).trim();
    try {
      return Path.compile(text);
    } catch (IllegalArgumentException e) {
      pos = start;
      throw error("invalid path '" + text + "': " + e.getMessage());
    }
  }
}
