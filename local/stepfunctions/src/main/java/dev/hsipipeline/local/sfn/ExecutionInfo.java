package dev.hsipipeline.local.sfn;

import java.time.Instant;

/**
 * A snapshot of an execution's summary, as DescribeExecution would report it (without payloads).
 *
 * @param executionArn the execution's ARN
 * @param stateMachineArn the ARN of the state machine it runs
 * @param name the execution name
 * @param status RUNNING, SUCCEEDED, FAILED, TIMED_OUT or ABORTED
 * @param startDate when it started
 * @param stopDate when it ended, or null while running
 * @param error the error when it failed/was aborted, else null
 * @param cause the cause when it failed/was aborted, else null
 */
public record ExecutionInfo(
    String executionArn,
    String stateMachineArn,
    String name,
    String status,
    Instant startDate,
    Instant stopDate,
    String error,
    String cause) {}
