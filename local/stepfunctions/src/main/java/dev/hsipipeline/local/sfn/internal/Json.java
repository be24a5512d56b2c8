package dev.hsipipeline.local.sfn.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hsipipeline.local.sfn.asl.JsonText;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** The module's one ObjectMapper and small JSON helpers. */
final class Json {
  private Json() {}

  /** Strict: trailing garbage after a JSON value is an error (as AWS treats execution input). */
  // Jackson's default buffer pool is per thread; the HTTP server runs every request on a new
  // virtual thread, so each request allocated fresh parser/generator buffers (~35% of the
  // server's allocation under StartExecution load). A shared concurrent pool reuses them.
  static final ObjectMapper MAPPER =
      JsonMapper.builder(
              JsonFactory.builder()
                  .recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool())
                  .build())
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  static {
    // Request bodies may carry a 1 MiB definition plus escaping; allow long strings.
    MAPPER
        .getFactory()
        .setStreamReadConstraints(
            StreamReadConstraints.builder().maxStringLength(64 * 1024 * 1024).build());
  }

  static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  /**
   * Compact JSON text of {@code node}. Runs for every history event's details, so it uses the
   * interpreter's tree writer (the same text as Jackson, tested there) instead of a databind
   * serializer, a generator and a segmented writer per call.
   */
  static String write(JsonNode node) {
    try {
      return JsonText.write(node);
    } catch (java.io.UncheckedIOException e) {
      throw new IllegalStateException("Cannot serialize JSON: " + e.getMessage(), e);
    }
  }

  /** Appends {@code s} as a JSON string literal, escaped exactly as Jackson escapes it. */
  static void quote(StringBuilder b, String s) {
    JsonText.quote(b, s);
  }

  /** AWS JSON 1.0 timestamps: epoch seconds as a number with millisecond fraction. */
  static BigDecimal epochSeconds(long millis) {
    return BigDecimal.valueOf(millis, 3);
  }

  static String token(String raw) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }

  /** Decodes a token made by {@link #token}, or throws InvalidToken. */
  static String untoken(String token) {
    try {
      return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalidToken("not a token issued by this server: " + token);
    }
  }
}
