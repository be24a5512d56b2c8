package dev.hsipipeline.local.sfn.asl.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hsipipeline.local.sfn.asl.ExecutionContext;
import dev.hsipipeline.local.sfn.asl.HistorySink;
import dev.hsipipeline.local.sfn.asl.TaskInvoker;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import software.amazon.awssdk.arns.Arn;

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

  /** The state whose first fan-out keeps {@link #keptChildren} (a redrive), and those results. */
  private final State keptFor;

  private final AtomicReference<Map<Integer, JsonNode>> keptChildren;

  Run(
      ExecutionContext context,
      JsonNode input,
      TaskInvoker tasks,
      HistorySink history,
      long timeoutSeconds,
      int redriveCount,
      long elapsedMillis,
      State keptFor,
      Map<Integer, JsonNode> keptChildren) {
    this.context = context;
    this.keptFor = keptFor;
    this.keptChildren = new AtomicReference<>(keptChildren);
    this.tasks = tasks;
    this.history = history;
    // A resumed execution keeps its original deadline: time already run counts.
    this.deadlineNanos =
        timeoutSeconds > 0
            ? System.nanoTime()
                + timeoutSeconds * 1_000_000_000L
                - Math.max(0, elapsedMillis) * 1_000_000L
            : Long.MAX_VALUE;
    this.region =
        Arn.tryFromString(String.valueOf(context.executionArn()))
            .flatMap(Arn::region)
            .orElse("us-east-1");
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

  /**
   * The iteration / branch results a redrive keeps for {@code state}: the first call for the state
   * the execution continued at gets them, every later call (a Retry, a later entry) none.
   */
  Map<Integer, JsonNode> takeKeptChildren(State state) {
    if (state != keptFor) {
      return Map.of();
    }
    return keptChildren.getAndSet(Map.of());
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
