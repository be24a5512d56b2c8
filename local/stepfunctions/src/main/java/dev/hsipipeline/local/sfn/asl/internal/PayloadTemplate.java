package dev.hsipipeline.local.sfn.asl.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A compiled Payload Template (Parameters, ResultSelector, ItemSelector): fields whose name ends in
 * {@code .$} take their value from a path or an intrinsic function, at any depth (objects inside
 * arrays included). Templates without dynamic fields evaluate to a shared constant.
 */
public final class PayloadTemplate {

  private sealed interface Node permits Constant, Dynamic, Obj, Arr {}

  private record Constant(JsonNode value) implements Node {}

  /** A {@code key.$} field: exactly one of path/intrinsic is set. */
  private record Dynamic(String field, Path path, Intrinsic intrinsic) implements Node {}

  private record Obj(String[] keys, Node[] values) implements Node {}

  private record Arr(Node[] items) implements Node {}

  private final String fieldName;
  private final Node root;

  private PayloadTemplate(String fieldName, Node root) {
    this.fieldName = fieldName;
    this.root = root;
  }

  /** Compiles {@code template}, reporting every bad path or intrinsic to {@code problems}. */
  public static PayloadTemplate compile(
      String fieldName, JsonNode template, String location, Problems problems) {
    if (!template.isObject()) {
      problems.add(Problems.SCHEMA, location, fieldName + " must be a JSON object");
    }
    return new PayloadTemplate(fieldName, compileNode(template, location, problems));
  }

  private static Node compileNode(JsonNode node, String location, Problems problems) {
    if (node.isObject()) {
      List<String> keys = new ArrayList<>();
      List<Node> values = new ArrayList<>();
      boolean dynamic = false;
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String key = e.getKey();
        String loc = location + "/" + Problems.seg(key);
        Node value;
        if (key.endsWith(".$")) {
          String out = key.substring(0, key.length() - 2);
          value = compileDynamic(key, e.getValue(), loc, problems);
          key = out;
        } else {
          value = compileNode(e.getValue(), loc, problems);
        }
        dynamic |= !(value instanceof Constant);
        keys.add(key);
        values.add(value);
      }
      if (!dynamic) {
        return new Constant(node);
      }
      return new Obj(keys.toArray(String[]::new), values.toArray(Node[]::new));
    }
    if (node.isArray()) {
      List<Node> items = new ArrayList<>();
      boolean dynamic = false;
      for (int i = 0; i < node.size(); i++) {
        Node n = compileNode(node.get(i), location + "/" + i, problems);
        dynamic |= !(n instanceof Constant);
        items.add(n);
      }
      return dynamic ? new Arr(items.toArray(Node[]::new)) : new Constant(node);
    }
    return new Constant(node);
  }

  private static Node compileDynamic(String key, JsonNode value, String loc, Problems problems) {
    if (!value.isTextual()) {
      problems.add(
          Problems.SCHEMA,
          loc,
          "The value for the field '"
              + key
              + "' must be a STRING that contains a JSONPath or an intrinsic function");
      return new Constant(Json.NODES.nullNode());
    }
    String text = value.textValue();
    if (Intrinsic.looksLikeCall(text)) {
      try {
        return new Dynamic(key, null, Intrinsic.parse(text));
      } catch (IllegalArgumentException e) {
        problems.add(
            Problems.INVALID_INTRINSIC,
            loc,
            "Invalid intrinsic function '" + text + "': " + e.getMessage());
        return new Constant(Json.NODES.nullNode());
      }
    }
    try {
      return new Dynamic(key, Path.compile(text), null);
    } catch (IllegalArgumentException e) {
      problems.add(
          Problems.INVALID_PATH,
          loc,
          "The value for the field '"
              + key
              + "' must be a valid JSONPath or a valid intrinsic function call: "
              + e.getMessage());
      return new Constant(Json.NODES.nullNode());
    }
  }

  /** Whether any field reads the context object (so callers can skip building it). */
  public String fieldName() {
    return fieldName;
  }

  public JsonNode evaluate(JsonNode input, ContextObject ctx) throws StateFailure {
    return eval(root, input, ctx);
  }

  private JsonNode eval(Node node, JsonNode input, ContextObject ctx) throws StateFailure {
    switch (node) {
      case Constant c:
        return c.value();
      case Dynamic d:
        if (d.intrinsic() != null) {
          return d.intrinsic().evaluate(input, ctx);
        }
        JsonNode v = d.path().read(input, ctx);
        if (v == null) {
          throw new StateFailure(
              Errors.RUNTIME,
              "The JSONPath '"
                  + d.path().text()
                  + "' specified for the field '"
                  + d.field()
                  + "' could not be found in the input '"
                  + Json.write(d.path().isContext() ? ctx.node() : input)
                  + "'");
        }
        return v;
      case Obj o:
        {
          ObjectNode out = Json.object();
          for (int i = 0; i < o.keys().length; i++) {
            out.set(o.keys()[i], eval(o.values()[i], input, ctx));
          }
          return out;
        }
      case Arr a:
        {
          ArrayNode out = Json.NODES.arrayNode(a.items().length);
          for (Node item : a.items()) {
            out.add(eval(item, input, ctx));
          }
          return out;
        }
    }
  }
}
