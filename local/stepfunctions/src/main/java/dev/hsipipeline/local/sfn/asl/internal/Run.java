package dev.hsipipeline.local.sfn.asl.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hsipipeline.local.sfn.asl.ExecutionContext;
import dev.hsipipeline.local.sfn.asl.HistorySink;
import dev.hsipipeline.local.sfn.asl.TaskInvoker;

/** What one execution shares across its frames and threads. */
final class Run {
  final ExecutionContext context;
  final TaskInvoker tasks;
  final HistorySink history;

  /** System.nanoTime() at which the execution times out; Long.MAX_VALUE when never. */
  final long deadlineNanos;

  final String region;
  final ObjectNode executionNode;
  final ObjectNode stateMachineNode;

  Run(
      ExecutionContext context,
      JsonNode input,
      TaskInvoker tasks,
      HistorySink history,
      long timeoutSeconds,
      int redriveCount,
      long elapsedMillis) {
    this.context = context;
    this.tasks = tasks;
    this.history = history;
    // A resumed execution keeps its original deadline: time already run counts.
    this.deadlineNanos =
        timeoutSeconds > 0
            ? System.nanoTime()
                + timeoutSeconds * 1_000_000_000L
                - Math.max(0, elapsedMillis) * 1_000_000L
            : Long.MAX_VALUE;
    String arn = context.executionArn() == null ? "" : context.executionArn();
    String[] parts = arn.split(":");
    this.region = parts.length > 3 && !parts[3].isEmpty() ? parts[3] : "us-east-1";
    executionNode = Json.object();
    executionNode.put("Id", context.executionArn());
    executionNode.set("Input", input);
    executionNode.put("Name", context.executionName());
    executionNode.put("RoleArn", context.roleArn());
    executionNode.put(
        "StartTime",
        context.startTime() == null ? null : Json.TIMESTAMP.format(context.startTime()));
    executionNode.put("RedriveCount", redriveCount);
    stateMachineNode = Json.object();
    stateMachineNode.put("Id", context.stateMachineArn());
    stateMachineNode.put("Name", context.stateMachineName());
  }

  boolean hasDeadline() {
    return deadlineNanos != Long.MAX_VALUE;
  }

  void checkDeadline() throws ExecutionTimedOut {
    if (hasDeadline() && System.nanoTime() - deadlineNanos >= 0) {
      throw new ExecutionTimedOut();
    }
  }
}
