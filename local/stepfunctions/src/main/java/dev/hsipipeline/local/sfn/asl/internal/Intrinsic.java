package dev.hsipipeline.local.sfn.asl.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.StringTokenizer;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * An intrinsic function call such as {@code States.Format('Hello {}', $.name)}, parsed once into a
 * tree of calls, literals and paths. Parse errors are reported at validation; evaluation errors
 * raise States.IntrinsicFailure.
 */
public final class Intrinsic {

  /** One argument or call in the tree. */
  private sealed interface Expr permits Literal, StringLiteral, PathArg, Call {}

  private record Literal(JsonNode value) implements Expr {}

  /** A quoted string: its value, and its pieces split at unescaped {} (for States.Format). */
  private record StringLiteral(JsonNode value, List<String> pieces) implements Expr {}

  private record PathArg(Path path) implements Expr {}

  private record Call(String name, List<Expr> args) implements Expr {}

  private static final Map<String, int[]> ARITY =
      Map.ofEntries(
          Map.entry("States.Format", new int[] {1, Integer.MAX_VALUE}),
          Map.entry("States.StringToJson", new int[] {1, 1}),
          Map.entry("States.JsonToString", new int[] {1, 1}),
          Map.entry("States.Array", new int[] {0, Integer.MAX_VALUE}),
          Map.entry("States.ArrayPartition", new int[] {2, 2}),
          Map.entry("States.ArrayContains", new int[] {2, 2}),
          Map.entry("States.ArrayRange", new int[] {3, 3}),
          Map.entry("States.ArrayGetItem", new int[] {2, 2}),
          Map.entry("States.ArrayLength", new int[] {1, 1}),
          Map.entry("States.ArrayUnique", new int[] {1, 1}),
          Map.entry("States.Base64Encode", new int[] {1, 1}),
          Map.entry("States.Base64Decode", new int[] {1, 1}),
          Map.entry("States.Hash", new int[] {2, 2}),
          Map.entry("States.JsonMerge", new int[] {3, 3}),
          Map.entry("States.MathRandom", new int[] {2, 3}),
          Map.entry("States.MathAdd", new int[] {2, 2}),
          Map.entry("States.StringSplit", new int[] {2, 2}),
          Map.entry("States.UUID", new int[] {0, 0}));

  private static final Set<String> HASH_ALGORITHMS =
      Set.of("MD5", "SHA-1", "SHA-256", "SHA-384", "SHA-512");

  private final String text;
  private final Call root;

  private Intrinsic(String text, Call root) {
    this.text = text;
    this.root = root;
  }

  /** Whether a {@code .$} value is an intrinsic call rather than a path. */
  public static boolean looksLikeCall(String value) {
    return value.startsWith("States.");
  }

  /**
   * Parses an intrinsic function call.
   *
   * @throws IllegalArgumentException with a readable reason and character offset
   */
  public static Intrinsic parse(String text) {
    Parser p = new Parser(text);
    Expr e = p.expr();
    p.skipSpaces();
    if (p.pos != text.length()) {
      throw p.error("unexpected '" + text.charAt(p.pos) + "'");
    }
    if (!(e instanceof Call call)) {
      throw new IllegalArgumentException("not an intrinsic function call");
    }
    return new Intrinsic(text, call);
  }

  public String text() {
    return text;
  }

  public JsonNode evaluate(JsonNode input, ContextObject ctx) throws StateFailure {
    return eval(root, input, ctx);
  }

  private JsonNode eval(Expr e, JsonNode input, ContextObject ctx) throws StateFailure {
    return switch (e) {
      case Literal l -> l.value();
      case StringLiteral l -> l.value();
      case PathArg p -> {
        JsonNode v = p.path().read(input, ctx);
        if (v == null) {
          throw fail(
              "The JsonPath '"
                  + p.path().text()
                  + "' in "
                  + text
                  + " could not be found in the input");
        }
        yield v;
      }
      case Call c when c.name().equals("States.Format") -> format(c, input, ctx);
      case Call c -> {
        List<JsonNode> args = new ArrayList<>(c.args().size());
        for (Expr a : c.args()) {
          args.add(eval(a, input, ctx));
        }
        yield apply(c.name(), args);
      }
    };
  }

  private JsonNode format(Call c, JsonNode input, ContextObject ctx) throws StateFailure {
    String fn = c.name();
    Expr first = c.args().get(0);
    List<String> pieces;
    if (first instanceof StringLiteral sl) {
      pieces = sl.pieces();
    } else {
      JsonNode t = eval(first, input, ctx);
      if (!t.isTextual()) {
        throw fail(fn + ": argument 1 must be a string, not " + Json.typeName(t));
      }
      pieces = List.of(t.textValue().split("\\{\\}", -1));
    }
    int placeholders = pieces.size() - 1;
    if (placeholders != c.args().size() - 1) {
      throw fail(
          fn
              + ": the template has "
              + placeholders
              + " placeholder(s) but "
              + (c.args().size() - 1)
              + " value(s) were given");
    }
    StringBuilder out = new StringBuilder(pieces.get(0));
    for (int i = 1; i < pieces.size(); i++) {
      JsonNode v = eval(c.args().get(i), input, ctx);
      if (v.isContainerNode()) {
        throw fail(
            fn
                + ": value "
                + i
                + " must be a string, number, boolean or null, not "
                + Json.typeName(v));
      }
      out.append(v.isTextual() ? v.textValue() : Json.write(v)).append(pieces.get(i));
    }
    return Json.NODES.textNode(out.toString());
  }

  private StateFailure fail(String cause) {
    return new StateFailure(Errors.INTRINSIC_FAILURE, cause);
  }

  private JsonNode apply(String fn, List<JsonNode> a) throws StateFailure {
    switch (fn) {
      case "States.StringToJson":
        {
          try {
            return Json.MAPPER.readTree(str(fn, a, 0));
          } catch (JsonProcessingException e) {
            throw fail(fn + ": the argument is not valid JSON: " + e.getOriginalMessage());
          }
        }
      case "States.JsonToString":
        return Json.NODES.textNode(Json.write(a.get(0)));
      case "States.Array":
        {
          ArrayNode arr = Json.NODES.arrayNode(a.size());
          arr.addAll(a);
          return arr;
        }
      case "States.ArrayPartition":
        {
          ArrayNode arr = array(fn, a, 0);
          long size = integer(fn, a, 1);
          if (size <= 0) {
            throw fail(fn + ": the chunk size must be a positive integer, got " + size);
          }
          ArrayNode out = Json.NODES.arrayNode();
          ArrayNode chunk = null;
          for (JsonNode item : arr) {
            if (chunk == null || chunk.size() == size) {
              chunk = out.addArray();
            }
            chunk.add(item);
          }
          return out;
        }
      case "States.ArrayContains":
        {
          ArrayNode arr = array(fn, a, 0);
          for (JsonNode item : arr) {
            if (jsonEquals(item, a.get(1))) {
              return Json.NODES.booleanNode(true);
            }
          }
          return Json.NODES.booleanNode(false);
        }
      case "States.ArrayRange":
        {
          long start = integer(fn, a, 0);
          long end = integer(fn, a, 1);
          long step = integer(fn, a, 2);
          if (step == 0) {
            throw fail(fn + ": the step must not be 0");
          }
          ArrayNode out = Json.NODES.arrayNode();
          for (long v = start; step > 0 ? v <= end : v >= end; v += step) {
            if (out.size() == 1000) {
              throw fail(fn + ": the range would have more than 1000 elements");
            }
            out.add(v);
          }
          return out;
        }
      case "States.ArrayGetItem":
        {
          ArrayNode arr = array(fn, a, 0);
          long idx = integer(fn, a, 1);
          if (idx < 0 || idx >= arr.size()) {
            throw fail(
                fn + ": index " + idx + " is out of bounds for an array of length " + arr.size());
          }
          return arr.get((int) idx);
        }
      case "States.ArrayLength":
        return Json.NODES.numberNode(array(fn, a, 0).size());
      case "States.ArrayUnique":
        {
          Set<JsonNode> seen = new LinkedHashSet<>();
          for (JsonNode item : array(fn, a, 0)) {
            if (seen.stream().noneMatch(s -> jsonEquals(s, item))) {
              seen.add(item);
            }
          }
          ArrayNode out = Json.NODES.arrayNode();
          out.addAll(seen);
          return out;
        }
      case "States.Base64Encode":
        {
          String s = str(fn, a, 0);
          if (s.length() > 10_000) {
            throw fail(fn + ": the input is longer than 10000 characters");
          }
          return Json.NODES.textNode(
              Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8)));
        }
      case "States.Base64Decode":
        {
          String s = str(fn, a, 0);
          if (s.length() > 10_000) {
            throw fail(fn + ": the input is longer than 10000 characters");
          }
          try {
            return Json.NODES.textNode(
                new String(Base64.getDecoder().decode(s), StandardCharsets.UTF_8));
          } catch (IllegalArgumentException e) {
            throw fail(fn + ": the input is not valid Base64: " + e.getMessage());
          }
        }
      case "States.Hash":
        {
          JsonNode data = a.get(0);
          if (data.isNull()) {
            throw fail(fn + ": the data to hash must not be null");
          }
          String s = data.isTextual() ? data.textValue() : Json.write(data);
          if (s.length() > 10_000) {
            throw fail(fn + ": the input is longer than 10000 characters");
          }
          String alg = str(fn, a, 1);
          if (!HASH_ALGORITHMS.contains(alg)) {
            throw fail(
                fn
                    + ": unsupported algorithm '"
                    + alg
                    + "', expected one of MD5, SHA-1, SHA-256, SHA-384, SHA-512");
          }
          try {
            byte[] digest =
                MessageDigest.getInstance(alg).digest(s.getBytes(StandardCharsets.UTF_8));
            return Json.NODES.textNode(HexFormat.of().formatHex(digest));
          } catch (NoSuchAlgorithmException e) {
            throw fail(fn + ": " + e.getMessage());
          }
        }
      case "States.JsonMerge":
        {
          ObjectNode left = object(fn, a, 0);
          ObjectNode right = object(fn, a, 1);
          JsonNode deep = a.get(2);
          if (!deep.isBoolean()) {
            throw fail(fn + ": the third argument must be a boolean");
          }
          if (deep.booleanValue()) {
            throw fail(fn + ": deep merge (true) is not supported; only shallow merge (false) is");
          }
          ObjectNode out = Json.object();
          out.setAll(left);
          out.setAll(right);
          return out;
        }
      case "States.MathRandom":
        {
          long start = integer(fn, a, 0);
          long end = integer(fn, a, 1);
          if (end <= start) {
            throw fail(
                fn + ": the end (" + end + ") must be greater than the start (" + start + ")");
          }
          long v;
          if (a.size() == 3) {
            v = start + (long) (new Random(integer(fn, a, 2)).nextDouble() * (end - start));
          } else {
            v = ThreadLocalRandom.current().nextLong(start, end);
          }
          return Json.NODES.numberNode(v);
        }
      case "States.MathAdd":
        {
          BigDecimal x = number(fn, a, 0);
          BigDecimal y = number(fn, a, 1);
          BigDecimal sum = x.add(y);
          try {
            return Json.NODES.numberNode(sum.toBigIntegerExact().longValueExact());
          } catch (ArithmeticException e) {
            return Json.NODES.numberNode(sum);
          }
        }
      case "States.StringSplit":
        {
          String s = str(fn, a, 0);
          String delims = str(fn, a, 1);
          ArrayNode out = Json.NODES.arrayNode();
          StringTokenizer t = new StringTokenizer(s, delims);
          while (t.hasMoreTokens()) {
            out.add(t.nextToken());
          }
          return out;
        }
      case "States.UUID":
        return Json.NODES.textNode(UUID.randomUUID().toString());
      default:
        throw fail("unknown intrinsic function " + fn);
    }
  }

  private static boolean jsonEquals(JsonNode x, JsonNode y) {
    if (x.isNumber() && y.isNumber()) {
      return x.decimalValue().compareTo(y.decimalValue()) == 0;
    }
    return x.equals(y);
  }

  private String str(String fn, List<JsonNode> a, int i) throws StateFailure {
    JsonNode v = a.get(i);
    if (!v.isTextual()) {
      throw fail(fn + ": argument " + (i + 1) + " must be a string, not " + Json.typeName(v));
    }
    return v.textValue();
  }

  private ArrayNode array(String fn, List<JsonNode> a, int i) throws StateFailure {
    JsonNode v = a.get(i);
    if (!v.isArray()) {
      throw fail(fn + ": argument " + (i + 1) + " must be an array, not " + Json.typeName(v));
    }
    return (ArrayNode) v;
  }

  private ObjectNode object(String fn, List<JsonNode> a, int i) throws StateFailure {
    JsonNode v = a.get(i);
    if (!v.isObject()) {
      throw fail(fn + ": argument " + (i + 1) + " must be an object, not " + Json.typeName(v));
    }
    return (ObjectNode) v;
  }

  private BigDecimal number(String fn, List<JsonNode> a, int i) throws StateFailure {
    JsonNode v = a.get(i);
    if (!v.isNumber()) {
      throw fail(fn + ": argument " + (i + 1) + " must be a number, not " + Json.typeName(v));
    }
    return v.decimalValue();
  }

  private long integer(String fn, List<JsonNode> a, int i) throws StateFailure {
    BigDecimal d = number(fn, a, i);
    try {
      return d.stripTrailingZeros().toBigIntegerExact().longValueExact();
    } catch (ArithmeticException e) {
      throw fail(fn + ": argument " + (i + 1) + " must be an integer, got " + d.toPlainString());
    }
  }

  /** Recursive-descent parser for the intrinsic function syntax. */
  private static final class Parser {
    private final String s;
    private int pos;

    Parser(String s) {
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
        int[] arity = ARITY.get(word);
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
          return i.bitLength() < 63
              ? Json.NODES.numberNode(i.longValue())
              : Json.NODES.numberNode(i);
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
}
