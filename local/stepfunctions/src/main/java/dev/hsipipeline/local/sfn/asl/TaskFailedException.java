package dev.hsipipeline.local.sfn.asl;

/** A task ended with an ASL error name and cause, which Retry/Catch match on. */
public class TaskFailedException extends Exception {
  private final String error;
  private final String cause;

  public TaskFailedException(String error, String cause) {
    super(error + ": " + cause);
    this.error = error;
    this.cause = cause;
  }

  /** The ASL error name, e.g. {@code States.TaskFailed}. */
  public String error() {
    return error;
  }

  /** The human-readable cause (for Batch, the job description as JSON). */
  public String cause() {
    return cause;
  }
}
