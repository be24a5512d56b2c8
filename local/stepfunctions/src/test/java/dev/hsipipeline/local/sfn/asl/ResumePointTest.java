package dev.hsipipeline.local.sfn.asl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Finding where an interrupted execution continues, and continuing it there. */
class ResumePointTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final ExecutionContext CTX =
      new ExecutionContext(
          "arn:aws:states:us-east-1:000000000000:execution:sm:e1",
          "e1",
          Instant.parse("2026-01-01T00:00:00Z"),
          "arn:aws:iam::000000000000:role/r",
          "arn:aws:states:us-east-1:000000000000:stateMachine:sm",
          "sm");
  private static final String PIPELINE =
      """
      {"StartAt": "Prepare", "States": {
        "Prepare": {"Type": "Pass", "Result": "scene-1", "ResultPath": "$.scene", "Next": "Run"},
        "Run": {"Type": "Task", "Resource": "arn:aws:states:::batch:submitJob.sync", "ResultPath": "$.job",
          "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Failed"}], "Next": "Done"},
        "Done": {"Type": "Pass", "End": true},
        "Failed": {"Type": "Fail", "Error": "JobFailed"}}}""";

  private static JsonNode json(String s) throws Exception {
    return MAPPER.readTree(s);
  }

  /** Runs until the task blocks, interrupts, and returns the history a kill would have left. */
  private static List<ResumePoint.Event> interruptedInTask(AslDefinition def, JsonNode input)
      throws Exception {
    CountDownLatch inTask = new CountDownLatch(1);
    TaskInvoker blocking =
        inv -> {
          inTask.countDown();
          Thread.sleep(60_000);
          return null;
        };
    RecordingHistory history = new RecordingHistory();
    Thread t =
        Thread.ofPlatform()
            .start(() -> new AslInterpreter().execute(def, input, CTX, blocking, history));
    assertTrue(inTask.await(30, TimeUnit.SECONDS));
    t.interrupt();
    t.join(30_000);
    return recorded(
        history.events().stream().filter(e -> !e.type().equals("ExecutionAborted")).toList());
  }

  private static List<ResumePoint.Event> recorded(List<RecordingHistory.Event> events) {
    List<ResumePoint.Event> out = new ArrayList<>();
    for (RecordingHistory.Event e : events) {
      out.add(new ResumePoint.Event(e.id(), e.previousEventId(), e.type(), e.details()));
    }
    return out;
  }

  private static List<ResumePoint.Event> events(String... typeAndDetails) throws Exception {
    List<ResumePoint.Event> out = new ArrayList<>();
    out.add(new ResumePoint.Event("ExecutionStarted", null));
    for (int i = 0; i < typeAndDetails.length; i += 2) {
      out.add(
          new ResumePoint.Event(
              typeAndDetails[i],
              typeAndDetails[i + 1] == null ? null : json(typeAndDetails[i + 1])));
    }
    return out;
  }

  @Test
  void resumesInTheTaskThatWasRunningWithTheInputItWasEnteredWith() throws Exception {
    AslDefinition def = AslDefinition.parse(PIPELINE);
    JsonNode input = json("{\"messageId\":\"m-1\"}");
    ResumePoint at = ResumePoint.find(def, input, interruptedInTask(def, input));
    assertEquals("Run", at.stateName());
    assertEquals(json("{\"messageId\":\"m-1\",\"scene\":\"scene-1\"}"), at.stateInput());
    assertEquals(1, at.redriveCount());

    AtomicInteger invocations = new AtomicInteger();
    TaskInvoker ok =
        inv -> {
          invocations.incrementAndGet();
          return MAPPER.createObjectNode().put("Status", "SUCCEEDED");
        };
    RecordingHistory resumed = new RecordingHistory();
    ExecutionOutcome outcome =
        new AslInterpreter().resume(def, input, at, 1_000, CTX, ok, resumed, 1);
    assertEquals(ExecutionOutcome.Status.SUCCEEDED, outcome.status());
    assertEquals(
        json("{\"messageId\":\"m-1\",\"scene\":\"scene-1\",\"job\":{\"Status\":\"SUCCEEDED\"}}"),
        outcome.output());
    assertEquals(1, invocations.get(), "only the interrupted task runs again");
    List<String> types = resumed.types();
    assertEquals("TaskStateEntered", types.get(1), "Prepare is not run again: " + types);
    assertEquals(1, resumed.events().get(1).previousEventId());
    assertEquals("ExecutionSucceeded", types.get(types.size() - 1));
  }

  @Test
  void aStateThatHadExitedRunsAgainBecauseItsSuccessorDependsOnHowItExited() throws Exception {
    AslDefinition def = AslDefinition.parse(PIPELINE);
    List<ResumePoint.Event> h =
        events(
            "PassStateEntered", "{\"name\":\"Prepare\",\"input\":\"{}\"}",
            "PassStateExited",
                "{\"name\":\"Prepare\",\"output\":\"{\\\"scene\\\":\\\"scene-1\\\"}\"}",
            "TaskStateEntered", "{\"name\":\"Run\",\"input\":\"{\\\"scene\\\":\\\"scene-1\\\"}\"}",
            "TaskStateExited", "{\"name\":\"Run\",\"output\":\"{}\"}");
    ResumePoint at = ResumePoint.find(def, json("{}"), h);
    assertEquals("Run", at.stateName());
    assertEquals(json("{\"scene\":\"scene-1\"}"), at.stateInput());
  }

  @Test
  void eventsOfParallelBranchesBelongToTheParallelState() throws Exception {
    AslDefinition def =
        AslDefinition.parse(
            """
        {"StartAt": "Both", "States": {"Both": {"Type": "Parallel", "End": true, "Branches": [
          {"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}}},
          {"StartAt": "B", "States": {"B": {"Type": "Pass", "End": true}}}]}}}""");
    JsonNode input = json("{\"k\":1}");
    List<ResumePoint.Event> h = interruptedInTask(def, input);
    assertTrue(
        h.stream().anyMatch(e -> e.type().equals("TaskStateEntered")),
        "the branch task was entered");
    ResumePoint at = ResumePoint.find(def, input, h);
    assertEquals("Both", at.stateName());
    assertEquals(input, at.stateInput());
  }

  @Test
  void aMapInterruptedMidwayResumesWithoutTheIterationsThatSucceeded() throws Exception {
    AslDefinition def =
        AslDefinition.parse(
            """
        {"StartAt": "Each", "States": {"Each": {"Type": "Map", "MaxConcurrency": 1, "End": true,
          "ItemProcessor": {"StartAt": "T", "States": {"T": {"Type": "Task",
            "Resource": "arn:aws:states:::lambda:invoke", "End": true}}}}}}""");
    JsonNode input = json("[\"done\", \"blocks\", \"later\"]");
    CountDownLatch blocked = new CountDownLatch(1);
    TaskInvoker firstRun =
        inv -> {
          if (inv.parameters().asText().equals("blocks")) {
            blocked.countDown();
            Thread.sleep(60_000);
          }
          return MAPPER.createObjectNode().put("ran", inv.parameters().asText());
        };
    RecordingHistory history = new RecordingHistory();
    Thread t =
        Thread.ofPlatform()
            .start(() -> new AslInterpreter().execute(def, input, CTX, firstRun, history));
    assertTrue(blocked.await(30, TimeUnit.SECONDS));
    t.interrupt();
    t.join(30_000);
    List<ResumePoint.Event> killed =
        recorded(
            history.events().stream().filter(e -> !e.type().equals("ExecutionAborted")).toList());

    ResumePoint at = ResumePoint.find(def, input, killed);
    assertEquals("Each", at.stateName());
    assertEquals(
        java.util.Map.of(0, json("{\"ran\":\"done\"}")),
        at.succeededChildren(),
        "the iteration that had succeeded keeps its output");

    List<String> ranAgain = new java.util.concurrent.CopyOnWriteArrayList<>();
    TaskInvoker resumed =
        inv -> {
          ranAgain.add(inv.parameters().asText());
          return MAPPER.createObjectNode().put("ran", inv.parameters().asText());
        };
    ExecutionOutcome outcome =
        new AslInterpreter()
            .resume(def, input, at, 0, CTX, resumed, new RecordingHistory(), killed.size());
    assertEquals(ExecutionOutcome.Status.SUCCEEDED, outcome.status());
    assertEquals(List.of("blocks", "later"), ranAgain);
    assertEquals(
        json("[{\"ran\":\"done\"},{\"ran\":\"blocks\"},{\"ran\":\"later\"}]"), outcome.output());
  }

  @Test
  void withoutEventIdsNothingIsKeptAndTheWholeMapRunsAgain() throws Exception {
    AslDefinition def =
        AslDefinition.parse(
            """
        {"StartAt": "Each", "States": {"Each": {"Type": "Map", "End": true,
          "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}}}}""");
    List<ResumePoint.Event> h =
        events(
            "MapStateEntered", "{\"name\":\"Each\",\"input\":\"[1]\"}",
            "MapStateStarted", "{\"length\":1}",
            "MapIterationStarted", "{\"name\":\"Each\",\"index\":0}",
            "PassStateEntered", "{\"name\":\"P\",\"input\":\"1\"}",
            "PassStateExited", "{\"name\":\"P\",\"output\":\"1\"}",
            "MapIterationSucceeded", "{\"name\":\"Each\",\"index\":0}");
    assertEquals(java.util.Map.of(), ResumePoint.find(def, json("{}"), h).succeededChildren());
  }

  @Test
  void anExecutionInterruptedBeforeItsFirstStateStartsAtStartAt() throws Exception {
    AslDefinition def = AslDefinition.parse(PIPELINE);
    ResumePoint at = ResumePoint.find(def, json("{\"a\":1}"), events());
    assertEquals("Prepare", at.stateName());
    assertEquals(json("{\"a\":1}"), at.stateInput());
  }

  @Test
  void anEndedExecutionCannotBeResumed() throws Exception {
    AslDefinition def = AslDefinition.parse(PIPELINE);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ResumePoint.find(
                    def, json("{}"), events("ExecutionSucceeded", "{\"output\":\"{}\"}")));
    assertTrue(e.getMessage().contains("already ended"), e.getMessage());
  }

  @Test
  void aRecordedInputThatIsNotJsonIsNamed() throws Exception {
    AslDefinition def = AslDefinition.parse(PIPELINE);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ResumePoint.find(
                    def,
                    json("{}"),
                    events("PassStateEntered", "{\"name\":\"Prepare\",\"input\":\"{oops\"}")));
    assertTrue(e.getMessage().contains("'Prepare'"), e.getMessage());
  }

  @Test
  void eachResumeCountsAsARedriveVisibleInTheContextObject() throws Exception {
    AslDefinition def =
        AslDefinition.parse(
            """
        {"StartAt": "Count", "States": {"Count": {"Type": "Pass",
          "Parameters": {"redrives.$": "$$.Execution.RedriveCount"}, "End": true}}}""");
    List<ResumePoint.Event> h =
        events(
            "PassStateEntered", "{\"name\":\"Count\",\"input\":\"{}\"}",
            "ExecutionRedriven", "{\"redriveCount\":1}",
            "PassStateEntered", "{\"name\":\"Count\",\"input\":\"{}\"}");
    ResumePoint at = ResumePoint.find(def, json("{}"), h);
    assertEquals(2, at.redriveCount());
    ExecutionOutcome outcome =
        new AslInterpreter()
            .resume(def, json("{}"), at, 0, CTX, inv -> null, new RecordingHistory(), 1);
    assertEquals(json("{\"redrives\":2}"), outcome.output());
  }

  @Test
  void timeAlreadyRunCountsAgainstTheExecutionTimeout() throws Exception {
    AslDefinition def =
        AslDefinition.parse(
            """
        {"StartAt": "W", "TimeoutSeconds": 5, "States": {"W": {"Type": "Wait", "Seconds": 3, "End": true}}}""");
    ResumePoint at = ResumePoint.find(def, json("{}"), events());
    long t0 = System.nanoTime();
    ExecutionOutcome outcome =
        new AslInterpreter()
            .resume(def, json("{}"), at, 10_000, CTX, inv -> null, new RecordingHistory(), 1);
    assertEquals(ExecutionOutcome.Status.TIMED_OUT, outcome.status());
    assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(3), "timed out without waiting");
  }

  @Test
  void aRedriveStartsAtTheUnsuccessfulStateAndAResumeLaterSkipsTheEarlierEnd() throws Exception {
    AslDefinition def = AslDefinition.parse(PIPELINE);
    List<ResumePoint.Event> failed =
        events(
            "PassStateEntered", "{\"name\":\"Prepare\",\"input\":\"{}\"}",
            "PassStateExited", "{\"name\":\"Prepare\",\"output\":\"{\\\"scene\\\":1}\"}",
            "TaskStateEntered", "{\"name\":\"Run\",\"input\":\"{\\\"scene\\\":1}\"}",
            "ExecutionFailed", "{\"error\":\"States.Timeout\"}");
    ResumePoint redrive = ResumePoint.findForRedrive(def, json("{}"), failed);
    assertEquals("Run", redrive.stateName());
    assertEquals(json("{\"scene\":1}"), redrive.stateInput());
    assertEquals(1, redrive.redriveCount());

    // The redriven run was interrupted in turn: a resume skips the first attempt's end.
    List<ResumePoint.Event> interrupted = new ArrayList<>(failed);
    interrupted.add(new ResumePoint.Event("ExecutionRedriven", json("{\"redriveCount\":1}")));
    interrupted.add(
        new ResumePoint.Event(
            "TaskStateEntered", json("{\"name\":\"Run\",\"input\":\"{\\\"scene\\\":1}\"}")));
    ResumePoint resume = ResumePoint.find(def, json("{}"), interrupted);
    assertEquals("Run", resume.stateName());
    assertEquals(2, resume.redriveCount());

    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ResumePoint.findForRedrive(
                    def, json("{}"), events("ExecutionSucceeded", "{\"output\":\"{}\"}")));
    assertTrue(e.getMessage().contains("FAILED, TIMED_OUT or ABORTED"), e.getMessage());
  }
}
