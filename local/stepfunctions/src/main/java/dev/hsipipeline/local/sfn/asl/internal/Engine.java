package dev.hsipipeline.local.sfn.asl.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hsipipeline.local.sfn.asl.ExecutionContext;
import dev.hsipipeline.local.sfn.asl.ExecutionOutcome;
import dev.hsipipeline.local.sfn.asl.HistorySink;
import dev.hsipipeline.local.sfn.asl.Sleeper;
import dev.hsipipeline.local.sfn.asl.TaskInvoker;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Runs compiled state machines: the state loop with its history events, path processing around
 * work, Retry and Catch, sleeping and size limits. What each state type does is in its class
 * ({@link TaskState} invokes tasks, {@link ParallelState} and {@link MapState} fan out). Stateless
 * apart from its configuration, so one instance serves every execution.
 */
public final class Engine {
  private final Sleeper sleeper;

  /** Interrupts task invocations that pass their deadline (shared by every execution). */
  final Watchdog watchdog = new Watchdog();

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
        machine,
        input,
        machine.startAt(),
        input,
        Map.of(),
        0,
        0,
        context,
        tasks,
        history,
        previousEventId);
  }

  /**
   * Runs an execution from {@code startState} (its StartAt, or the state a resumed execution was
   * in) with that state's input. {@code elapsedMillis} is time the execution already ran, which
   * counts against its TimeoutSeconds; {@code redriveCount} is $$.Execution.RedriveCount. When
   * {@code startState} is a Map or Parallel state, its first attempt runs only the iterations /
   * branches not in {@code keptChildren} (a redrive's results of the ones that succeeded).
   */
  public ExecutionOutcome execute(
      StateMachine machine,
      JsonNode executionInput,
      String startState,
      JsonNode stateInput,
      Map<Integer, JsonNode> keptChildren,
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
            elapsedMillis,
            start,
            keptChildren);
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

  static ObjectNode notTruncated() {
    ObjectNode d = Json.object();
    d.put("truncated", false);
    return d;
  }

  static ObjectNode errorDetails(String error, String cause) {
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
