package dev.hsipipeline.local.sfn.asl.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Set;

/**
 * Readers for the field kinds states share (strings, integers, paths, templates), each reporting a
 * bad value to {@link Problems} with its location and returning a harmless default, so parsing goes
 * on and every problem is listed.
 */
final class Fields {
  private final Problems problems;

  Fields(Problems problems) {
    this.problems = problems;
  }

  Problems problems() {
    return problems;
  }

  void problem(String code, String location, String message) {
    problems.add(code, location, message);
  }

  /**
   * Reports every field of {@code node} not in {@code allowed} ("... is not allowed in a what").
   */
  void onlyFields(JsonNode node, String loc, Set<String> allowed, String what) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!allowed.contains(f)) {
        problems.add(
            Problems.SCHEMA,
            loc + "/" + Problems.seg(f),
            "Field '" + f + "' is not allowed in a " + what);
      }
    }
  }

  /** Reports a state that has both {@code a} and {@code b}. */
  void exclusive(JsonNode node, String loc, String a, String b) {
    if (node.has(a) && node.has(b)) {
      problems.add(Problems.SCHEMA, loc, "A state may have '" + a + "' or '" + b + "', not both");
    }
  }

  PayloadTemplate template(JsonNode node, String field, String loc) {
    JsonNode t = node.get(field);
    return t == null ? null : PayloadTemplate.compile(field, t, loc + "/" + field, problems);
  }

  IoPath ioPath(JsonNode node, String field, String loc) {
    if (!node.has(field)) {
      return IoPath.DEFAULT;
    }
    JsonNode v = node.get(field);
    if (v.isNull()) {
      return IoPath.NULL;
    }
    if (!v.isTextual()) {
      problems.add(
          Problems.SCHEMA, loc + "/" + field, "'" + field + "' must be a JSONPath string or null");
      return IoPath.DEFAULT;
    }
    try {
      return new IoPath(Path.compile(v.textValue()), false);
    } catch (IllegalArgumentException e) {
      problems.add(
          Problems.INVALID_PATH,
          loc + "/" + field,
          "Invalid JSONPath '" + v.textValue() + "' in " + field + ": " + e.getMessage());
      return IoPath.DEFAULT;
    }
  }

  ResultPathField resultPath(JsonNode node, String loc) {
    if (!node.has("ResultPath")) {
      return ResultPathField.DEFAULT;
    }
    JsonNode v = node.get("ResultPath");
    if (v.isNull()) {
      return ResultPathField.DISCARD;
    }
    ReferencePath p = v.isTextual() ? ReferencePath.parse(v.textValue()) : null;
    if (p == null) {
      problems.add(
          Problems.INVALID_PATH,
          loc + "/ResultPath",
          "'ResultPath' must be null or a Reference Path ($, $.field, $['field'], $.list[0]), got "
              + v);
      return ResultPathField.DEFAULT;
    }
    return new ResultPathField(p, false);
  }

  ReferencePath refPath(JsonNode node, String field, String loc) {
    JsonNode v = node.get(field);
    ReferencePath p = v != null && v.isTextual() ? ReferencePath.parse(v.textValue()) : null;
    if (p == null) {
      problems.add(
          Problems.INVALID_PATH,
          loc + "/" + field,
          "'" + field + "' must be a Reference Path ($, $.field, $['field'], $.list[0]), got " + v);
    }
    return p;
  }

  /** A Reference Path field when present, else null. */
  ReferencePath optRefPath(JsonNode node, String field, String loc) {
    return node.has(field) ? refPath(node, field, loc) : null;
  }

  DynamicValue dynamic(JsonNode node, String field, String loc) {
    JsonNode v = node.get(field);
    if (v == null) {
      return null;
    }
    if (!v.isTextual()) {
      problems.add(
          Problems.SCHEMA,
          loc + "/" + field,
          "'" + field + "' must be a JSONPath or intrinsic function string");
      return null;
    }
    try {
      return DynamicValue.compile(v.textValue());
    } catch (IllegalArgumentException e) {
      problems.add(
          Problems.INVALID_PATH,
          loc + "/" + field,
          "Invalid value '" + v.textValue() + "' in " + field + ": " + e.getMessage());
      return null;
    }
  }

  String optString(JsonNode node, String field, String loc) {
    JsonNode v = node.get(field);
    if (v == null) {
      return null;
    }
    if (!v.isTextual()) {
      problems.add(Problems.SCHEMA, loc + "/" + field, "'" + field + "' must be a string");
      return null;
    }
    return v.textValue();
  }

  /** {@code v} as an integer from 1 to {@code max}; 1 (reported) when it is not. */
  long positiveInt(JsonNode v, String loc, String field, long max) {
    if (!v.isIntegralNumber() || v.longValue() < 1 || v.longValue() > max) {
      problems.add(
          Problems.SCHEMA,
          loc,
          "'" + field + "' must be a positive integer (1 to " + max + "), got " + v);
      return 1;
    }
    return v.longValue();
  }

  long nonNegativeInt(JsonNode v, String loc, String field) {
    if (!v.isIntegralNumber() || v.longValue() < 0) {
      problems.add(
          Problems.SCHEMA, loc, "'" + field + "' must be a non-negative integer, got " + v);
      return 0;
    }
    return v.longValue();
  }
}
