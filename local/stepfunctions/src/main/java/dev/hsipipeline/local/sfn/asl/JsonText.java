package dev.hsipipeline.local.sfn.asl;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Map;

/**
 * Compact JSON text exactly as Jackson writes it, without the databind serializer machinery: the
 * interpreter writes every state's input and output (history, payload limit) and the server every
 * history event's details, so both use this one writer.
 */
public final class JsonText {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private JsonText() {}

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
}
