package dev.hsipipeline.trigger.internal;

/**
 * What happened to one SQS record.
 *
 * @param kind the outcome
 * @param executionName execution name derived from the message id
 * @param reason failure or duplicate detail, else {@code null}
 * @param offloaded whether the body went to S3
 */
public record RecordOutcome(Kind kind, String executionName, String reason, boolean offloaded) {

  /** What SQS is told: the first two are successes, the rest are redelivered. */
  public enum Kind {
    /** A new execution was started. */
    STARTED,
    /** An execution for this message already existed (a redelivery): success. */
    DUPLICATE,
    /** Will fail again on every delivery (bad body, name taken by another message). */
    PERMANENT_FAILURE,
    /** May succeed on redelivery (throttling, 5xx after retries, timeouts). */
    FAILURE,
    /** Not attempted: the batch ran out of time or hit a batch-wide error. */
    NOT_ATTEMPTED
  }

  /** Whether SQS must see this record as failed (it stays in the queue / goes to the DLQ). */
  public boolean failed() {
    return kind != Kind.STARTED && kind != Kind.DUPLICATE;
  }
}
