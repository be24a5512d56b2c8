package dev.hsipipeline.local.aws.iam;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An IAM policy document (identity- or resource-based), parsed from the JSON AWS accepts: {@code
 * Statement} as one object or a list, {@code Action}/{@code Resource} as a string or a list, {@code
 * Principal} as {@code "*"}, {@code {"AWS": ...}} or {@code {"Service": ...}}.
 *
 * @param name where the document came from (a file, a role), for messages
 * @param statements its statements in document order
 */
public record Policy(String name, List<Statement> statements) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public Policy {
    statements = List.copyOf(statements);
  }

  /**
   * Parses a policy document.
   *
   * @param name names the document in error messages
   * @throws IllegalArgumentException naming the document and the statement when it is not a policy
   *     the local evaluator understands exactly (unknown condition operators are refused rather
   *     than evaluated differently from AWS)
   */
  public static Policy parse(String name, String json) {
    JsonNode doc;
    try {
      doc = JSON.readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "policy " + name + " is not valid JSON: " + e.getMessage(), e);
    }
    if (doc == null || !doc.isObject()) {
      throw new IllegalArgumentException("policy " + name + " must be a JSON object");
    }
    String version = doc.path("Version").asText("");
    if (!version.equals("2012-10-17")) {
      throw new IllegalArgumentException(
          "policy " + name + ": Version must be \"2012-10-17\", got \"" + version + "\"");
    }
    JsonNode st = doc.path("Statement");
    List<JsonNode> nodes = new ArrayList<>();
    if (st.isObject()) {
      nodes.add(st);
    } else if (st.isArray()) {
      st.forEach(nodes::add);
    } else {
      throw new IllegalArgumentException("policy " + name + ": Statement is missing");
    }
    List<Statement> statements = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      JsonNode s = nodes.get(i);
      String where = "policy " + name + " statement " + (s.has("Sid") ? s.get("Sid").asText() : i);
      try {
        statements.add(statement(s));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
      }
    }
    return new Policy(name, statements);
  }

  private static Statement statement(JsonNode s) {
    String effect = s.path("Effect").asText("");
    if (!effect.equals("Allow") && !effect.equals("Deny")) {
      throw new IllegalArgumentException("Effect must be Allow or Deny, got '" + effect + "'");
    }
    Map<String, Map<String, List<String>>> conditions = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> op : s.path("Condition").properties()) {
      Map<String, List<String>> keys = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> key : op.getValue().properties()) {
        keys.put(key.getKey(), strings(key.getValue(), "Condition." + op.getKey()));
      }
      conditions.put(op.getKey(), keys);
    }
    return new Statement(
        s.has("Sid") ? s.get("Sid").asText() : null,
        effect.equals("Allow"),
        optionalStrings(s, "Action"),
        optionalStrings(s, "NotAction"),
        optionalStrings(s, "Resource"),
        optionalStrings(s, "NotResource"),
        principals(s.get("Principal")),
        conditions);
  }

  private static List<String> principals(JsonNode p) {
    if (p == null) {
      return null;
    }
    if (p.isTextual()) {
      if (!p.asText().equals("*")) {
        throw new IllegalArgumentException("Principal must be \"*\" or an object");
      }
      return List.of("*");
    }
    List<String> all = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : p.properties()) {
      all.addAll(strings(e.getValue(), "Principal." + e.getKey()));
    }
    return all;
  }

  private static List<String> optionalStrings(JsonNode s, String field) {
    return s.has(field) ? strings(s.get(field), field) : null;
  }

  private static List<String> strings(JsonNode n, String field) {
    List<String> out = new ArrayList<>();
    if (n.isTextual() || n.isBoolean() || n.isNumber()) {
      out.add(n.asText());
    } else if (n.isArray()) {
      for (JsonNode x : n) {
        if (!(x.isTextual() || x.isBoolean() || x.isNumber())) {
          throw new IllegalArgumentException(field + " entries must be strings");
        }
        out.add(x.asText());
      }
    } else {
      throw new IllegalArgumentException(field + " must be a string or a list of strings");
    }
    return out;
  }
}
