package dev.hsipipeline.local.sfn;

/**
 * Callbacks about executions as they progress (for example the CLI's live progress view). Called
 * synchronously on the execution's thread, so implementations must be quick and thread-safe;
 * exceptions they throw are logged and ignored.
 */
public interface ExecutionListener {

  /** An execution was started (its ExecutionStarted event is recorded). */
  default void executionStarted(ExecutionInfo execution) {}

  /**
   * An execution entered a state.
   *
   * @param stateName the state's name
   * @param eventType the AWS history event type, e.g. {@code TaskStateEntered}
   */
  default void stateEntered(ExecutionInfo execution, String stateName, String eventType) {}

  /** An execution ended (SUCCEEDED, FAILED, TIMED_OUT or ABORTED); {@code execution} shows how. */
  default void executionEnded(ExecutionInfo execution) {}
}
