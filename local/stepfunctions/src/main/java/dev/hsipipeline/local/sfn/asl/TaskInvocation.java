package dev.hsipipeline.local.sfn.asl;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One attempt of a Task state.
 *
 * @param resource the state's Resource ARN
 * @param parameters the effective parameters (after InputPath and Parameters)
 * @param stateName the Task state's name
 * @param executionArn the execution running the task
 * @param attempt 1 for the first try, incremented by each Retry
 * @param timeoutSeconds the state's effective TimeoutSeconds, or 0 when none
 * @param heartbeatSeconds the state's effective HeartbeatSeconds, or 0 when none
 */
public record TaskInvocation(
    String resource,
    JsonNode parameters,
    String stateName,
    String executionArn,
    int attempt,
    long timeoutSeconds,
    long heartbeatSeconds) {}
