package dev.hsipipeline.local.sfn.asl;

import java.time.Instant;

/**
 * Values of the context object ({@code $$}) that do not change during an execution.
 *
 * @param executionArn {@code $$.Execution.Id}
 * @param executionName {@code $$.Execution.Name}
 * @param startTime {@code $$.Execution.StartTime}
 * @param roleArn {@code $$.Execution.RoleArn}
 * @param stateMachineArn {@code $$.StateMachine.Id}
 * @param stateMachineName {@code $$.StateMachine.Name}
 */
public record ExecutionContext(
    String executionArn,
    String executionName,
    Instant startTime,
    String roleArn,
    String stateMachineArn,
    String stateMachineName) {}
