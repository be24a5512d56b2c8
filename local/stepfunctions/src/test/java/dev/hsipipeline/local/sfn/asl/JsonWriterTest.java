package dev.hsipipeline.local.sfn.asl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/**
 * The engine's lean JSON writer must produce exactly Jackson's text (history is compared by text).
 */
class JsonWriterTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Test
  void writesExactlyWhatJacksonWrites() throws Exception {
    String[] samples = {
      "{\"a\":1,\"b\":[true,false,null],\"c\":{\"d\":\"e\\\"f\\\\g\\n\\t\\r\\b\\f\\u0001\"}}",
      "[1.5,-0.0,1e300,12345678901234567890123,3.0,0.1]",
      "\"unicode é 漢字 😀 / </script>\"",
      "{}",
      "[]",
      "null",
      "\"\"",
      "{\"\":{\"x\":[[],{}]}}",
      "123456789012"
    };
    for (String s : samples) {
      JsonNode n = MAPPER.readTree(s);
      assertEquals(MAPPER.writeValueAsString(n), JsonText.write(n), s);
    }
  }
}
