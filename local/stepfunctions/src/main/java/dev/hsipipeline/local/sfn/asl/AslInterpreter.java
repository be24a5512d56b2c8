package dev.hsipipeline.local.sfn.asl;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hsipipeline.local.sfn.asl.internal.Engine;

/**
 * Executes definitions. Holds no per-execution state, so one instance serves every execution.
 *
 * <p>History: the interpreter emits every event after {@code ExecutionStarted} (which the API layer
 * records), ending with ExecutionSucceeded/Failed/TimedOut/Aborted. Events that have no details
 * object in GetExecutionHistory (ParallelStateStarted/Succeeded/Failed, MapStateSucceeded/Failed)
 * are recorded with {@code details == null}.
 */
public final class AslInterpreter {
  private final Engine engine;

  /** An interpreter that really sleeps in Wait states and between retries. */
  public AslInterpreter() {
    this.engine = new Engine(null);
  }

  /**
   * An interpreter whose Wait states and retry back-off go through {@code sleeper} (tests,
   * accelerated local runs). Execution and task timeouts still use real time.
   */
  public AslInterpreter(Sleeper sleeper) {
    this.engine = new Engine(sleeper);
  }

  /**
   * Runs one execution to its end on the calling thread (Parallel/Map branches may use more
   * threads), emitting history events to {@code history}. Interrupting the calling thread aborts
   * the execution (outcome ABORTED); the interrupt status is cleared when ABORTED is returned so
   * the caller can record it. The first event's previousEventId is 1 (ExecutionStarted).
   */
  public ExecutionOutcome execute(
      AslDefinition definition,
      JsonNode input,
      ExecutionContext context,
      TaskInvoker tasks,
      HistorySink history) {
    return execute(definition, input, context, tasks, history, 1L);
  }

  /**
   * As {@link #execute(AslDefinition, JsonNode, ExecutionContext, TaskInvoker, HistorySink)}, with
   * the id of the event the first interpreter event follows (normally ExecutionStarted).
   */
  public ExecutionOutcome execute(
      AslDefinition definition,
      JsonNode input,
      ExecutionContext context,
      TaskInvoker tasks,
      HistorySink history,
      long previousEventId) {
    return engine.execute(definition.machine(), input, context, tasks, history, previousEventId);
  }

  /**
   * Continues an interrupted execution at {@code resumeAt} (see {@link ResumePoint#find}); the
   * events it emits follow {@code previousEventId}. {@code elapsedMillis}, the time the execution
   * already ran, counts against its TimeoutSeconds.
   */
  public ExecutionOutcome resume(
      AslDefinition definition,
      JsonNode executionInput,
      ResumePoint resumeAt,
      long elapsedMillis,
      ExecutionContext context,
      TaskInvoker tasks,
      HistorySink history,
      long previousEventId) {
    return engine.execute(
        definition.machine(),
        executionInput,
        resumeAt.stateName(),
        resumeAt.stateInput(),
        resumeAt.succeededChildren(),
        resumeAt.redriveCount(),
        elapsedMillis,
        context,
        tasks,
        history,
        previousEventId);
  }
}
