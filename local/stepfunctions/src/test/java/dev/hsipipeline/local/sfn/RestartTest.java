package dev.hsipipeline.local.sfn;

import static dev.hsipipeline.local.sfn.SfnFixture.BLOCK_DEF;
import static dev.hsipipeline.local.sfn.SfnFixture.ECHO_DEF;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;

/**
 * Stop the server mid-run and start it again on the same data directory: nothing is lost, and
 * executions that were running continue in the state they were in.
 */
class RestartTest {

  @TempDir Path dataDir;

  private static List<HistoryEvent> history(SfnFixture f, String arn) {
    List<HistoryEvent> all = new ArrayList<>();
    f.client.getExecutionHistoryPaginator(b -> b.executionArn(arn)).events().forEach(all::add);
    return all;
  }

  @Test
  void executionsAndHistoriesSurviveARestartAndRunningOnesResumeWhereTheyWere() {
    String echoSm;
    String blockSm;
    List<String> finished = new ArrayList<>();
    List<String> blocked = new ArrayList<>();
    Map<String, List<HistoryEvent>> before = new HashMap<>();
    Map<String, DescribeExecutionResponse> describedBefore = new HashMap<>();

    try (SfnFixture a = new SfnFixture(dataDir, 1)) {
      echoSm = a.createStateMachine("echo", ECHO_DEF);
      blockSm = a.createStateMachine("block", BLOCK_DEF);
      for (int i = 0; i < 5; i++) {
        int n = i;
        String arn =
            a.client
                .startExecution(
                    b -> b.stateMachineArn(echoSm).name("done-" + n).input("{\"value\":" + n + "}"))
                .executionArn();
        finished.add(arn);
      }
      for (int i = 0; i < 3; i++) {
        int n = i;
        String arn =
            a.client
                .startExecution(b -> b.stateMachineArn(blockSm).name("slow-" + n))
                .executionArn();
        blocked.add(arn);
      }
      for (String arn : finished) {
        describedBefore.put(arn, a.awaitStatus(arn, ExecutionStatus.SUCCEEDED));
      }
      for (String arn : blocked) {
        SfnFixture.await("task of " + arn + " running", () -> a.blocked.containsKey(arn));
      }
      for (String arn : finished) {
        before.put(arn, history(a, arn));
      }
      for (String arn : blocked) {
        before.put(arn, history(a, arn));
        assertEquals(
            ExecutionStatus.RUNNING, a.client.describeExecution(b -> b.executionArn(arn)).status());
      }
    } // close() while three executions are blocked in their task

    assertTrue(Files.isDirectory(dataDir.resolve("stepfunctions")));

    try (SfnFixture b = new SfnFixture(dataDir)) {
      assertEquals(
          ECHO_DEF, b.client.describeStateMachine(r -> r.stateMachineArn(echoSm)).definition());
      assertEquals(2, b.client.listStateMachines().stateMachines().size());

      for (String arn : finished) {
        DescribeExecutionResponse d = b.client.describeExecution(r -> r.executionArn(arn));
        DescribeExecutionResponse was = describedBefore.get(arn);
        assertEquals(ExecutionStatus.SUCCEEDED, d.status());
        assertEquals(was.input(), d.input());
        assertEquals(was.output(), d.output());
        assertEquals(was.startDate(), d.startDate());
        assertEquals(was.stopDate(), d.stopDate());
        assertEquals(before.get(arn), history(b, arn), "history of " + arn);
      }
      // The three interrupted executions were resumed in their Task: running (blocked) again.
      for (String arn : blocked) {
        SfnFixture.await("task of " + arn + " running again", () -> b.blocked.containsKey(arn));
        DescribeExecutionResponse d = b.client.describeExecution(r -> r.executionArn(arn));
        assertEquals(ExecutionStatus.RUNNING, d.status());
        assertEquals("{}", d.input());
        List<HistoryEvent> h = history(b, arn);
        List<HistoryEvent> old = before.get(arn);
        assertEquals(old, h.subList(0, old.size()), "persisted events come back unchanged");
        HistoryEvent redriven = h.get(old.size());
        assertEquals("ExecutionRedriven", redriven.typeAsString());
        assertEquals(old.size() + 1, redriven.id());
        assertEquals(old.size(), redriven.previousEventId());
        assertEquals(1, redriven.executionRedrivenEventDetails().redriveCount());
        HistoryEvent reentered = h.get(old.size() + 1);
        assertEquals("TaskStateEntered", reentered.typeAsString());
        assertEquals("Block", reentered.stateEnteredEventDetails().name());
        assertEquals("{}", reentered.stateEnteredEventDetails().input());
        assertEquals(redriven.id(), reentered.previousEventId());
      }
      b.release();
      for (String arn : blocked) {
        DescribeExecutionResponse d = b.awaitStatus(arn, ExecutionStatus.SUCCEEDED);
        assertEquals("{\"released\":true}", d.output());
        assertNull(d.error());
      }
      List<ExecutionListItem> listed =
          b.client.listExecutions(r -> r.stateMachineArn(blockSm)).executions();
      assertEquals(
          List.of(blocked.get(2), blocked.get(1), blocked.get(0)),
          listed.stream().map(ExecutionListItem::executionArn).toList());
      for (String arn : blocked) {
        before.put(arn, history(b, arn));
      }

      // Names stay taken, new executions work and are listed first.
      assertThrows(
          ExecutionAlreadyExistsException.class,
          () ->
              b.client.startExecution(
                  r -> r.stateMachineArn(echoSm).name("done-0").input("{\"value\":0}")));
      String fresh =
          b.client
              .startExecution(
                  r -> r.stateMachineArn(echoSm).name("after-restart").input("{\"value\":9}"))
              .executionArn();
      b.awaitStatus(fresh, ExecutionStatus.SUCCEEDED);
      assertEquals(
          fresh,
          b.client
              .listExecutions(r -> r.stateMachineArn(echoSm))
              .executions()
              .get(0)
              .executionArn());
      before.put(fresh, history(b, fresh));
    }

    // A second restart changes nothing: recovery happens once.
    try (SfnFixture c = new SfnFixture(dataDir)) {
      for (Map.Entry<String, List<HistoryEvent>> e : before.entrySet()) {
        assertEquals(e.getValue(), history(c, e.getKey()), "history of " + e.getKey());
      }
      assertEquals(
          3,
          c.client
              .listExecutions(
                  r -> r.stateMachineArn(blockSm).statusFilter(ExecutionStatus.SUCCEEDED))
              .executions()
              .size());
      assertEquals(6, c.client.listExecutions(r -> r.stateMachineArn(echoSm)).executions().size());
    }
  }

  @Test
  void aSecondServerOnTheSameDataDirectoryFailsWithAClearMessage() {
    try (SfnFixture a = new SfnFixture(dataDir)) {
      // H2 in the same JVM would share the open database; a second process is what we guard
      // against, and that is covered by H2's file lock. Here: the first server keeps working.
      a.createStateMachine("one", ECHO_DEF);
      assertEquals(1, a.client.listStateMachines().stateMachines().size());
    }
  }
}
