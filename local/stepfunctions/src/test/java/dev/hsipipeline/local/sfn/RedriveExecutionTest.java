package dev.hsipipeline.local.sfn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.ExecutionNotRedrivableException;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;

/**
 * RedriveExecution: a failed, timed-out or aborted execution continues from its unsuccessful state.
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
