package dev.hsipipeline.local.sfn.asl.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * An intrinsic function call such as {@code States.Format('Hello {}', $.name)}, parsed once (by
 * {@link IntrinsicParser}) into a tree of calls, literals and paths. Parse errors are reported at
 * validation; evaluation errors raise States.IntrinsicFailure. The functions themselves are in
 * {@link IntrinsicFunctions}.
 */
public final class Intrinsic {

  /** One argument or call in the tree. */
  sealed interface Expr permits Literal, StringLiteral, PathArg, Call {}

  record Literal(JsonNode value) implements Expr {}

  /** A quoted string: its value, and its pieces split at unescaped {} (for States.Format). */
  record StringLiteral(JsonNode value, List<String> pieces) implements Expr {}

  record PathArg(Path path) implements Expr {}

  record Call(String name, List<Expr> args) implements Expr {}

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
    IntrinsicParser p = new IntrinsicParser(text);
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
        yield IntrinsicFunctions.apply(c.name(), args);
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

  static StateFailure fail(String cause) {
    return new StateFailure(Errors.INTRINSIC_FAILURE, cause);
  }
}
