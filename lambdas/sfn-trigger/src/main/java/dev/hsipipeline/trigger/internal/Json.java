package dev.hsipipeline.trigger.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** Streaming JSON helpers (jackson-core only: no databind in the Lambda artifact). */
public final class Json {

  private static final JsonFactory FACTORY =
      JsonFactory.builder()
          .streamReadConstraints(
              StreamReadConstraints.builder()
                  .maxStringLength(300_000_000)
                  .maxNestingDepth(1000)
                  .build())
          .build();

  private Json() {}

  /** The shared factory (thread safe). */
  public static JsonFactory factory() {
    return FACTORY;
  }

  /**
   * Checks that {@code text} is exactly one JSON value.
   *
   * @return {@code null} if valid, else a short reason with line and column
   */
  public static String validate(String text) {
    if (text == null || text.isBlank()) {
      return "body is empty";
    }
    try (JsonParser p = FACTORY.createParser(text)) {
      if (p.nextToken() == null) {
        return "body is empty";
      }
      p.skipChildren();
      JsonToken trailing = p.nextToken();
      if (trailing != null) {
        return "unexpected content after the JSON value at line "
            + p.currentLocation().getLineNr()
            + ", column "
            + p.currentLocation().getColumnNr();
      }
      return null;
    } catch (JsonProcessingException e) {
      // Constraint violations (e.g. nesting deeper than Jackson's limit) carry no location.
      var where = e.getLocation();
      return where == null
          ? e.getOriginalMessage()
          : e.getOriginalMessage()
              + " at line "
              + where.getLineNr()
              + ", column "
              + where.getColumnNr();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Builds the execution input {@code {"eventSourceARN", "queueName", "messageId", "parameters":
   * {"event"}}}: only values that are the same on every delivery of a message.
   */
  public static String executionInput(
      String eventSourceArn, String queueName, String messageId, String event) {
    java.io.StringWriter w = new java.io.StringWriter(256);
    try (JsonGenerator g = FACTORY.createGenerator(w)) {
      g.writeStartObject();
      g.writeStringField("eventSourceARN", eventSourceArn);
      g.writeStringField("queueName", queueName);
      g.writeStringField("messageId", messageId);
      g.writeObjectFieldStart("parameters");
      g.writeStringField("event", event);
      g.writeEndObject();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return w.toString();
  }

  /**
   * Reads the named top-level string fields of a JSON object (others are skipped).
   *
   * @return field values ({@code null} for JSON null); missing fields are absent; empty map if
   *     {@code json} is not an object
   */
  public static Map<String, String> topLevelStrings(String json, Set<String> names) {
    Map<String, String> out = new HashMap<>();
    if (json == null) {
      return out;
    }
    try (JsonParser p = FACTORY.createParser(json)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return out;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if (names.contains(field)
            && (value == JsonToken.VALUE_STRING || value == JsonToken.VALUE_NULL)) {
          out.put(field, value == JsonToken.VALUE_NULL ? null : p.getText());
        } else {
          p.skipChildren();
        }
      }
    } catch (IOException e) {
      // Not JSON: the caller treats missing fields as "different".
    }
    return out;
  }

  /** Writes one JSON object built by {@code body} as a String. */
  public static String object(ObjectWriter body) {
    java.io.StringWriter w = new java.io.StringWriter(256);
    try (JsonGenerator g = FACTORY.createGenerator(w)) {
      g.writeStartObject();
      body.write(g);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return w.toString();
  }

  /** Writes fields into an open JSON object. */
  @FunctionalInterface
  public interface ObjectWriter {
    /** Writes fields with {@code g}. */
    void write(JsonGenerator g) throws IOException;
  }
}
