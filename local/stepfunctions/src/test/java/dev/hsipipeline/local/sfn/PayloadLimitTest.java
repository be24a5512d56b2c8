package dev.hsipipeline.local.sfn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.SfnException;

/**
 * Step Functions' 256 KiB payload limit (262,144 bytes of UTF-8) at its boundary, through the API:
 * the input of StartExecution and the output of a state.
 */
class PayloadLimitTest {

  private static final int LIMIT = 262_144;

  /** Passes its input through unchanged. */
  private static final String IDENTITY =
      """
      {"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}""";

  /** Adds a fixed result to its input: the output is the input plus {@code ,"r":{"pad":"…"}}. */
  private static final String GROW =
      """
      {"StartAt":"Grow","States":{"Grow":{"Type":"Pass","Result":{"pad":"0123456789"},
       "ResultPath":"$.r","End":true}}}""";

  private static SfnFixture f;
  private static String identity;
  private static String grow;

  @BeforeAll
  static void start() {
    f = new SfnFixture();
    identity = f.createStateMachine("identity", IDENTITY);
    grow = f.createStateMachine("grow", GROW);
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  /** {@code {"s":"<padding>"}} of exactly {@code bytes} UTF-8 bytes, padded with {@code c}. */
  private static String inputOf(int bytes, String c) {
    int overhead = "{\"s\":\"\"}".length();
    int unit = c.getBytes(StandardCharsets.UTF_8).length;
    int n = (bytes - overhead) / unit;
    String s = "{\"s\":\"" + c.repeat(n) + "a".repeat(bytes - overhead - n * unit) + "\"}";
    assertEquals(bytes, s.getBytes(StandardCharsets.UTF_8).length);
    return s;
  }

  private static DescribeExecutionResponse run(String sm, String input) {
    String arn = f.client.startExecution(b -> b.stateMachineArn(sm).input(input)).executionArn();
    SfnFixture.await(
        "execution ends",
        () ->
            f.client.describeExecution(b -> b.executionArn(arn)).status()
                != ExecutionStatus.RUNNING);
    return f.client.describeExecution(b -> b.executionArn(arn));
  }

  @Test
  void startExecutionAcceptsAnInputOf262144BytesAndRefusesOneByteMore() {
    for (String c : new String[] {"x", "é"}) { // bytes, not characters, count
      String fits = inputOf(LIMIT, c);
      assertEquals(ExecutionStatus.SUCCEEDED, run(identity, fits).status());

      SfnException e =
          assertThrows(
              SfnException.class,
              () ->
                  f.client.startExecution(
                      b -> b.stateMachineArn(identity).input(inputOf(LIMIT + 1, c))));
      assertEquals("ValidationException", e.awsErrorDetails().errorCode());
      assertEquals(
          "1 validation error detected: Value at 'input' failed to satisfy constraint: Member"
              + " must have length less than or equal to 262144",
          e.awsErrorDetails().errorMessage());
    }
  }

  @Test
  void aStateOutputOf262144BytesPassesAndOneByteMoreFailsWithDataLimitExceeded() {
    ObjectNode r = SfnFixture.JSON.createObjectNode();
    r.putObject("r").put("pad", "0123456789");
    int grown = ",".length() + r.toString().length() - 2; // ,"r":{"pad":"0123456789"}

    DescribeExecutionResponse fits = run(grow, inputOf(LIMIT - grown, "x"));
    assertEquals(ExecutionStatus.SUCCEEDED, fits.status(), String.valueOf(fits.cause()));
    assertEquals(LIMIT, fits.output().getBytes(StandardCharsets.UTF_8).length);

    DescribeExecutionResponse over = run(grow, inputOf(LIMIT - grown + 1, "x"));
    assertEquals(ExecutionStatus.FAILED, over.status());
    assertEquals("States.DataLimitExceeded", over.error());
    assertTrue(over.cause().contains("'Grow'"), over.cause());
    assertTrue(over.cause().contains("262144 bytes"), over.cause());
  }
}
