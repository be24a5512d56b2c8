package dev.hsipipeline.local.sfn.asl.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A Reference Path (ASL spec): {@code $} followed by {@code .field}, {@code ['field']} or {@code
 * [index]} steps only, so it names exactly one node. Reads are a direct walk (no JsonPath engine);
 * writes (ResultPath) copy only the objects along the path, sharing the rest, so input nodes are
 * never mutated.
 */
public final class ReferencePath {
  private final String text;
  private final Object[] steps; // String = field, Integer = array index

  private ReferencePath(String text, Object[] steps) {
    this.text = text;
    this.steps = steps;
  }

  public String text() {
    return text;
  }

  public boolean isRoot() {
    return steps.length == 0;
  }

  /** Parses a reference path, or returns null when the text is not one. */
  public static ReferencePath parse(String text) {
    if (text == null || !text.startsWith("$") || text.startsWith("$$")) {
      return null;
    }
    List<Object> steps = new ArrayList<>();
    int i = 1;
    int n = text.length();
    while (i < n) {
      char c = text.charAt(i);
      if (c == '.') {
        int start = ++i;
        while (i < n && text.charAt(i) != '.' && text.charAt(i) != '[') {
          char d = text.charAt(i);
          if (d == '*' || d == ']' || d == '(' || d == ')' || d == '@' || d == ',' || d == ' '
              || d == '?' || d == '\'' || d == '"') {
            return null;
          }
          i++;
        }
        if (i == start) {
          return null; // ".." (deep scan) or trailing dot
        }
        steps.add(text.substring(start, i));
      } else if (c == '[') {
        int close = text.indexOf(']', i);
        if (close < 0) {
          return null;
        }
        String inner = text.substring(i + 1, close).trim();
        if (inner.length() >= 2
            && ((inner.startsWith("'") && inner.endsWith("'"))
                || (inner.startsWith("\"") && inner.endsWith("\"")))) {
          String name = inner.substring(1, inner.length() - 1);
          if (name.indexOf('\'') >= 0 || name.indexOf('"') >= 0) {
            return null;
          }
          steps.add(name);
        } else if (!inner.isEmpty() && inner.chars().allMatch(Character::isDigit)) {
          try {
            steps.add(Integer.valueOf(inner));
          } catch (NumberFormatException e) {
            return null;
          }
        } else {
          return null;
        }
        i = close + 1;
      } else {
        return null;
      }
    }
    return new ReferencePath(text, steps.toArray());
  }

  /** The node at this path, or Java null when it does not exist. */
  public JsonNode read(JsonNode root) {
    JsonNode cur = root;
    for (Object step : steps) {
      if (cur == null) {
        return null;
      }
      if (step instanceof String field) {
        cur = cur.isObject() ? cur.get(field) : null;
      } else {
        int idx = (Integer) step;
        cur = cur.isArray() && idx < cur.size() ? cur.get(idx) : null;
      }
    }
    return cur;
  }

  /**
   * Returns a copy of {@code input} with {@code value} placed at this path, creating missing
   * intermediate objects as Step Functions does.
   *
   * @throws StateFailure States.ResultPathMatchFailure when the path crosses a non-object
   */
  public JsonNode write(JsonNode input, JsonNode value) throws StateFailure {
    if (steps.length == 0) {
      return value;
    }
    return writeAt(input, 0, value);
  }

  private JsonNode writeAt(JsonNode node, int depth, JsonNode value) throws StateFailure {
    if (depth == steps.length) {
      return value;
    }
    Object step = steps[depth];
    if (step instanceof String field) {
      ObjectNode copy;
      if (node == null || node.isMissingNode()) {
        copy = Json.object();
      } else if (node.isObject()) {
        copy = Json.object();
        copy.setAll((ObjectNode) node); // shallow copy: children are shared, never mutated
      } else {
        throw mismatch(node);
      }
      copy.set(field, writeAt(node == null ? null : node.get(field), depth + 1, value));
      return copy;
    }
    int idx = (Integer) step;
    if (node == null || !node.isArray() || idx >= node.size()) {
      throw mismatch(node);
    }
    ArrayNode copy = Json.NODES.arrayNode(node.size());
    copy.addAll((ArrayNode) node);
    copy.set(idx, writeAt(node.get(idx), depth + 1, value));
    return copy;
  }

  private StateFailure mismatch(JsonNode node) {
    return new StateFailure(
        Errors.RESULT_PATH_MATCH_FAILURE,
        "Unable to apply ResultPath '" + text + "' to input of type " + Json.typeName(node) + ".");
  }

  @Override
  public String toString() {
    return text;
  }
}
