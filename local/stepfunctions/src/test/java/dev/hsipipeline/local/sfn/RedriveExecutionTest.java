package dev.hsipipeline.local.sfn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;
import software.amazon.awssdk.services.sfn.model.ExecutionNotRedrivableException;
import software.amazon.awssdk.services.sfn.model.ExecutionRedriveFilter;
import software.amazon.awssdk.services.sfn.model.ExecutionRedriveStatus;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.SfnException;

/**
 * RedriveExecution: a failed, timed-out or aborted execution continues from its unsuccessful state
 * (in a Map or Parallel state, only the iterations and branches that did not succeed run again);
 * DescribeExecution and ListExecutions report the redrives; a repeated clientToken is answered
 * idempotently.
 */
class RedriveExecutionTest {
  private static final String FLAKY_DEF =
      """
      {"StartAt":"Prepare","States":{
        "Prepare":{"Type":"Pass","Result":"scene-1","ResultPath":"$.scene","Next":"Work"},
        "Work":{"Type":"Task","Resource":"arn:aws:states:::test:failUnlessRedriven",
          "Parameters":{"redrives.$":"$$.Execution.RedriveCount"},"ResultPath":"$.work","End":true}}}""";

  @TempDir Path dataDir;

  private static List<HistoryEvent> history(SfnFixture f, String arn) {
    List<HistoryEvent> all = new ArrayList<>();
    f.client.getExecutionHistoryPaginator(b -> b.executionArn(arn)).events().forEach(all::add);
    return all;
  }

  private static long count(List<HistoryEvent> h, String type) {
    return h.stream().filter(e -> e.typeAsString().equals(type)).count();
  }

  @Test
  void aFailedExecutionContinuesFromTheFailedStateWithoutRerunningTheOthers() {
    try (SfnFixture f = new SfnFixture()) {
      String sm = f.createStateMachine("flaky", FLAKY_DEF);
      String arn =
          f.client
              .startExecution(b -> b.stateMachineArn(sm).name("e1").input("{\"id\":1}"))
              .executionArn();
      DescribeExecutionResponse failed = f.awaitStatus(arn, ExecutionStatus.FAILED);
      assertEquals("Test.Failed", failed.error());

      var redrive = f.client.redriveExecution(b -> b.executionArn(arn));
      assertNotNull(redrive.redriveDate());
      DescribeExecutionResponse done = f.awaitStatus(arn, ExecutionStatus.SUCCEEDED);
      assertEquals("{\"id\":1,\"scene\":\"scene-1\",\"work\":{\"redrives\":1}}", done.output());
      assertEquals(failed.startDate(), done.startDate(), "same execution, same start");

      List<HistoryEvent> h = history(f, arn);
      assertEquals(1, count(h, "PassStateEntered"), "the state that succeeded is not run again");
      assertEquals(2, count(h, "TaskStateEntered"));
      int failedAt = indexOf(h, "ExecutionFailed");
      HistoryEvent redriven = h.get(failedAt + 1);
      assertEquals("ExecutionRedriven", redriven.typeAsString());
      assertEquals(1, redriven.executionRedrivenEventDetails().redriveCount());
      assertEquals("TaskStateEntered", h.get(failedAt + 2).typeAsString());
      assertEquals(
          "{\"id\":1,\"scene\":\"scene-1\"}",
          h.get(failedAt + 2).stateEnteredEventDetails().input());
      assertEquals("ExecutionSucceeded", h.get(h.size() - 1).typeAsString());
      for (int i = 0; i < h.size(); i++) {
        assertEquals(i + 1, h.get(i).id(), "ids stay consecutive");
      }
      assertEquals(
          1,
          f.client
              .listExecutions(b -> b.stateMachineArn(sm).statusFilter(ExecutionStatus.SUCCEEDED))
              .executions()
              .size());
    }
  }

  private static int indexOf(List<HistoryEvent> h, String type) {
    for (int i = 0; i < h.size(); i++) {
      if (h.get(i).typeAsString().equals(type)) {
        return i;
      }
    }
    throw new AssertionError("no " + type + " in " + h);
  }

  @Test
  void succeededRunningAndUnknownExecutionsAreRefusedWithTheReason() {
    try (SfnFixture f = new SfnFixture()) {
      String pass = f.createStateMachine("pass", SfnFixture.PASS_DEF);
      String ok = f.client.startExecution(b -> b.stateMachineArn(pass).name("ok")).executionArn();
      f.awaitStatus(ok, ExecutionStatus.SUCCEEDED);
      ExecutionNotRedrivableException e =
          assertThrows(
              ExecutionNotRedrivableException.class,
              () -> f.client.redriveExecution(b -> b.executionArn(ok)));
      assertTrue(
          e.getMessage().contains("Execution is SUCCEEDED and cannot be redriven"), e.getMessage());

      String block = f.createStateMachine("block", SfnFixture.BLOCK_DEF);
      String running =
          f.client.startExecution(b -> b.stateMachineArn(block).name("r")).executionArn();
      SfnFixture.await("task running", () -> f.blocked.containsKey(running));
      e =
          assertThrows(
              ExecutionNotRedrivableException.class,
              () -> f.client.redriveExecution(b -> b.executionArn(running)));
      assertTrue(
          e.getMessage().contains("Execution is RUNNING and cannot be redriven"), e.getMessage());

      assertThrows(
          ExecutionDoesNotExistException.class,
          () ->
              f.client.redriveExecution(
                  b -> b.executionArn(pass.replace(":stateMachine:", ":execution:") + ":nope")));
    }
  }

  @Test
  void anAbortedExecutionRunsItsStoppedStateAgain() {
    try (SfnFixture f = new SfnFixture()) {
      String sm = f.createStateMachine("block", SfnFixture.BLOCK_DEF);
      String arn = f.client.startExecution(b -> b.stateMachineArn(sm).name("a")).executionArn();
      SfnFixture.await("task running", () -> f.blocked.containsKey(arn));
      f.client.stopExecution(b -> b.executionArn(arn).error("Ops").cause("stopped by hand"));
      f.awaitStatus(arn, ExecutionStatus.ABORTED);

      f.client.redriveExecution(b -> b.executionArn(arn));
      SfnFixture.await("task running again", () -> f.blocked.containsKey(arn));
      assertEquals(
          ExecutionStatus.RUNNING, f.client.describeExecution(b -> b.executionArn(arn)).status());
      f.release();
      f.awaitStatus(arn, ExecutionStatus.SUCCEEDED);
      List<HistoryEvent> h = history(f, arn);
      assertEquals(
          1,
          count(h, "ExecutionAborted"),
          "the stopped run's own abort is not recorded twice: " + h);
      assertEquals("ExecutionSucceeded", h.get(h.size() - 1).typeAsString());
    }
  }

  private static final String MAP_DEF =
      """
      {"StartAt":"Each","States":{"Each":{"Type":"Map","ItemsPath":"$.items","MaxConcurrency":1,
        "ItemProcessor":{"StartAt":"Count","States":{"Count":{"Type":"Task",
          "Resource":"arn:aws:states:::test:count",
          "Parameters":{"id.$":"$.id","fail.$":"$.fail","redrives.$":"$$.Execution.RedriveCount"},
          "End":true}}},
        "End":true}}}""";

  private static final String PARALLEL_DEF =
      """
      {"StartAt":"Both","States":{"Both":{"Type":"Parallel","End":true,"Branches":[
        {"StartAt":"Quick","States":{"Quick":{"Type":"Task","Resource":"arn:aws:states:::test:count",
          "Parameters":{"id":"quick","redrives.$":"$$.Execution.RedriveCount"},"End":true}}},
        {"StartAt":"Later","States":{
          "Later":{"Type":"Wait","Seconds":1,"Next":"Flaky"},
          "Flaky":{"Type":"Task","Resource":"arn:aws:states:::test:count",
            "Parameters":{"id":"flaky","fail":true,"redrives.$":"$$.Execution.RedriveCount"},
            "End":true}}}]}}}""";

  private static long countedWithId(SfnFixture f, String id) {
    return f.counted.stream().filter(p -> p.path("id").asText().equals(id)).count();
  }

  @Test
  void aRedrivenMapRunsOnlyTheIterationsThatDidNotSucceedAndKeepsTheOthersResults()
      throws Exception {
    try (SfnFixture f = new SfnFixture()) {
      String sm = f.createStateMachine("map", MAP_DEF);
      String input =
          """
          {"items":[{"id":"a","fail":false},{"id":"b","fail":true},{"id":"c","fail":false}]}""";
      String arn =
          f.client.startExecution(b -> b.stateMachineArn(sm).name("m").input(input)).executionArn();
      f.awaitStatus(arn, ExecutionStatus.FAILED);
      // One at a time: a succeeded, b failed, and the failure stopped c before it started.
      assertEquals(1, countedWithId(f, "a"));
      assertEquals(1, countedWithId(f, "b"));
      assertEquals(0, countedWithId(f, "c"));

      f.client.redriveExecution(b -> b.executionArn(arn));
      DescribeExecutionResponse done = f.awaitStatus(arn, ExecutionStatus.SUCCEEDED);
      assertEquals(1, countedWithId(f, "a"), "the iteration that succeeded is not run again");
      assertEquals(2, countedWithId(f, "b"));
      assertEquals(1, countedWithId(f, "c"));
      JsonNode output = SfnFixture.JSON.readTree(done.output());
      assertEquals(0, output.get(0).path("redrives").asInt(), "a keeps its first run's result");
      assertEquals(1, output.get(1).path("redrives").asInt());
      assertEquals(1, output.get(2).path("redrives").asInt());

      List<HistoryEvent> h = history(f, arn);
      List<HistoryEvent> redriven = h.subList(indexOf(h, "ExecutionRedriven"), h.size());
      assertEquals(
          List.of(1L, 2L),
          redriven.stream()
              .filter(e -> e.typeAsString().equals("MapIterationStarted"))
              .map(e -> e.mapIterationStartedEventDetails().index().longValue())
              .toList(),
          "only iterations 1 and 2 start in the redriven run");
      assertEquals(
          3,
          redriven.stream()
              .filter(e -> e.typeAsString().equals("MapStateStarted"))
              .findFirst()
              .orElseThrow()
              .mapStateStartedEventDetails()
              .length(),
          "the Map still has three items");
    }
  }

  @Test
  void aSecondRedriveKeepsWhatTheFirstRunAndTheFirstRedriveCompleted() throws Exception {
    try (SfnFixture f = new SfnFixture()) {
      String sm =
          f.createStateMachine(
              "map2", MAP_DEF.replace("\"fail.$\":\"$.fail\"", "\"failUntil.$\":\"$.failUntil\""));
      String input =
          """
          {"items":[{"id":"a","failUntil":0},{"id":"b","failUntil":1},{"id":"c","failUntil":2}]}""";
      String arn =
          f.client
              .startExecution(b -> b.stateMachineArn(sm).name("m2").input(input))
              .executionArn();
      f.awaitStatus(arn, ExecutionStatus.FAILED);
      f.client.redriveExecution(b -> b.executionArn(arn));
      f.awaitStatus(arn, ExecutionStatus.FAILED); // b succeeds now, c fails
      f.client.redriveExecution(b -> b.executionArn(arn));
      DescribeExecutionResponse done = f.awaitStatus(arn, ExecutionStatus.SUCCEEDED);
      assertEquals(
          List.of(1L, 2L, 2L),
          List.of(countedWithId(f, "a"), countedWithId(f, "b"), countedWithId(f, "c")));
      JsonNode output = SfnFixture.JSON.readTree(done.output());
      assertEquals(
          List.of(0, 1, 2),
          List.of(
              output.get(0).path("redrives").asInt(),
              output.get(1).path("redrives").asInt(),
              output.get(2).path("redrives").asInt()),
          "each result comes from the run in which its iteration succeeded");
      assertEquals(2, done.redriveCount());
    }
  }

  @Test
  void aRedrivenParallelRunsOnlyTheBranchesThatDidNotSucceed() throws Exception {
    try (SfnFixture f = new SfnFixture()) {
      String sm = f.createStateMachine("parallel", PARALLEL_DEF);
      String arn = f.client.startExecution(b -> b.stateMachineArn(sm).name("p")).executionArn();
      f.awaitStatus(arn, ExecutionStatus.FAILED);
      assertEquals(1, countedWithId(f, "quick"));
      assertEquals(1, countedWithId(f, "flaky"));

      f.client.redriveExecution(b -> b.executionArn(arn));
      DescribeExecutionResponse done = f.awaitStatus(arn, ExecutionStatus.SUCCEEDED);
      assertEquals(1, countedWithId(f, "quick"), "the branch that succeeded is not run again");
      assertEquals(2, countedWithId(f, "flaky"));
      JsonNode output = SfnFixture.JSON.readTree(done.output());
      assertEquals("quick", output.get(0).path("id").asText());
      assertEquals(0, output.get(0).path("redrives").asInt(), "its first run's output is kept");
      assertEquals(1, output.get(1).path("redrives").asInt());
      List<HistoryEvent> h = history(f, arn);
      List<String> redrivenStates =
          h.subList(indexOf(h, "ExecutionRedriven"), h.size()).stream()
              .filter(e -> e.typeAsString().endsWith("StateEntered"))
              .map(e -> e.stateEnteredEventDetails().name())
              .toList();
      assertEquals(List.of("Both", "Later", "Flaky"), redrivenStates);
    }
  }

  @Test
  void describeAndListReportRedriveCountDateAndWhetherItCanBeRedriven() {
    String arn;
    Instant redriveDate;
    try (SfnFixture f = new SfnFixture(dataDir)) {
      String sm = f.createStateMachine("flaky", FLAKY_DEF);
      arn = f.client.startExecution(b -> b.stateMachineArn(sm).name("d")).executionArn();
      DescribeExecutionResponse failed = f.awaitStatus(arn, ExecutionStatus.FAILED);
      assertEquals(0, failed.redriveCount());
      assertNull(failed.redriveDate());
      assertEquals(ExecutionRedriveStatus.REDRIVABLE, failed.redriveStatus());
      assertNull(failed.redriveStatusReason());

      redriveDate = f.client.redriveExecution(b -> b.executionArn(arn)).redriveDate();
      DescribeExecutionResponse done = f.awaitStatus(arn, ExecutionStatus.SUCCEEDED);
      assertEquals(1, done.redriveCount());
      assertEquals(redriveDate, done.redriveDate());
      assertEquals(ExecutionRedriveStatus.NOT_REDRIVABLE, done.redriveStatus());
      assertEquals("Execution is SUCCEEDED and cannot be redriven.", done.redriveStatusReason());

      String other = f.client.startExecution(b -> b.stateMachineArn(sm).name("e")).executionArn();
      f.awaitStatus(other, ExecutionStatus.FAILED);
      ExecutionListItem item =
          f.client
              .listExecutions(
                  b -> b.stateMachineArn(sm).redriveFilter(ExecutionRedriveFilter.REDRIVEN))
              .executions()
              .getFirst();
      assertEquals(arn, item.executionArn());
      assertEquals(1, item.redriveCount());
      assertEquals(redriveDate, item.redriveDate());
      assertEquals(
          List.of(other),
          f
              .client
              .listExecutions(
                  b -> b.stateMachineArn(sm).redriveFilter(ExecutionRedriveFilter.NOT_REDRIVEN))
              .executions()
              .stream()
              .map(ExecutionListItem::executionArn)
              .toList());
    }
    try (SfnFixture f = new SfnFixture(dataDir)) {
      DescribeExecutionResponse d = f.client.describeExecution(b -> b.executionArn(arn));
      assertEquals(1, d.redriveCount(), "the count survives a restart");
      assertEquals(redriveDate, d.redriveDate());
    }
  }

  @Test
  void aRepeatedClientTokenGetsTheFirstAnswerAndDoesNotRedriveAgain() {
    try (SfnFixture f = new SfnFixture()) {
      String sm = f.createStateMachine("block", SfnFixture.BLOCK_DEF);
      String arn = f.client.startExecution(b -> b.stateMachineArn(sm).name("t")).executionArn();
      SfnFixture.await("task running", () -> f.blocked.containsKey(arn));
      f.client.stopExecution(b -> b.executionArn(arn));
      f.awaitStatus(arn, ExecutionStatus.ABORTED);

      Instant first =
          f.client.redriveExecution(b -> b.executionArn(arn).clientToken("token-1")).redriveDate();
      SfnFixture.await("task running again", () -> f.blocked.containsKey(arn));
      assertEquals(
          first,
          f.client.redriveExecution(b -> b.executionArn(arn).clientToken("token-1")).redriveDate(),
          "the same token while the redriven run goes on: the same answer, not an error");
      ExecutionNotRedrivableException e =
          assertThrows(
              ExecutionNotRedrivableException.class,
              () -> f.client.redriveExecution(b -> b.executionArn(arn).clientToken("token-2")));
      assertTrue(e.getMessage().contains("Execution is RUNNING"), e.getMessage());

      f.client.stopExecution(b -> b.executionArn(arn));
      f.awaitStatus(arn, ExecutionStatus.ABORTED);
      assertEquals(
          first,
          f.client.redriveExecution(b -> b.executionArn(arn).clientToken("token-1")).redriveDate(),
          "a token already used does not redrive again");
      assertEquals(
          ExecutionStatus.ABORTED, f.client.describeExecution(b -> b.executionArn(arn)).status());
      assertEquals(1, count(history(f, arn), "ExecutionRedriven"));

      f.client.redriveExecution(b -> b.executionArn(arn).clientToken("token-2"));
      SfnFixture.await("task running a third time", () -> f.blocked.containsKey(arn));
      assertEquals(2, f.client.describeExecution(b -> b.executionArn(arn)).redriveCount());
      assertThrows(
          SfnException.class,
          () -> f.client.redriveExecution(b -> b.executionArn(arn).clientToken("has space")),
          "a token outside the model's pattern is a ValidationException");
      f.release();
      f.awaitStatus(arn, ExecutionStatus.SUCCEEDED);
    }
  }

  @Test
  void anExecutionReadBackFromDiskCanBeRedrivenAfterARestart() {
    String arn;
    String sm;
    try (SfnFixture a = new SfnFixture(dataDir, 1)) {
      sm = a.createStateMachine("flaky", FLAKY_DEF);
      arn =
          a.client
              .startExecution(b -> b.stateMachineArn(sm).name("cold").input("{}"))
              .executionArn();
      a.awaitStatus(arn, ExecutionStatus.FAILED);
    }
    try (SfnFixture b = new SfnFixture(dataDir, 1)) {
      b.client.redriveExecution(r -> r.executionArn(arn));
      DescribeExecutionResponse done = b.awaitStatus(arn, ExecutionStatus.SUCCEEDED);
      assertEquals("{\"scene\":\"scene-1\",\"work\":{\"redrives\":1}}", done.output());
    }
    try (SfnFixture c = new SfnFixture(dataDir, 1)) {
      DescribeExecutionResponse d = c.client.describeExecution(r -> r.executionArn(arn));
      assertEquals(ExecutionStatus.SUCCEEDED, d.status(), "the redriven outcome is what is stored");
      List<HistoryEvent> h = history(c, arn);
      assertEquals(1, count(h, "ExecutionRedriven"));
      assertEquals("ExecutionSucceeded", h.get(h.size() - 1).typeAsString());
    }
  }
}
