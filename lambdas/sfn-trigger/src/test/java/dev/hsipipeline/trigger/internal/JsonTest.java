package dev.hsipipeline.trigger.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JsonTest {

  @Test
  void acceptsAnySingleJsonValue() {
    for (String ok :
        new String[] {"{}", "[1,2]", "\"s\"", "42", "null", " {\"a\":{\"b\":[true]}} \n"}) {
      assertNull(Json.validate(ok), ok);
    }
  }

  @Test
  void rejectsNonJsonWithAPosition() {
    assertNotNull(Json.validate(""));
    assertNotNull(Json.validate("scene=bad"));
    assertNotNull(Json.validate("{\"a\":1"));
    String trailing = Json.validate("{} {}");
    assertNotNull(trailing);
    assertEquals(true, trailing.contains("line 1"), trailing);
  }

  @Test
  void executionInputEscapesTheBodyAsAString() {
    String input =
        Json.executionInput("arn:aws:sqs:us-east-1:000000000000:q", "q", "id-1", "{\"a\":\"\\n\"}");
    assertEquals(
        "{\"eventSourceARN\":\"arn:aws:sqs:us-east-1:000000000000:q\",\"queueName\":\"q\","
            + "\"messageId\":\"id-1\",\"parameters\":{\"event\":\"{\\\"a\\\":\\\"\\\\n\\\"}\"}}",
        input);
    assertEquals(
        Map.of("messageId", "id-1", "eventSourceARN", "arn:aws:sqs:us-east-1:000000000000:q"),
        Json.topLevelStrings(input, Set.of("messageId", "eventSourceARN")));
  }

  @Test
  void executionArnPrefixHandlesQualifiedStateMachineArns() {
    assertEquals(
        "arn:aws:states:us-east-1:000000000000:execution:pipeline:",
        BatchStarter.executionArnPrefix(
            "arn:aws:states:us-east-1:000000000000:stateMachine:pipeline:prod"));
    assertEquals(4, BatchStarter.utf8Length("é🚀".substring(0, 1) + "ab"));
  }

  @Test
  void rejectsJsonNestedBeyondTheParserLimitWithAReasonInsteadOfCrashing() {
    String deep = "[".repeat(5_000) + "]".repeat(5_000);
    String reason = Json.validate(deep);
    org.junit.jupiter.api.Assertions.assertNotNull(reason);
    org.junit.jupiter.api.Assertions.assertTrue(reason.toLowerCase().contains("nesting"), reason);
  }
}
