package dev.hsipipeline.local.sfn.asl.internal;

/** The predefined error names of the Amazon States Language. */
public final class Errors {
  public static final String ALL = "States.ALL";
  public static final String TASK_FAILED = "States.TaskFailed";
  public static final String TIMEOUT = "States.Timeout";
  public static final String HEARTBEAT_TIMEOUT = "States.HeartbeatTimeout";
  public static final String RUNTIME = "States.Runtime";
  public static final String DATA_LIMIT_EXCEEDED = "States.DataLimitExceeded";
  public static final String PERMISSIONS = "States.Permissions";
  public static final String RESULT_PATH_MATCH_FAILURE = "States.ResultPathMatchFailure";
  public static final String PARAMETER_PATH_FAILURE = "States.ParameterPathFailure";
  public static final String BRANCH_FAILED = "States.BranchFailed";
  public static final String NO_CHOICE_MATCHED = "States.NoChoiceMatched";
  public static final String INTRINSIC_FAILURE = "States.IntrinsicFailure";
  public static final String EXCEED_TOLERATED_FAILURE_THRESHOLD =
      "States.ExceedToleratedFailureThreshold";

  private Errors() {}

  /**
   * Whether an ErrorEquals entry matches an error. States.ALL matches everything except the
   * terminal States.Runtime and States.DataLimitExceeded (AWS: "States.ALL ... can't catch the
   * States.DataLimitExceeded terminal error or Runtime error types").
   */
  public static boolean matches(String pattern, String error) {
    if (ALL.equals(pattern)) {
      return !RUNTIME.equals(error) && !DATA_LIMIT_EXCEEDED.equals(error);
    }
    return pattern.equals(error);
  }
}
