package dev.hsipipeline.local.sfn.asl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Behaviour the JSON tables cannot express: threads, interrupts, randomness, event nesting. */
class EngineBehaviourTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final ExecutionContext CTX =
      new ExecutionContext(
          "arn:aws:states:eu-west-1:000000000000:execution:sm:e1",
          "e1",
          Instant.parse("2025-01-01T00:00:00Z"),
          "arn:aws:iam::000000000000:role/r",
          "arn:aws:states:eu-west-1:000000000000:stateMachine:sm",
          "sm");

  private static AslDefinition parse(String json) throws AslValidationException {
    return AslDefinition.parse(json);
  }

  private static JsonNode json(String s) throws Exception {
    return MAPPER.readTree(s);
  }

  @Test
  void interruptingTheCallerAbortsTheExecutionAndClearsTheInterrupt() throws Exception {
    AslDefinition def =
        parse(
            """
        {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::batch:submitJob.sync",
          "TimeoutSeconds": 600, "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "C"}], "End": true},
          "C": {"Type": "Succeed"}}}""");
    CountDownLatch started = new CountDownLatch(1);
    AtomicBoolean invokerSawInterrupt = new AtomicBoolean();
    TaskInvoker blocking =
        inv -> {
          started.countDown();
          try {
            Thread.sleep(60_000);
          } catch (InterruptedException e) {
            invokerSawInterrupt.set(true);
            throw e;
          }
          return null;
        };
    RecordingHistory history = new RecordingHistory();
    AtomicReference<ExecutionOutcome> outcome = new AtomicReference<>();
    AtomicBoolean interruptedAfter = new AtomicBoolean(true);
    Thread t =
        Thread.ofPlatform()
            .start(
                () -> {
                  outcome.set(new AslInterpreter().execute(def, json0(), CTX, blocking, history));
                  interruptedAfter.set(Thread.currentThread().isInterrupted());
                });
    assertTrue(started.await(30, TimeUnit.SECONDS));
    t.interrupt();
    t.join(30_000);
    assertEquals(ExecutionOutcome.Status.ABORTED, outcome.get().status());
    assertTrue(invokerSawInterrupt.get());
    assertFalse(
        interruptedAfter.get(), "interrupt status cleared so the caller can persist the outcome");
    List<String> types = history.types();
    assertEquals("ExecutionAborted", types.get(types.size() - 1));
    assertFalse(
        types.contains("PassStateEntered") || types.contains("SucceedStateEntered"),
        "an abort is not a catchable error");
  }

  @Test
  void abortingDuringAMapCancelsEveryIterationBeforeRecordingTheAbort() throws Exception {
    AslDefinition def =
        parse(
            """
        {"StartAt": "M", "States": {"M": {"Type": "Map", "ItemProcessor": {"StartAt": "T", "States": {
          "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}}}, "End": true}}}""");
    CountDownLatch allStarted = new CountDownLatch(3);
    TaskInvoker blocking =
        inv -> {
          allStarted.countDown();
          Thread.sleep(60_000);
          return null;
        };
    RecordingHistory history = new RecordingHistory();
    AtomicReference<ExecutionOutcome> outcome = new AtomicReference<>();
    Thread t =
        Thread.ofPlatform()
            .start(
                () ->
                    outcome.set(
                        new AslInterpreter()
                            .execute(def, json0("[1,2,3]"), CTX, blocking, history)));
    assertTrue(allStarted.await(30, TimeUnit.SECONDS));
    t.interrupt();
    t.join(30_000);
    assertEquals(ExecutionOutcome.Status.ABORTED, outcome.get().status());
    assertEquals(3, history.ofType("MapIterationAborted").size());
    assertEquals("ExecutionAborted", history.types().get(history.types().size() - 1));
  }

  @Test
  void mapNeverRunsMoreThanMaxConcurrencyIterationsAtOnce() throws Exception {
    AslDefinition def =
        parse(
            """
        {"StartAt": "M", "States": {"M": {"Type": "Map", "MaxConcurrency": 2, "ItemProcessor": {"StartAt": "T", "States": {
          "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}}}, "End": true}}}""");
    AtomicInteger running = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    // The first two iterations wait (up to 10 s) for each other: a Map that runs them one after
    // the other never gets both in at once, so the peak tells serial from concurrent.
    CountDownLatch firstTwo = new CountDownLatch(2);
    TaskInvoker tasks =
        inv -> {
          peak.accumulateAndGet(running.incrementAndGet(), Math::max);
          firstTwo.countDown();
          firstTwo.await(10, TimeUnit.SECONDS);
          Thread.sleep(20);
          running.decrementAndGet();
          return inv.parameters();
        };
    ExecutionOutcome out =
        new AslInterpreter().execute(def, json0("[1,2,3,4,5,6,7,8]"), CTX, tasks, HistorySink.NONE);
    assertEquals(json("[1,2,3,4,5,6,7,8]"), out.output(), "outputs keep item order");
    assertEquals(2, peak.get(), "iterations running at once, with MaxConcurrency 2");
  }

  @Test
  void branchEventsChainFromParallelStateStartedAndDetailLessEventsHaveNullDetails()
      throws Exception {
    AslDefinition def =
        parse(
            """
        {"StartAt": "P", "States": {"P": {"Type": "Parallel", "Branches": [
          {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "A2"}, "A2": {"Type": "Pass", "End": true}}},
          {"StartAt": "B", "States": {"B": {"Type": "Pass", "End": true}}}], "Next": "After"},
          "After": {"Type": "Succeed"}}}""");
    RecordingHistory history = new RecordingHistory();
    ExecutionOutcome out =
        new AslInterpreter().execute(def, json0(), CTX, new ScriptedTasks(), history);
    assertEquals(ExecutionOutcome.Status.SUCCEEDED, out.status());
    RecordingHistory.Event started = history.ofType("ParallelStateStarted").get(0);
    assertNull(started.details());
    assertNull(history.ofType("ParallelStateSucceeded").get(0).details());
    for (RecordingHistory.Event e : history.events()) {
      if (e.type().equals("PassStateEntered")
          && List.of("A", "B").contains(e.details().get("name").asText())) {
        assertEquals(
            started.id(),
            e.previousEventId(),
            "first event of each branch follows ParallelStateStarted");
      }
    }
    RecordingHistory.Event a2 =
        history.events().stream()
            .filter(
                e ->
                    e.type().equals("PassStateEntered")
                        && e.details().get("name").asText().equals("A2"))
            .findFirst()
            .orElseThrow();
    RecordingHistory.Event a1Exit =
        history.events().stream()
            .filter(
                e ->
                    e.type().equals("PassStateExited")
                        && e.details().get("name").asText().equals("A"))
            .findFirst()
            .orElseThrow();
    assertEquals(
        a1Exit.id(),
        a2.previousEventId(),
        "inside a branch, events chain to that branch's previous event");
    ConformanceTest.assertHistoryWellFormed(history);
    RecordingHistory.Event succeeded = history.ofType("ExecutionSucceeded").get(0);
    assertEquals("[{},{}]", succeeded.details().get("output").asText());
  }

  @Test
  void mapEventsCarryLengthAndIterationIndex() throws Exception {
    AslDefinition def =
        parse(
            """
        {"StartAt": "M", "States": {"M": {"Type": "Map", "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}, "End": true}}}""");
    RecordingHistory history = new RecordingHistory();
    new AslInterpreter()
        .execute(def, json0("[\"a\",\"b\",\"c\"]"), CTX, new ScriptedTasks(), history);
    assertEquals(3, history.ofType("MapStateStarted").get(0).details().get("length").asInt());
    List<Integer> indexes =
        history.ofType("MapIterationSucceeded").stream()
            .map(e -> e.details().get("index").asInt())
            .sorted()
            .toList();
    assertEquals(List.of(0, 1, 2), indexes);
    assertEquals("M", history.ofType("MapIterationStarted").get(0).details().get("name").asText());
  }

  @Test
  void taskScheduledCarriesRegionFromTheExecutionArnAndTimeouts() throws Exception {
    AslDefinition def =
        parse(
            """
        {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:lambda:eu-west-1:000000000000:function:f",
          "TimeoutSeconds": 30, "HeartbeatSeconds": 10, "End": true}}}""");
    RecordingHistory history = new RecordingHistory();
    ScriptedTasks tasks = new ScriptedTasks();
    new AslInterpreter().execute(def, json0("{\"k\":1}"), CTX, tasks, history);
    JsonNode d = history.ofType("TaskScheduled").get(0).details();
    assertEquals("eu-west-1", d.get("region").asText());
    assertEquals("lambda", d.get("resourceType").asText());
    assertEquals(30, d.get("timeoutInSeconds").asLong());
    assertEquals(10, d.get("heartbeatInSeconds").asLong());
    assertEquals("{\"k\":1}", d.get("parameters").asText());
    assertEquals(10, tasks.invocations().get(0).heartbeatSeconds());
    assertEquals(
        "{\"k\":1}", history.ofType("TaskSucceeded").get(0).details().get("output").asText());
  }

  @Test
  void uuidAndMathRandomProduceFreshValuesInRange() throws Exception {
    AslDefinition def =
        parse(
            """
        {"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {
          "u1.$": "States.UUID()", "u2.$": "States.UUID()", "r.$": "States.MathRandom(10, 20)"}, "End": true}}}""");
    for (int i = 0; i < 50; i++) {
      JsonNode out =
          new AslInterpreter()
              .execute(def, json0(), CTX, new ScriptedTasks(), HistorySink.NONE)
              .output();
      assertTrue(
          out.get("u1")
              .asText()
              .matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"));
      assertFalse(out.get("u1").equals(out.get("u2")));
      int r = out.get("r").asInt();
      assertTrue(r >= 10 && r < 20, "MathRandom end is exclusive: " + r);
    }
  }

  @Test
  void oversizedParametersFailTheTaskWithDataLimitExceeded() throws Exception {
    AslDefinition def =
        parse(
            """
        {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
          "Parameters": {"a.$": "$.s", "b.$": "$.s"}, "End": true}}}""");
    String big = "x".repeat(140_000); // input fits (140 KB), parameters do not (280 KB)
    ExecutionOutcome out =
        new AslInterpreter()
            .execute(
                def,
                MAPPER.createObjectNode().put("s", big),
                CTX,
                new ScriptedTasks(),
                HistorySink.NONE);
    assertEquals("States.DataLimitExceeded", out.error());
  }

  @Test
  void waitStateSleepsForRealWhenNoSleeperIsGivenAndTheExecutionTimeoutCutsItShort()
      throws Exception {
    AslDefinition def =
        parse(
            """
        {"StartAt": "W", "TimeoutSeconds": 1, "States": {"W": {"Type": "Wait", "Seconds": 30, "End": true}}}""");
    long start = System.nanoTime();
    ExecutionOutcome out =
        new AslInterpreter().execute(def, json0(), CTX, new ScriptedTasks(), HistorySink.NONE);
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertEquals(ExecutionOutcome.Status.TIMED_OUT, out.status());
    assertTrue(ms >= 900 && ms < 20_000, "ended at the execution deadline, took " + ms + " ms");
  }

  @Test
  void parseReportsEveryErrorAndKeepsTheDefinitionJson() throws Exception {
    AslValidationException e =
        assertThrows(
            AslValidationException.class,
            () ->
                AslDefinition.parse(
                    "{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Pass\"}, \"B\": {\"Type\": \"Pass\", \"End\": true}}}"));
    assertEquals(2, e.errors().size(), e.getMessage());
    assertTrue(
        e.getMessage().contains("/States/A") && e.getMessage().contains("/States/B"),
        e.getMessage());
    AslDefinition ok =
        AslDefinition.parse(
            "{\"StartAt\": \"A\", \"TimeoutSeconds\": 5, \"States\": {\"A\": {\"Type\": \"Succeed\"}}}");
    assertEquals("A", ok.json().get("StartAt").asText());
    assertEquals(5, ok.timeoutSeconds());
    assertNotNull(AslDefinition.validate(null));
  }

  @Test
  void invokerRuntimeExceptionsBecomeTaskFailures() throws Exception {
    AslDefinition def =
        parse(
            """
        {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}}}""");
    ExecutionOutcome out =
        new AslInterpreter()
            .execute(
                def,
                json0(),
                CTX,
                inv -> {
                  throw new IllegalStateException("bug in invoker");
                },
                HistorySink.NONE);
    assertEquals("States.TaskFailed", out.error());
    assertTrue(out.cause().contains("bug in invoker"));
  }

  @Test
  void retryBackoffIsRealTimeWithoutASleeper() throws Exception {
    AslDefinition def =
        parse(
            """
        {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
          "Retry": [{"ErrorEquals": ["E"], "IntervalSeconds": 1, "MaxAttempts": 1}], "End": true}}}""");
    ScriptedTasks tasks =
        new ScriptedTasks()
            .script(
                "T",
                new ScriptedTasks.Step(null, "E", "x", 0),
                ScriptedTasks.Step.of(json("\"ok\"")));
    long start = System.nanoTime();
    ExecutionOutcome out = new AslInterpreter().execute(def, json0(), CTX, tasks, HistorySink.NONE);
    assertEquals("ok", out.output().asText());
    assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() >= 950);
  }

  private static JsonNode json0() {
    return MAPPER.createObjectNode();
  }

  private static JsonNode json0(String s) {
    try {
      return MAPPER.readTree(s);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }
}
