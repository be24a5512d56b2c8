package dev.hsipipeline.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;

/** Renders SDK model objects as the JSON the API returned (field names as on the wire). */
final class SdkJson {
  private static final JsonNodeFactory NF = JsonNodeFactory.instance;

  private SdkJson() {}

  static JsonNode toJson(Object value) {
    if (value == null) {
      return NF.nullNode();
    }
    if (value instanceof SdkPojo pojo) {
      ObjectNode o = NF.objectNode();
      for (SdkField<?> f : pojo.sdkFields()) {
        Object v = f.getValueOrDefault(pojo);
        if (v == null || (v instanceof Collection<?> c && c.isEmpty() && isAutoConstruct(c))) {
          continue;
        }
        String name = f.locationName() != null ? f.locationName() : f.memberName();
        o.set(name, toJson(v));
      }
      return o;
    }
    if (value instanceof Collection<?> c) {
      ArrayNode a = NF.arrayNode();
      c.forEach(x -> a.add(toJson(x)));
      return a;
    }
    if (value instanceof Map<?, ?> m) {
      ObjectNode o = NF.objectNode();
      m.forEach((k, v) -> o.set(String.valueOf(k), toJson(v)));
      return o;
    }
    if (value instanceof Instant i) {
      return NF.textNode(i.toString());
    }
    if (value instanceof SdkBytes b) {
      return NF.textNode(b.asUtf8String());
    }
    if (value instanceof Number n) {
      return n instanceof Long || n instanceof Integer
          ? NF.numberNode(n.longValue())
          : NF.numberNode(n.doubleValue());
    }
    if (value instanceof Boolean b) {
      return NF.booleanNode(b);
    }
    return NF.textNode(value.toString());
  }

  private static boolean isAutoConstruct(Collection<?> c) {
    return c.getClass().getSimpleName().startsWith("DefaultSdkAutoConstruct");
  }
}
