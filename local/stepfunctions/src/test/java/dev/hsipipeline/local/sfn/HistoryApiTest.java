package dev.hsipipeline.local.sfn;

import static dev.hsipipeline.local.sfn.SfnFixture.ECHO_DEF;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.GetExecutionHistoryResponse;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.InvalidTokenException;

/**
 * GetExecutionHistory against a server keeping histories in memory (hot) and one that reads every
 * ended execution's history back from H2 (hotExecutions = 0).
 */
class HistoryApiTest {
  static SfnFixture hot;
  static SfnFixture cold;

  @BeforeAll
  static void start() {
    hot = new SfnFixture(null, 2_000);
    cold = new SfnFixture(null, 0);
  }

  @AfterAll
  static void stop() {
    hot.close();
    cold.close();
  }

  static Stream<String> servers() {
    return Stream.of("hot", "cold");
  }

  private static SfnFixture server(String which) {
    return which.equals("hot") ? hot : cold;
  }

  private static String run(SfnFixture f, String name) {
    String sm;
    try {
      sm = f.createStateMachine("echo", ECHO_DEF);
    } catch (RuntimeException alreadyThere) {
      sm = "arn:aws:states:us-east-1:000000000000:stateMachine:echo";
    }
    String s = sm;
    String arn =
        f.client
            .startExecution(b -> b.stateMachineArn(s).name(name).input("{\"value\":\"v\"}"))
            .executionArn();
    f.awaitStatus(arn, ExecutionStatus.SUCCEEDED);
    // The end of an execution is committed asynchronously; once it is, the server with
    // hotExecutions = 0 evicts it and must read it back from H2.
    f.server.flush();
    return arn;
  }

  @ParameterizedTest
  @MethodSource("servers")
  void historyHasAwsEventTypesIdsAndDetails(String which) {
    SfnFixture f = server(which);
    String arn = run(f, "shape-" + which);
    List<HistoryEvent> events = f.client.getExecutionHistory(b -> b.executionArn(arn)).events();
    List<String> types = events.stream().map(HistoryEvent::typeAsString).toList();
    assertEquals(
        List.of(
            "ExecutionStarted",
            "TaskStateEntered",
            "TaskScheduled",
            "TaskStarted",
            "TaskSucceeded",
            "TaskStateExited",
            "ExecutionSucceeded"),
        types);
    for (int i = 0; i < events.size(); i++) {
      HistoryEvent e = events.get(i);
      assertEquals(i + 1, e.id());
      assertEquals(i, e.previousEventId());
      assertNotNull(e.timestamp());
      if (i > 0) {
        assertFalse(e.timestamp().isBefore(events.get(i - 1).timestamp()));
      }
    }
    var started = events.get(0).executionStartedEventDetails();
    assertEquals("{\"value\":\"v\"}", started.input());
    assertFalse(started.inputDetails().truncated());
    assertEquals(SfnFixture.ROLE, started.roleArn());
    assertEquals("Echo", events.get(1).stateEnteredEventDetails().name());
    assertEquals("{\"value\":\"v\"}", events.get(1).stateEnteredEventDetails().input());
    assertEquals("test", events.get(2).taskScheduledEventDetails().resourceType());
    assertEquals("echo", events.get(2).taskScheduledEventDetails().resource());
    assertEquals("us-east-1", events.get(2).taskScheduledEventDetails().region());
    assertNotNull(events.get(4).taskSucceededEventDetails().output());
    assertEquals("Echo", events.get(5).stateExitedEventDetails().name());
    assertEquals("{\"value\":\"v\"}", events.get(6).executionSucceededEventDetails().output());
  }

  @ParameterizedTest
  @MethodSource("servers")
  void reverseOrderAndPagesConcatenateToTheFullHistory(String which) {
    SfnFixture f = server(which);
    String arn = run(f, "pages-" + which);
    List<HistoryEvent> all = f.client.getExecutionHistory(b -> b.executionArn(arn)).events();

    List<HistoryEvent> forward = new ArrayList<>();
    String token = null;
    do {
      String t = token;
      GetExecutionHistoryResponse r =
          f.client.getExecutionHistory(b -> b.executionArn(arn).maxResults(2).nextToken(t));
      assertTrue(r.events().size() <= 2);
      forward.addAll(r.events());
      token = r.nextToken();
    } while (token != null);
    assertEquals(all, forward);

    List<HistoryEvent> backward = new ArrayList<>();
    token = null;
    do {
      String t = token;
      GetExecutionHistoryResponse r =
          f.client.getExecutionHistory(
              b -> b.executionArn(arn).maxResults(3).reverseOrder(true).nextToken(t));
      backward.addAll(r.events());
      token = r.nextToken();
    } while (token != null);
    List<HistoryEvent> reversed = new ArrayList<>(all);
    java.util.Collections.reverse(reversed);
    assertEquals(reversed, backward);
    assertEquals(
        reversed,
        f.client.getExecutionHistory(b -> b.executionArn(arn).reverseOrder(true)).events());
  }

  @Test
  void includeExecutionDataFalseOmitsInputsAndOutputs() {
    String arn = run(hot, "no-data");
    List<HistoryEvent> events =
        hot.client
            .getExecutionHistory(b -> b.executionArn(arn).includeExecutionData(false))
            .events();
    assertNull(events.get(0).executionStartedEventDetails().input());
    assertEquals(SfnFixture.ROLE, events.get(0).executionStartedEventDetails().roleArn());
    assertEquals("Echo", events.get(1).stateEnteredEventDetails().name());
    assertNull(events.get(1).stateEnteredEventDetails().input());
    assertNull(events.get(6).executionSucceededEventDetails().output());
  }

  @Test
  void tokenFromAnotherRequestIsInvalid() {
    String a = run(hot, "tok-a");
    String b2 = run(hot, "tok-b");
    String token = hot.client.getExecutionHistory(b -> b.executionArn(a).maxResults(1)).nextToken();
    assertNotNull(token);
    assertThrows(
        InvalidTokenException.class,
        () ->
            hot.client.getExecutionHistory(b -> b.executionArn(b2).maxResults(1).nextToken(token)));
    assertThrows(
        InvalidTokenException.class,
        () ->
            hot.client.getExecutionHistory(
                b -> b.executionArn(a).reverseOrder(true).nextToken(token)));
  }

  @Test
  void coldDescribeReadsInputAndOutputBackFromTheDatabase() {
    String arn = run(cold, "cold-describe");
    var d = cold.client.describeExecution(b -> b.executionArn(arn));
    assertEquals("{\"value\":\"v\"}", d.input());
    assertEquals("{\"value\":\"v\"}", d.output());
  }
}
