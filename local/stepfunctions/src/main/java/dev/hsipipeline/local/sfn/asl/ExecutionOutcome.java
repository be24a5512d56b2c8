package dev.hsipipeline.local.sfn.asl;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * How an execution ended.
 *
 * @param status SUCCEEDED, FAILED, TIMED_OUT or ABORTED
 * @param output the final output (SUCCEEDED only, otherwise null)
 * @param error the error name (otherwise null)
 * @param cause the cause (otherwise null)
 */
public record ExecutionOutcome(Status status, JsonNode output, String error, String cause) {

  /** Terminal execution statuses, named as the Step Functions API names them. */
  public enum Status {
    SUCCEEDED,
    FAILED,
    TIMED_OUT,
    ABORTED
  }
}
