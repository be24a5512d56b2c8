package dev.hsipipeline.local.sfn.asl.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hsipipeline.local.sfn.asl.ExecutionContext;
import dev.hsipipeline.local.sfn.asl.ExecutionOutcome;
import dev.hsipipeline.local.sfn.asl.HistorySink;
import dev.hsipipeline.local.sfn.asl.Sleeper;
import dev.hsipipeline.local.sfn.asl.TaskFailedException;
import dev.hsipipeline.local.sfn.asl.TaskInvocation;
import dev.hsipipeline.local.sfn.asl.TaskInvoker;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs compiled state machines: the state loop, path processing around work, Retry and Catch, task
 * invocation with timeouts, Parallel/Map fan-out, and history events. Stateless apart from its
 * configuration, so one instance serves every execution.
 */
public final class Engine {
  private final Sleeper sleeper;
  private final Watchdog watchdog = new Watchdog();

  /**
   * @param sleeper null for real, deadline-aware sleeping
   */
  public Engine(Sleeper sleeper) {
    this.sleeper = sleeper;
  }

  /** Work a Task/Parallel/Map does between Parameters and ResultSelector. */
  @FunctionalInterface
  interface Work {
    JsonNode run(JsonNode effectiveInput, int attempt)
        throws StateFailure, InterruptedException, ExecutionTimedOut;
  }

  // ---------------------------------------------------------------- execution

  public ExecutionOutcome execute(
      StateMachine machine,
      JsonNode input,
      ExecutionContext context,
      TaskInvoker tasks,
      HistorySink history,
      long previousEventId) {
    if (input == null || input.isMissingNode()) {
      input = Json.NODES.nullNode();
    }
    return execute(
        machine, input, machine.startAt(), input, 0, 0, context, tasks, history, previousEventId);
  }

  /**
   * Runs an execution from {@code startState} (its StartAt, or the state a resumed execution was
   * in) with that state's input. {@code elapsedMillis} is time the execution already ran, which
   * counts against its TimeoutSeconds; {@code redriveCount} is $$.Execution.RedriveCount.
   */
  public ExecutionOutcome execute(
      StateMachine machine,
      JsonNode executionInput,
      String startState,
      JsonNode stateInput,
      int redriveCount,
      long elapsedMillis,
      ExecutionContext context,
      TaskInvoker tasks,
      HistorySink history,
      long previousEventId) {
    State start = machine.states().get(startState);
    if (start == null) {
      throw new IllegalArgumentException("no top-level state named '" + startState + "'");
    }
    Run run =
        new Run(
            context,
            executionInput,
            tasks,
            history,
            machine.timeoutSeconds(),
            redriveCount,
            elapsedMillis);
    Frame frame = new Frame(run, previousEventId);
    try {
      JsonNode output = runMachine(machine, start, stateInput, frame);
      String text = output == frame.lastOutput ? frame.lastOutputText : Json.write(output);
      ObjectNode d = Json.object();
      d.put("output", text);
      d.set("outputDetails", notTruncated());
      frame.emit("ExecutionSucceeded", d);
      return new ExecutionOutcome(ExecutionOutcome.Status.SUCCEEDED, output, null, null);
    } catch (StateFailure f) {
      frame.emit("ExecutionFailed", errorDetails(f.error(), f.cause()));
      return new ExecutionOutcome(ExecutionOutcome.Status.FAILED, null, f.error(), f.cause());
    } catch (ExecutionTimedOut t) {
      String cause =
          "The execution exceeded its TimeoutSeconds of " + machine.timeoutSeconds() + " seconds";
      frame.emit("ExecutionTimedOut", errorDetails(Errors.TIMEOUT, cause));
      return new ExecutionOutcome(ExecutionOutcome.Status.TIMED_OUT, null, Errors.TIMEOUT, cause);
    } catch (InterruptedException e) {
      Thread.interrupted();
      // The caller stopped the execution. The interrupt status stays cleared on purpose: the
      // caller records the outcome next, and interrupted threads break NIO-backed storage.
      frame.emit("ExecutionAborted", Json.object());
      return new ExecutionOutcome(ExecutionOutcome.Status.ABORTED, null, null, null);
    }
  }

  JsonNode runMachine(StateMachine machine, JsonNode input, Frame frame)
      throws StateFailure, InterruptedException, ExecutionTimedOut {
    return runMachine(machine, machine.start(), input, frame);
  }

  private JsonNode runMachine(StateMachine machine, State state, JsonNode input, Frame frame)
      throws StateFailure, InterruptedException, ExecutionTimedOut {
    while (true) {
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
      frame.run.checkDeadline();
      frame.stateName = state.name;
      frame.enteredMillis = System.currentTimeMillis();
      frame.retryCount = 0;
      String inputText = input == frame.lastOutput ? frame.lastOutputText : Json.write(input);
      ObjectNode entered = Json.object();
      entered.put("name", state.name);
      entered.put("input", inputText);
      entered.set("inputDetails", notTruncated());
      frame.enteredEventId = frame.emit(state.type() + "StateEntered", entered);
      State.Step step;
      try {
        checkSize(inputText, "the input of state '" + state.name + "'");
        step = state.execute(this, frame, input);
        // Choice and pass-through states hand on the very node they got: reuse its text.
        String outputText = step.output() == input ? inputText : Json.write(step.output());
        checkSize(outputText, "the output of state '" + state.name + "'");
        ObjectNode exited = Json.object();
        exited.put("name", state.name);
        exited.put("output", outputText);
        exited.set("outputDetails", notTruncated());
        frame.emit(state.type() + "StateExited", exited);
        frame.lastOutput = step.output();
        frame.lastOutputText = outputText;
      } catch (StateFailure f) {
        if (f.error().equals(Errors.RUNTIME) && !f.cause().startsWith("An error occurred")) {
          throw new StateFailure(
              f.error(),
              "An error occurred while executing the state '"
                  + state.name
                  + "' (entered at the event id #"
                  + frame.enteredEventId
                  + "). "
                  + f.cause());
        }
        throw f;
      }
      if (step.next() == null) {
        return step.output();
      }
      state = machine.states().get(step.next());
      input = step.output();
    }
  }

  /**
   * InputPath → Parameters → work → ResultSelector → ResultPath → OutputPath, with Retry around the
   * work and Catch on what Retry gives up on.
   */
  State.Step runHandled(State state, Handling h, Frame frame, JsonNode input, Work work)
      throws StateFailure, InterruptedException, ExecutionTimedOut {
    ContextObject ctx = frame.context();
    JsonNode selected = state.inputPath.apply("InputPath", input, ctx);
    int[] retriesUsed = new int[h.retriers().size()];
    int attempt = 1;
    while (true) {
      try {
        // Parameters are evaluated per attempt: $$.State.RetryCount changes between attempts.
        JsonNode effective = selected;
        if (h.parameters() != null) {
          effective = h.parameters().evaluate(selected, ctx);
          if (!(state instanceof TaskState)) { // a Task checks the text it records in TaskScheduled
            checkSize(
                Json.write(effective), "the input of state '" + state.name + "' after Parameters");
          }
        }
        JsonNode raw = work.run(effective, attempt);
        JsonNode result = h.resultSelector() == null ? raw : h.resultSelector().evaluate(raw, ctx);
        JsonNode out = h.resultPath().apply(input, result);
        return new State.Step(state.outputPath.apply("OutputPath", out, ctx), state.next);
      } catch (StateFailure f) {
        if (f.terminal()) {
          throw f;
        }
        Retrier retrier = null;
        int index = -1;
        for (int i = 0; i < h.retriers().size(); i++) {
          if (h.retriers().get(i).matches(f.error())) {
            retrier = h.retriers().get(i);
            index = i;
            break;
          }
        }
        if (retrier != null && retriesUsed[index] < retrier.maxAttempts()) {
          retriesUsed[index]++;
          long delay = retrier.delayMillis(retriesUsed[index]);
          if (retrier.fullJitter()) {
            delay = ThreadLocalRandom.current().nextLong(delay + 1);
          }
          sleep(frame, Duration.ofMillis(delay));
          attempt++;
          frame.retryCount++;
          continue;
        }
        for (Catcher c : h.catchers()) {
          if (c.matches(f.error())) {
            ObjectNode error = Json.object();
            error.put("Error", f.error());
            error.put("Cause", f.cause());
            return new State.Step(c.resultPath().apply(input, error), c.next());
          }
        }
        throw f;
      }
    }
  }

  // ---------------------------------------------------------------- tasks

  JsonNode invokeTask(
      Frame frame,
      TaskState task,
      JsonNode parameters,
      int attempt,
      long timeoutSeconds,
      long heartbeatSeconds)
      throws StateFailure, InterruptedException, ExecutionTimedOut {
    Run run = frame.run;
    ObjectNode scheduled = Json.object();
    scheduled.put("resourceType", task.resourceType);
    scheduled.put("resource", task.resourceAction);
    scheduled.put("region", run.region);
    String parametersText = Json.write(parameters);
    checkSize(parametersText, "the input of state '" + task.name + "' after Parameters");
    scheduled.put("parameters", parametersText);
    if (timeoutSeconds > 0) {
      scheduled.put("timeoutInSeconds", timeoutSeconds);
    }
    if (heartbeatSeconds > 0) {
      scheduled.put("heartbeatInSeconds", heartbeatSeconds);
    }
    frame.emit("TaskScheduled", scheduled);
    frame.emit("TaskStarted", resource(task));
    TaskInvocation invocation =
        new TaskInvocation(
            task.resource,
            parameters,
            task.name,
            run.context.executionArn(),
            attempt,
            timeoutSeconds,
            heartbeatSeconds);
    long now = System.nanoTime();
    long taskDeadline = timeoutSeconds > 0 ? now + timeoutSeconds * 1_000_000_000L : Long.MAX_VALUE;
    // Local task invokers have no SendTaskHeartbeat channel, so a task with HeartbeatSeconds
    // that runs longer than that without finishing has missed its heartbeat.
    long heartbeatDeadline =
        heartbeatSeconds > 0 ? now + heartbeatSeconds * 1_000_000_000L : Long.MAX_VALUE;
    long deadline = Math.min(Math.min(taskDeadline, heartbeatDeadline), run.deadlineNanos);
    JsonNode result;
    try {
      result = call(run.tasks, invocation, deadline);
    } catch (TaskFailedException e) {
      ObjectNode failed = resource(task);
      failed.put("error", e.error());
      failed.put("cause", e.cause());
      frame.emit("TaskFailed", failed);
      throw new StateFailure(e.error(), e.cause());
    } catch (TimeoutException e) {
      run.checkDeadline(); // the execution's own timeout wins over the task's
      if (heartbeatDeadline < taskDeadline && System.nanoTime() >= heartbeatDeadline) {
        String cause =
            "The task '"
                + task.name
                + "' sent no heartbeat within its HeartbeatSeconds of "
                + heartbeatSeconds
                + " seconds";
        ObjectNode timedOut = resource(task);
        timedOut.put("error", Errors.HEARTBEAT_TIMEOUT);
        timedOut.put("cause", cause);
        frame.emit("TaskTimedOut", timedOut);
        throw new StateFailure(Errors.HEARTBEAT_TIMEOUT, cause);
      }
      String cause =
          "The task '"
              + task.name
              + "' did not finish within its TimeoutSeconds of "
              + timeoutSeconds
              + " seconds";
      ObjectNode timedOut = resource(task);
      timedOut.put("error", Errors.TIMEOUT);
      timedOut.put("cause", cause);
      frame.emit("TaskTimedOut", timedOut);
      throw new StateFailure(Errors.TIMEOUT, cause);
    }
    if (result == null) {
      result = Json.NODES.nullNode();
    }
    String text = Json.write(result);
    if (Json.utf8Length(text) > Json.MAX_PAYLOAD_BYTES) {
      ObjectNode failed = resource(task);
      String cause =
          "The task result of state '"
              + task.name
              + "' is "
              + Json.utf8Length(text)
              + " bytes, more than the 262144 bytes Step Functions accepts";
      failed.put("error", Errors.DATA_LIMIT_EXCEEDED);
      failed.put("cause", cause);
      frame.emit("TaskFailed", failed);
      throw new StateFailure(Errors.DATA_LIMIT_EXCEEDED, cause);
    }
    ObjectNode succeeded = resource(task);
    succeeded.put("output", text);
    succeeded.set("outputDetails", notTruncated());
    frame.emit("TaskSucceeded", succeeded);
    return result;
  }

  /**
   * Calls the invoker on this thread. With a deadline, a watchdog interrupts this thread when it
   * passes; an interrupt the watchdog did not cause is the caller stopping the execution.
   */
  private JsonNode call(TaskInvoker invoker, TaskInvocation invocation, long deadlineNanos)
      throws TaskFailedException, InterruptedException, TimeoutException {
    if (deadlineNanos == Long.MAX_VALUE) {
      try {
        return invoker.invoke(invocation);
      } catch (RuntimeException e) {
        throw asTaskFailure(e);
      }
    }
    if (deadlineNanos - System.nanoTime() <= 0) {
      throw new TimeoutException();
    }
    Watchdog.Guard guard = watchdog.arm(deadlineNanos);
    JsonNode result;
    try {
      result = invoker.invoke(invocation);
    } catch (InterruptedException e) {
      if (guard.disarm()) {
        throw new TimeoutException();
      }
      throw e;
    } catch (TaskFailedException e) {
      if (guard.disarm()) {
        throw new TimeoutException(); // the failure was the invoker reacting to our interrupt
      }
      throw e;
    } catch (RuntimeException e) {
      if (guard.disarm()) {
        throw new TimeoutException();
      }
      throw asTaskFailure(e);
    }
    guard.disarm(); // a result that raced the deadline still counts
    return result;
  }

  /** An invoker bug surfaces as a task failure naming the exception, never as a lost execution. */
  private static TaskFailedException asTaskFailure(Throwable t) {
    return new TaskFailedException(
        Errors.TASK_FAILED,
        t.getClass().getName() + (t.getMessage() == null ? "" : ": " + t.getMessage()));
  }

  // ---------------------------------------------------------------- Parallel and Map

  JsonNode runParallel(Frame frame, ParallelState state, JsonNode input)
      throws StateFailure, InterruptedException, ExecutionTimedOut {
    long started = frame.emit("ParallelStateStarted", null);
    List<FanOut.Job> jobs = new ArrayList<>();
    long[] lastIds = new long[state.branches.size()];
    for (int i = 0; i < state.branches.size(); i++) {
      StateMachine branch = state.branches.get(i);
      int index = i;
      jobs.add(
          () -> {
            Frame child = new Frame(frame.run, started);
            try {
              return runMachine(branch, input, child);
            } finally {
              lastIds[index] = child.prev;
            }
          });
    }
    FanOut.Result result = FanOut.run(jobs, 0, 0, frame.run.deadlineNanos);
    frame.prev = Math.max(frame.prev, max(lastIds));
    if (result.failure() != null) {
      frame.emit("ParallelStateFailed", null);
      throw result.failure();
    }
    ArrayNode out = Json.NODES.arrayNode(jobs.size());
    for (JsonNode n : result.outputs()) {
      out.add(n);
    }
    frame.emit("ParallelStateSucceeded", null);
    return out;
  }

  JsonNode runMap(Frame frame, MapState state, JsonNode effective)
      throws StateFailure, InterruptedException, ExecutionTimedOut {
    ContextObject ctx = frame.context();
    JsonNode items = state.itemsPath == null ? effective : state.itemsPath.read(effective);
    if (items == null || !items.isArray()) {
      throw new StateFailure(
          Errors.RUNTIME,
          "Invalid path '"
              + (state.itemsPath == null ? "$" : state.itemsPath.text())
              + "' : the value of ItemsPath must be a JSON array, but was "
              + (items == null ? "missing" : Json.typeName(items)));
    }
    long maxConcurrency =
        number(state.maxConcurrency, state.maxConcurrencyPath, "MaxConcurrencyPath", effective);
    boolean tolerant =
        state.toleratedFailureCount >= 0
            || state.toleratedFailureCountPath != null
            || state.toleratedFailurePercentage >= 0
            || state.toleratedFailurePercentagePath != null;
    long toleratedCount =
        state.toleratedFailureCountPath != null
            ? number(0, state.toleratedFailureCountPath, "ToleratedFailureCountPath", effective)
            : state.toleratedFailureCount;
    double toleratedPct =
        state.toleratedFailurePercentagePath != null
            ? number(
                0,
                state.toleratedFailurePercentagePath,
                "ToleratedFailurePercentagePath",
                effective)
            : state.toleratedFailurePercentage;
    int size = items.size();
    long tolerated = 0;
    if (tolerant) {
      tolerated = Long.MAX_VALUE;
      if (toleratedCount >= 0) {
        tolerated = Math.min(tolerated, toleratedCount);
      }
      if (toleratedPct >= 0) {
        tolerated = Math.min(tolerated, (long) Math.floor(size * toleratedPct / 100.0));
      }
    }
    // Shape every item first (ItemSelector sees $$.Map.Item), so a bad path fails the state early.
    List<JsonNode> inputs = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      JsonNode item = items.get(i);
      if (state.itemSelector == null) {
        inputs.add(item);
      } else {
        frame.mapItemIndex = i;
        frame.mapItemValue = item;
        try {
          inputs.add(state.itemSelector.evaluate(effective, ctx));
        } finally {
          frame.mapItemIndex = -1;
          frame.mapItemValue = null;
        }
      }
    }
    ObjectNode startedDetails = Json.object();
    startedDetails.put("length", size);
    long started = frame.emit("MapStateStarted", startedDetails);
    long[] lastIds = new long[size];
    List<FanOut.Job> jobs = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      int index = i;
      jobs.add(
          () -> {
            Frame child = new Frame(frame.run, started);
            ObjectNode iteration = Json.object();
            iteration.put("name", state.name);
            iteration.put("index", index);
            child.emit("MapIterationStarted", iteration);
            try {
              JsonNode out = runMachine(state.processor, inputs.get(index), child);
              child.emit("MapIterationSucceeded", iteration.deepCopy());
              return out;
            } catch (StateFailure f) {
              child.emit("MapIterationFailed", iteration.deepCopy());
              throw f;
            } catch (InterruptedException e) {
              child.emit("MapIterationAborted", iteration.deepCopy());
              throw e;
            } finally {
              lastIds[index] = child.prev;
            }
          });
    }
    FanOut.Result result =
        FanOut.run(jobs, maxConcurrency, tolerant ? tolerated : 0, frame.run.deadlineNanos);
    frame.prev = Math.max(frame.prev, max(lastIds));
    StateFailure failure = result.failure();
    if (failure != null && tolerant) {
      failure =
          new StateFailure(
              Errors.EXCEED_TOLERATED_FAILURE_THRESHOLD,
              "The Map state '"
                  + state.name
                  + "' failed because "
                  + result.failures()
                  + " of its "
                  + size
                  + " iterations failed, more than the tolerated "
                  + tolerated
                  + ". Last failure: "
                  + failure.error()
                  + ": "
                  + failure.cause());
    }
    if (failure != null) {
      frame.emit("MapStateFailed", null);
      throw failure;
    }
    ArrayNode out = Json.NODES.arrayNode(size);
    for (int i = 0; i < size; i++) {
      JsonNode n = result.outputs()[i];
      if (n == null) { // a tolerated failure: keep its error in place of the output
        StateFailure f = result.itemFailures()[i];
        ObjectNode error = Json.object();
        error.put("Error", f.error());
        error.put("Cause", f.cause());
        n = error;
      }
      out.add(n);
    }
    frame.emit("MapStateSucceeded", null);
    return out;
  }

  private static long max(long[] values) {
    long m = 0;
    for (long v : values) {
      m = Math.max(m, v);
    }
    return m;
  }

  private static long number(long fixed, ReferencePath path, String field, JsonNode input)
      throws StateFailure {
    if (path == null) {
      return fixed;
    }
    JsonNode v = path.read(input);
    if (v == null || !v.isNumber() || v.doubleValue() < 0) {
      throw new StateFailure(
          Errors.RUNTIME,
          "The "
              + field
              + " '"
              + path.text()
              + "' does not reference a non-negative number: "
              + (v == null ? "missing" : Json.write(v)));
    }
    return v.longValue();
  }

  // ---------------------------------------------------------------- time and limits

  Instant now() {
    return Instant.now();
  }

  /** Sleeps for Wait/Retry; ends early with ExecutionTimedOut at the execution's deadline. */
  void sleep(Frame frame, Duration duration) throws InterruptedException, ExecutionTimedOut {
    if (sleeper != null) {
      sleeper.sleep(duration);
      return;
    }
    Run run = frame.run;
    long nanos = duration.toNanos();
    if (run.hasDeadline()) {
      long left = run.deadlineNanos - System.nanoTime();
      if (left <= nanos) {
        TimeUnit.NANOSECONDS.sleep(Math.max(0, left));
        throw new ExecutionTimedOut();
      }
    }
    TimeUnit.NANOSECONDS.sleep(nanos);
  }

  static void checkSize(JsonNode node, String what) throws StateFailure {
    checkSize(Json.write(node), what);
  }

  static void checkSize(String text, String what) throws StateFailure {
    if (text.length() > Json.MAX_PAYLOAD_BYTES / 4
        && Json.utf8Length(text) > Json.MAX_PAYLOAD_BYTES) {
      throw new StateFailure(
          Errors.DATA_LIMIT_EXCEEDED,
          "The size of "
              + what
              + " ("
              + Json.utf8Length(text)
              + " bytes) exceeds the maximum number of bytes service limit (262144 bytes)");
    }
  }

  private static ObjectNode resource(TaskState task) {
    ObjectNode d = Json.object();
    d.put("resourceType", task.resourceType);
    d.put("resource", task.resourceAction);
    return d;
  }

  private static ObjectNode notTruncated() {
    ObjectNode d = Json.object();
    d.put("truncated", false);
    return d;
  }

  private static ObjectNode errorDetails(String error, String cause) {
    ObjectNode d = Json.object();
    if (error != null) {
      d.put("error", error);
    }
    if (cause != null) {
      d.put("cause", cause);
    }
    return d;
  }
}
