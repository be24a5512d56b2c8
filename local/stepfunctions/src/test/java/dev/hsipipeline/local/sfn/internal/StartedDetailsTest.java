package dev.hsipipeline.local.sfn.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** ExecutionStarted details written by hand must be the very text Jackson writes for the tree. */
class StartedDetailsTest {

  private static String viaTree(String input, String roleArn) {
    ObjectNode started = Json.object();
    started.put("input", input);
    started.putObject("inputDetails").put("truncated", false);
    if (roleArn != null) {
      started.put("roleArn", roleArn);
    }
    return Json.write(started);
  }

  @Test
  void matchesJacksonForEveryKindOfCharacter() {
    String[] inputs = {
      "{}",
      "{\"a\":\"b\"}",
      "{\"q\":\"\\\"quoted\\\" \\\\ back\"}",
      "\"tab\there\"",
      "line\nfeed\r\u0000\u001f\u007f",
      "{\"unicode\":\"é ü 中文 \uD83D\uDE00 \u2028\u2029\"}",
      "</script>",
      "[1,2.5e3,true,null]",
      ""
    };
    for (String in : inputs) {
      assertEquals(
          viaTree(in, "arn:aws:iam::000000000000:role/r"),
          HistoryRecorder.startedDetails(in, "arn:aws:iam::000000000000:role/r"),
          in);
      assertEquals(viaTree(in, null), HistoryRecorder.startedDetails(in, null), in);
    }
    assertEquals(
        viaTree("{}", "role\"with\\odd"), HistoryRecorder.startedDetails("{}", "role\"with\\odd"));
  }
}
