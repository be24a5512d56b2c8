package dev.hsipipeline.local.sfn.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The Step Functions operations in AWS JSON 1.0 shape: request objects in, response objects out,
 * {@link ApiException} for every error. Field names and error codes follow the service model
 * (states-2016-11-23). Execution operations are in {@link ExecutionOps}, state machine operations
 * in {@link StateMachineOps}.
 */
public final class SfnApi {
  private final ExecutionOps executions;
  private final StateMachineOps machines;

  public SfnApi(Registry registry) {
    this.executions = new ExecutionOps(registry.executions());
    this.machines = new StateMachineOps(registry.stateMachines(), registry.executions());
  }

  /** Runs operation {@code op} (the part after {@code AWSStepFunctions.}). */
  public ObjectNode call(String op, ObjectNode req) {
    return switch (op) {
      case "StartExecution" -> executions.startExecution(req);
      case "DescribeExecution" -> executions.describeExecution(req);
      case "ListExecutions" -> executions.listExecutions(req);
      case "GetExecutionHistory" -> executions.getExecutionHistory(req);
      case "StopExecution" -> executions.stopExecution(req);
      case "RedriveExecution" -> executions.redriveExecution(req);
      case "DescribeStateMachine" -> machines.describeStateMachine(req);
      case "ListStateMachines" -> machines.listStateMachines(req);
      case "CreateStateMachine" -> machines.createStateMachine(req);
      case "UpdateStateMachine" -> machines.updateStateMachine(req);
      case "DeleteStateMachine" -> machines.deleteStateMachine(req);
      case "ValidateStateMachineDefinition" -> machines.validateStateMachineDefinition(req);
      case "DescribeStateMachineForExecution" -> machines.describeStateMachineForExecution(req);
      default -> throw ApiException.unknownOperation("AWSStepFunctions." + op);
    };
  }

  /**
   * StartExecution from the raw request body straight to the response body (see {@link
   * ExecutionOps#startExecution(byte[])}); null when the general path must answer.
   */
  public byte[] startExecution(byte[] body) {
    return executions.startExecution(body);
  }
}
