package dev.hsipipeline.local.sfn.asl.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.InvalidPathException;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.Option;
import com.jayway.jsonpath.spi.json.JacksonJsonNodeJsonProvider;
import com.jayway.jsonpath.spi.mapper.JacksonMappingProvider;
import java.util.EnumSet;

/**
 * A compiled ASL Path. Paths that are Reference Paths (the common case) are evaluated by a direct
 * walk; anything else ({@code ..}, {@code [*]}, filters, slices) by Jayway JsonPath over Jackson
 * nodes, compiled once here. A path starting with {@code $$} reads the context object.
 */
public final class Path {
  private static final Configuration JAYWAY =
      Configuration.builder()
          .jsonProvider(new JacksonJsonNodeJsonProvider(Json.MAPPER))
          .mappingProvider(new JacksonMappingProvider(Json.MAPPER))
          .options(EnumSet.noneOf(Option.class))
          .build();

  private final String text;
  private final boolean context;
  private final ReferencePath reference;
  private final JsonPath jayway;

  private Path(String text, boolean context, ReferencePath reference, JsonPath jayway) {
    this.text = text;
    this.context = context;
    this.reference = reference;
    this.jayway = jayway;
  }

  /**
   * Compiles a path.
   *
   * @throws IllegalArgumentException with a readable reason when the path is not valid
   */
  public static Path compile(String text) {
    if (text == null || !text.startsWith("$")) {
      throw new IllegalArgumentException("a path must start with '$' or '$$'");
    }
    boolean context = text.startsWith("$$");
    String body = context ? text.substring(1) : text;
    ReferencePath ref = ReferencePath.parse(body);
    if (ref != null) {
      return new Path(text, context, ref, null);
    }
    checkBalanced(body);
    if (body.contains("()")) {
      throw new IllegalArgumentException("JsonPath functions are not supported");
    }
    try {
      return new Path(text, context, null, JsonPath.compile(body));
    } catch (InvalidPathException | IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage() == null ? "invalid path" : e.getMessage());
    } catch (RuntimeException e) { // Jayway's tokenizer can fail with index errors on odd input
      throw new IllegalArgumentException("invalid path (" + e + ")");
    }
  }

  /** Jayway accepts some unbalanced paths such as {@code $.a[}; AWS does not. */
  private static void checkBalanced(String body) {
    int depth = 0;
    char quote = 0;
    for (int i = 0; i < body.length(); i++) {
      char c = body.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
      } else if (c == '[' || c == '(') {
        depth++;
      } else if (c == ']' || c == ')') {
        if (--depth < 0) {
          throw new IllegalArgumentException("unbalanced '" + c + "' at position " + i);
        }
      }
    }
    if (depth != 0 || quote != 0) {
      throw new IllegalArgumentException("unclosed bracket or quote");
    }
  }

  public String text() {
    return text;
  }

  public boolean isContext() {
    return context;
  }

  /** Whether this is a Reference Path (names exactly one node). */
  public boolean isReference() {
    return reference != null;
  }

  public ReferencePath reference() {
    return reference;
  }

  /** The value at this path, or Java null when nothing matches. */
  public JsonNode read(JsonNode input, ContextObject ctx) {
    JsonNode root = context ? ctx.node() : input;
    if (reference != null) {
      return reference.read(root);
    }
    try {
      return Json.toNode(jayway.read(root, JAYWAY));
    } catch (com.jayway.jsonpath.PathNotFoundException e) {
      return null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  @Override
  public String toString() {
    return text;
  }
}
