package dev.hsipipeline.local.sfn.asl.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hsipipeline.local.sfn.asl.JsonText;
import java.nio.charset.StandardCharsets;

/** Shared Jackson objects and small JSON helpers. JsonNodes are treated as immutable values. */
public final class Json {
  /** One mapper for the whole engine: ObjectMapper is thread-safe once configured. */
  public static final ObjectMapper MAPPER = new ObjectMapper();

  public static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** AWS's payload quota for state input/output and task results: 256 KiB of UTF-8. */
  public static final int MAX_PAYLOAD_BYTES = 256 * 1024;

  /** Timestamps in the context object as AWS prints them: UTC, always 3 fraction digits. */
  public static final java.time.format.DateTimeFormatter TIMESTAMP =
      java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
          .withZone(java.time.ZoneOffset.UTC);

  private Json() {}

  /** Compact JSON text of a node: {@link JsonText#write}, the engine's shorthand. */
  public static String write(JsonNode node) {
    return JsonText.write(node);
  }

  /** Appends {@code s} as a JSON string literal: {@link JsonText#quote}. */
  public static void quote(StringBuilder b, String s) {
    JsonText.quote(b, s);
  }

  public static ObjectNode object() {
    return NODES.objectNode();
  }

  /** Converts what Jayway returns (JsonNode or unwrapped Java values) to a JsonNode. */
  public static JsonNode toNode(Object o) {
    if (o == null) {
      return NODES.nullNode();
    }
    if (o instanceof JsonNode n) {
      return n;
    }
    return MAPPER.valueToTree(o);
  }

  /** UTF-8 byte length of a string, without allocating. */
  public static int utf8Length(String s) {
    int n = s.length();
    int bytes = n;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        if (c < 0x800) {
          bytes += 1;
        } else if (Character.isHighSurrogate(c)) {
          bytes += 2;
          i++;
        } else {
          bytes += 2;
        }
      }
    }
    return bytes;
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** JSON type name as AWS error messages use it. */
  public static String typeName(JsonNode n) {
    if (n == null || n.isMissingNode()) {
      return "missing";
    }
    return switch (n.getNodeType()) {
      case OBJECT -> "object";
      case ARRAY -> "array";
      case STRING -> "string";
      case NUMBER -> "number";
      case BOOLEAN -> "boolean";
      case NULL -> "null";
      default -> n.getNodeType().name().toLowerCase();
    };
  }
}
