package dev.hsipipeline.local.sfn.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;

/**
 * Reads request members the way the service validates them: a missing, ill-typed or out-of-range
 * member is a {@code ValidationException} with AWS's "1 validation error detected: ..." wording.
 */
final class Requests {
  static final int DEFAULT_PAGE = 100;
  static final int MAX_PAGE = 1000;

  private Requests() {}

  static String required(ObjectNode req, String field) {
    String v = optional(req, field);
    if (v == null) {
      throw ApiException.validation(
          "1 validation error detected: Value null at '"
              + field
              + "' failed to satisfy constraint: Member must not be null");
    }
    return v;
  }

  static String optional(ObjectNode req, String field) {
    JsonNode n = req.get(field);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isTextual()) {
      throw ApiException.validation(
          "1 validation error detected: Value at '"
              + field
              + "' failed to satisfy constraint: Member must be a string (got "
              + n.getNodeType()
              + ")");
    }
    return n.textValue();
  }

  /** An optional string member that must be one of {@code allowed}. */
  static String optionalEnum(ObjectNode req, String field, Set<String> allowed) {
    String v = optional(req, field);
    if (v != null && !allowed.contains(v)) {
      throw ApiException.validation(
          "1 validation error detected: Value '"
              + v
              + "' at '"
              + field
              + "' failed to satisfy constraint: Member must satisfy enum value set: "
              + allowed);
    }
    return v;
  }

  static boolean bool(ObjectNode req, String field, boolean dflt) {
    JsonNode n = req.get(field);
    if (n == null || n.isNull()) {
      return dflt;
    }
    if (!n.isBoolean()) {
      throw ApiException.validation(
          "1 validation error detected: Value at '"
              + field
              + "' failed to satisfy constraint: Member must be a boolean (got "
              + n.getNodeType()
              + ")");
    }
    return n.booleanValue();
  }

  /** A structure member as JSON text (stored as given), or null when absent. */
  static String objectJson(ObjectNode req, String field) {
    JsonNode n = req.get(field);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isObject()) {
      throw ApiException.validation(
          "1 validation error detected: Value at '"
              + field
              + "' failed to satisfy constraint: Member must be a structure");
    }
    return Json.write(n);
  }

  /** maxResults: absent or 0 → 100 (AWS's default), at most 1000. */
  static int maxResults(ObjectNode req) {
    JsonNode n = req.get("maxResults");
    if (n == null || n.isNull()) {
      return DEFAULT_PAGE;
    }
    if (!n.canConvertToInt() || !n.isIntegralNumber()) {
      throw ApiException.validation(
          "1 validation error detected: Value at 'maxResults' failed to satisfy "
              + "constraint: Member must be an integer");
    }
    int v = n.intValue();
    if (v < 0 || v > MAX_PAGE) {
      throw ApiException.validation(
          "1 validation error detected: Value '"
              + v
              + "' at 'maxResults' failed to "
              + "satisfy constraint: Member must have value between 0 and "
              + MAX_PAGE);
    }
    return v == 0 ? DEFAULT_PAGE : v;
  }
}
