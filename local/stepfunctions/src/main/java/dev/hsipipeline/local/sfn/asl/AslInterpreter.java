package dev.hsipipeline.local.sfn.asl;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Executes definitions. Holds no per-execution state, so one instance serves every execution.
 */
public final class AslInterpreter {

  /**
   * Runs one execution to its end on the calling thread (Parallel/Map branches may use more
   * threads), emitting history events to {@code history}. Interrupting the calling thread aborts
   * the execution (outcome ABORTED).
   */
  public ExecutionOutcome execute(
      AslDefinition definition,
      JsonNode input,
      ExecutionContext context,
      TaskInvoker tasks,
      HistorySink history) {
    throw new UnsupportedOperationException("being implemented (engine helper)");
  }
}
