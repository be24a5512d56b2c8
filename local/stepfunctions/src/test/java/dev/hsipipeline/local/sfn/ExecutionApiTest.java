package dev.hsipipeline.local.sfn;

import static dev.hsipipeline.local.sfn.SfnFixture.BLOCK_DEF;
import static dev.hsipipeline.local.sfn.SfnFixture.ECHO_DEF;
import static dev.hsipipeline.local.sfn.SfnFixture.FAIL_DEF;
import static dev.hsipipeline.local.sfn.SfnFixture.PASS_DEF;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.InvalidArnException;
import software.amazon.awssdk.services.sfn.model.InvalidExecutionInputException;
import software.amazon.awssdk.services.sfn.model.InvalidNameException;
import software.amazon.awssdk.services.sfn.model.InvalidTokenException;
import software.amazon.awssdk.services.sfn.model.ListExecutionsResponse;
import software.amazon.awssdk.services.sfn.model.StartExecutionResponse;
import software.amazon.awssdk.services.sfn.model.StateMachineDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.StopExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ValidationException;

class ExecutionApiTest {
  static SfnFixture f;
  static String pass;
  static String echo;
  static String block;
  static String failing;
  static final List<String> events = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() {
    f = new SfnFixture();
    f.server.addListener(
        new ExecutionListener() {
          @Override
          public void executionStarted(ExecutionInfo e) {
            events.add("started " + e.name());
          }

          @Override
          public void stateEntered(ExecutionInfo e, String stateName, String eventType) {
            events.add("entered " + e.name() + " " + stateName + " " + eventType);
          }

          @Override
          public void executionEnded(ExecutionInfo e) {
            events.add("ended " + e.name() + " " + e.status());
          }
        });
    pass = f.createStateMachine("pass", PASS_DEF);
    echo = f.createStateMachine("echo", ECHO_DEF);
    block = f.createStateMachine("block", BLOCK_DEF);
    failing = f.createStateMachine("failing", FAIL_DEF);
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  @Test
  void startExecutionRunsItToSuccessAndDescribeShowsInputOutputAndDates() {
    StartExecutionResponse r =
        f.client.startExecution(b -> b.stateMachineArn(echo).name("run-1").input("{\"value\":42}"));
    assertEquals("arn:aws:states:us-east-1:000000000000:execution:echo:run-1", r.executionArn());
    assertNotNull(r.startDate());
    DescribeExecutionResponse d = f.awaitStatus(r.executionArn(), ExecutionStatus.SUCCEEDED);
    assertEquals(echo, d.stateMachineArn());
    assertEquals("run-1", d.name());
    assertEquals("{\"value\":42}", d.input());
    assertTrue(d.inputDetails().included());
    assertEquals("{\"value\":42}", d.output());
    assertTrue(d.outputDetails().included());
    assertEquals(r.startDate(), d.startDate());
    assertNotNull(d.stopDate());
    assertFalse(d.stopDate().isBefore(d.startDate()));
    assertNull(d.error());
    SfnFixture.await("listener saw the end", () -> events.contains("ended run-1 SUCCEEDED"));
    assertTrue(events.contains("started run-1"), events.toString());
    assertTrue(events.contains("entered run-1 Echo TaskStateEntered"), events.toString());
  }

  @Test
  void failedExecutionReportsErrorAndCause() {
    String arn =
        f.client.startExecution(b -> b.stateMachineArn(failing).name("fails")).executionArn();
    DescribeExecutionResponse d = f.awaitStatus(arn, ExecutionStatus.FAILED);
    assertEquals("MyError", d.error());
    assertEquals("it broke", d.cause());
    assertNull(d.output());
    assertEquals("{}", d.input(), "input defaults to {}");
  }

  @Test
  void omittedNameGetsAGeneratedOne() {
    StartExecutionResponse r = f.client.startExecution(b -> b.stateMachineArn(pass));
    String name = r.executionArn().substring(r.executionArn().lastIndexOf(':') + 1);
    assertEquals(36, name.length(), name);
  }

  @Test
  void sameNameAndInputWhileRunningReturnsTheOriginalExecution() {
    StartExecutionResponse first =
        f.client.startExecution(b -> b.stateMachineArn(block).name("idem").input("{\"a\":1}"));
    StartExecutionResponse again =
        f.client.startExecution(b -> b.stateMachineArn(block).name("idem").input("{\"a\":1}"));
    assertEquals(first.executionArn(), again.executionArn());
    assertEquals(first.startDate(), again.startDate());

    ExecutionAlreadyExistsException e =
        assertThrows(
            ExecutionAlreadyExistsException.class,
            () ->
                f.client.startExecution(
                    b -> b.stateMachineArn(block).name("idem").input("{\"a\":2}")));
    assertTrue(e.getMessage().contains(first.executionArn()), e.getMessage());
    f.client.stopExecution(b -> b.executionArn(first.executionArn()));
  }

  @Test
  void sameNameAfterTheExecutionClosedIsAlreadyExistsEvenWithTheSameInput() {
    String arn =
        f.client
            .startExecution(b -> b.stateMachineArn(pass).name("closed-once").input("{}"))
            .executionArn();
    f.awaitStatus(arn, ExecutionStatus.SUCCEEDED);
    ExecutionAlreadyExistsException e =
        assertThrows(
            ExecutionAlreadyExistsException.class,
            () ->
                f.client.startExecution(
                    b -> b.stateMachineArn(pass).name("closed-once").input("{}")));
    assertTrue(e.getMessage().contains(arn), e.getMessage());
    assertEquals(400, e.statusCode());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "has space",
        "tab\tname",
        "a<b",
        "a>b",
        "a{b",
        "a}b",
        "a[b",
        "a]b",
        "a?b",
        "a*b",
        "a\"b",
        "a#b",
        "a%b",
        "a\\b",
        "a^b",
        "a|b",
        "a~b",
        "a`b",
        "a$b",
        "a&b",
        "a,b",
        "a;b",
        "a:b",
        "a/b",
        "ctl\u0001x",
        "del\u007fx",
        "c1\u0085x"
      })
  void invalidExecutionNamesAreRejected(String name) {
    InvalidNameException e =
        assertThrows(
            InvalidNameException.class,
            () -> f.client.startExecution(b -> b.stateMachineArn(pass).name(name)));
    assertTrue(e.getMessage().contains("Invalid Name"), e.getMessage());
  }

  @Test
  void anExecutionNameOfEightyCharactersIsAcceptedAndLongerOrEmptyFailAwsValidation() {
    String eighty = "n".repeat(80);
    String arn = f.client.startExecution(b -> b.stateMachineArn(pass).name(eighty)).executionArn();
    assertTrue(arn.endsWith(":" + eighty), arn);

    String eightyOne = "n".repeat(81);
    ValidationException tooLong =
        assertThrows(
            ValidationException.class,
            () -> f.client.startExecution(b -> b.stateMachineArn(pass).name(eightyOne)));
    assertEquals(
        "1 validation error detected: Value '"
            + eightyOne
            + "' at 'name' failed to satisfy constraint: Member must have length less than or"
            + " equal to 80",
        tooLong.awsErrorDetails().errorMessage());
    ValidationException empty =
        assertThrows(
            ValidationException.class,
            () -> f.client.startExecution(b -> b.stateMachineArn(pass).name("")));
    assertEquals(
        "1 validation error detected: Value '' at 'name' failed to satisfy constraint: Member"
            + " must have length greater than or equal to 1",
        empty.awsErrorDetails().errorMessage());
  }

  @Test
  void aForbiddenCharacterAtTheEightyCharacterLimitIsInvalidNameNotALengthError() {
    String name = "n".repeat(79) + "#";
    InvalidNameException e =
        assertThrows(
            InvalidNameException.class,
            () -> f.client.startExecution(b -> b.stateMachineArn(pass).name(name)));
    assertEquals("InvalidName", e.awsErrorDetails().errorCode());
    assertTrue(
        e.awsErrorDetails().errorMessage().startsWith("Invalid Name: '" + name + "'"),
        e.awsErrorDetails().errorMessage());
  }

  @Test
  void validUnusualNamesAreAccepted() {
    for (String name :
        List.of(
            "a-b_c.d",
            "msg-3f1e@x+y=z",
            "ÜnïcødéName",
            "12345678901234567890123456789012"
                + "345678901234567890123456789012345678901234567890")) {
      String arn = f.client.startExecution(b -> b.stateMachineArn(pass).name(name)).executionArn();
      assertTrue(arn.endsWith(":" + name), arn);
    }
  }

  @Test
  void nonJsonInputIsInvalidExecutionInput() {
    for (String input : List.of("not json", "{\"a\":", "{} {}", "")) {
      InvalidExecutionInputException e =
          assertThrows(
              InvalidExecutionInputException.class,
              () -> f.client.startExecution(b -> b.stateMachineArn(pass).input(input)),
              input);
      assertTrue(e.getMessage().contains("Invalid State Machine Execution Input"), e.getMessage());
    }
  }

  @Test
  void oversizedInputIsAValidationError() {
    String big = "{\"x\":\"" + "a".repeat(262_144) + "\"}";
    assertThrows(
        ValidationException.class,
        () -> f.client.startExecution(b -> b.stateMachineArn(pass).input(big)));
  }

  @Test
  void unknownOrMalformedArnsGetTheRightErrors() {
    assertThrows(
        StateMachineDoesNotExistException.class,
        () ->
            f.client.startExecution(
                b -> b.stateMachineArn("arn:aws:states:us-east-1:000000000000:stateMachine:nope")));
    assertThrows(
        InvalidArnException.class, () -> f.client.startExecution(b -> b.stateMachineArn("nope")));
    assertThrows(
        InvalidArnException.class,
        () ->
            f.client.startExecution(
                b -> b.stateMachineArn("arn:aws:states:us-east-1:000000000000:execution:pass:x")));
    assertThrows(
        ExecutionDoesNotExistException.class,
        () ->
            f.client.describeExecution(
                b -> b.executionArn("arn:aws:states:us-east-1:000000000000:execution:pass:never")));
    assertThrows(
        InvalidArnException.class, () -> f.client.describeExecution(b -> b.executionArn(pass)));
    assertThrows(
        InvalidArnException.class, () -> f.client.getExecutionHistory(b -> b.executionArn("x:y")));
    assertThrows(ValidationException.class, () -> f.client.describeExecution(b -> {}));
  }

  @Test
  void listExecutionsIsNewestFirstFilteredAndPaginated() {
    String sm = f.createStateMachine("listing", PASS_DEF);
    List<String> started = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      int n = i;
      started.add(f.client.startExecution(b -> b.stateMachineArn(sm).name("e" + n)).executionArn());
    }
    String failingOne =
        f.client
            .startExecution(b -> b.stateMachineArn(sm).name("bad").input("{\"x\":1}"))
            .executionArn();
    for (String arn : started) {
      f.awaitStatus(arn, ExecutionStatus.SUCCEEDED);
    }
    List<String> seen = new ArrayList<>();
    String token = null;
    int pages = 0;
    do {
      String t = token;
      ListExecutionsResponse page =
          f.client.listExecutions(
              b ->
                  b.stateMachineArn(sm)
                      .maxResults(10)
                      .nextToken(t)
                      .statusFilter(ExecutionStatus.SUCCEEDED));
      assertTrue(page.executions().size() <= 10);
      for (ExecutionListItem e : page.executions()) {
        assertEquals(ExecutionStatus.SUCCEEDED, e.status());
        assertEquals(sm, e.stateMachineArn());
        assertNotNull(e.stopDate());
        seen.add(e.executionArn());
      }
      token = page.nextToken();
      pages++;
    } while (token != null);
    f.awaitStatus(failingOne, ExecutionStatus.SUCCEEDED);
    List<String> expected = new ArrayList<>(started);
    java.util.Collections.reverse(expected);
    assertEquals(expected, seen.subList(seen.size() - 25, seen.size()));
    assertTrue(pages >= 3);

    ListExecutionsResponse all = f.client.listExecutions(b -> b.stateMachineArn(sm));
    assertEquals(26, all.executions().size());
    assertEquals(failingOne, all.executions().get(0).executionArn(), "newest first");
    assertNull(all.nextToken());

    assertEquals(
        0,
        f.client
            .listExecutions(b -> b.stateMachineArn(sm).statusFilter(ExecutionStatus.ABORTED))
            .executions()
            .size());
    assertThrows(
        InvalidTokenException.class,
        () -> f.client.listExecutions(b -> b.stateMachineArn(sm).nextToken("garbage!!")));
    assertThrows(
        ValidationException.class,
        () -> f.client.listExecutions(b -> b.stateMachineArn(sm).maxResults(1001)));
    assertThrows(
        StateMachineDoesNotExistException.class,
        () ->
            f.client.listExecutions(
                b -> b.stateMachineArn("arn:aws:states:us-east-1:000000000000:stateMachine:nope")));
  }

  @Test
  void sdkPaginatorWalksAllExecutions() {
    String sm = f.createStateMachine("paginated", PASS_DEF);
    for (int i = 0; i < 7; i++) {
      int n = i;
      f.client.startExecution(b -> b.stateMachineArn(sm).name("p" + n));
    }
    long count =
        f
            .client
            .listExecutionsPaginator(b -> b.stateMachineArn(sm).maxResults(2))
            .executions()
            .stream()
            .count();
    assertEquals(7, count);
  }

  @Test
  void stopExecutionAbortsWithAnExecutionAbortedEvent() {
    String arn =
        f.client.startExecution(b -> b.stateMachineArn(block).name("to-stop")).executionArn();
    SfnFixture.await("task running", () -> f.blocked.containsKey(arn));
    StopExecutionResponse s =
        f.client.stopExecution(b -> b.executionArn(arn).error("User.Stop").cause("enough"));
    assertNotNull(s.stopDate());
    DescribeExecutionResponse d = f.client.describeExecution(b -> b.executionArn(arn));
    assertEquals(ExecutionStatus.ABORTED, d.status());
    assertEquals("User.Stop", d.error());
    assertEquals("enough", d.cause());
    assertEquals(s.stopDate(), d.stopDate());
    SfnFixture.await("task interrupted", () -> !f.blocked.containsKey(arn));
    var history =
        f.client.getExecutionHistory(b -> b.executionArn(arn).reverseOrder(true)).events();
    assertEquals("ExecutionAborted", history.get(0).typeAsString());
    assertEquals("User.Stop", history.get(0).executionAbortedEventDetails().error());
    assertEquals("enough", history.get(0).executionAbortedEventDetails().cause());
    long aborted =
        history.stream()
            .filter(
                e ->
                    e.typeAsString().startsWith("Execution")
                        && !e.typeAsString().equals("ExecutionStarted"))
            .count();
    assertEquals(1, aborted, "exactly one terminal event: " + history);
    // Stopping again changes nothing.
    StopExecutionResponse again = f.client.stopExecution(b -> b.executionArn(arn));
    assertEquals(s.stopDate(), again.stopDate());
    assertEquals(
        ExecutionStatus.ABORTED, f.client.describeExecution(b -> b.executionArn(arn)).status());
  }

  @Test
  void stoppedExecutionNameCannotBeReused() {
    String arn =
        f.client
            .startExecution(b -> b.stateMachineArn(block).name("stop-reuse").input("{}"))
            .executionArn();
    f.client.stopExecution(b -> b.executionArn(arn));
    assertThrows(
        ExecutionAlreadyExistsException.class,
        () ->
            f.client.startExecution(b -> b.stateMachineArn(block).name("stop-reuse").input("{}")));
  }

  @Test
  void describeStateMachineForExecutionReturnsTheDefinitionItRan() throws Exception {
    String sm = f.createStateMachine("versioned", PASS_DEF);
    String arn = f.client.startExecution(b -> b.stateMachineArn(sm).name("v1")).executionArn();
    f.client.updateStateMachine(b -> b.stateMachineArn(sm).definition(ECHO_DEF));
    var d = f.client.describeStateMachineForExecution(b -> b.executionArn(arn));
    assertEquals(sm, d.stateMachineArn());
    assertEquals("versioned", d.name());
    assertEquals(PASS_DEF, d.definition());
    assertEquals(SfnFixture.ROLE, d.roleArn());
    assertNotNull(d.updateDate());
    assertNotEquals(ECHO_DEF, d.definition());
    JsonNode now =
        SfnFixture.JSON.readTree(
            f.client.describeStateMachine(b -> b.stateMachineArn(sm)).definition());
    assertEquals(SfnFixture.JSON.readTree(ECHO_DEF), now);
  }
}
