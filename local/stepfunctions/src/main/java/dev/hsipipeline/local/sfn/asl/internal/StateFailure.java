package dev.hsipipeline.local.sfn.asl.internal;

/**
 * A state ended with an ASL error. Retry and Catch match on {@link #error()}. The stack trace is
 * not filled: these are control flow, raised often (every retry), and never logged with a trace.
 */
public final class StateFailure extends Exception {
  private final String error;
  private final String cause;

  public StateFailure(String error, String cause) {
    super(error + ": " + cause, null, false, false);
    this.error = error;
    this.cause = cause;
  }

  public String error() {
    return error;
  }

  public String cause() {
    return cause;
  }

  /** States.Runtime is never retried or caught, as AWS documents. */
  public boolean terminal() {
    return Errors.RUNTIME.equals(error);
  }
}
