package dev.hsipipeline.local.sfn.asl.internal;

/** The execution's own TimeoutSeconds elapsed: ends the whole execution as TIMED_OUT. */
public final class ExecutionTimedOut extends Exception {
  public ExecutionTimedOut() {
    super("execution timed out", null, false, false);
  }
}
