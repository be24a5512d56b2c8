package dev.hsipipeline.local.sfn.asl.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

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

  /**
   * Compact JSON text of a node, byte-for-byte what Jackson writes, without the databind serializer
   * machinery: it runs several times per state (history and the payload limit).
   */
  public static String write(JsonNode node) {
    StringBuilder b = new StringBuilder(512);
    try {
      append(b, node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
    return b.toString();
  }

  private static void append(StringBuilder b, JsonNode node) throws JsonProcessingException {
    switch (node.getNodeType()) {
      case OBJECT -> {
        b.append('{');
        boolean first = true;
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          if (!first) {
            b.append(',');
          }
          first = false;
          quote(b, e.getKey());
          b.append(':');
          append(b, e.getValue());
        }
        b.append('}');
      }
      case ARRAY -> {
        b.append('[');
        for (int i = 0; i < node.size(); i++) {
          if (i > 0) {
            b.append(',');
          }
          append(b, node.get(i));
        }
        b.append(']');
      }
      case STRING -> quote(b, node.textValue());
      case NUMBER, BOOLEAN -> b.append(node.asText());
      case NULL, MISSING -> b.append("null");
      default -> b.append(MAPPER.writeValueAsString(node));
    }
  }

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  /**
   * Appends {@code s} as a JSON string literal escaped as Jackson escapes it: quote, backslash and
   * control characters only; runs of plain characters are copied whole.
   */
  public static void quote(StringBuilder b, String s) {
    b.append('"');
    int start = 0;
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c != '"' && c != '\\') {
        continue;
      }
      b.append(s, start, i);
      start = i + 1;
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        case '\b' -> b.append("\\b");
        case '\f' -> b.append("\\f");
        default -> b.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
      }
    }
    b.append(s, start, n).append('"');
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
