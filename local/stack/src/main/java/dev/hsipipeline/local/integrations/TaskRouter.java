package dev.hsipipeline.local.integrations;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hsipipeline.local.sfn.asl.TaskFailedException;
import dev.hsipipeline.local.sfn.asl.TaskInvocation;
import dev.hsipipeline.local.sfn.asl.TaskInvoker;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Task resources the local Step Functions serves, each handed to its integration by the longest
 * matching resource prefix — {@code arn:aws:states:::batch:} to the Batch runner, {@code
 * arn:aws:states:::aws-sdk:s3:getObject} to {@link S3GetObjectTask}. A resource no integration
 * serves fails the task with {@code States.Runtime} naming the ones that are served.
 */
public final class TaskRouter implements TaskInvoker {

  private final Map<String, TaskInvoker> byPrefix;

  private TaskRouter(Map<String, TaskInvoker> byPrefix) {
    this.byPrefix = Map.copyOf(byPrefix);
  }

  /**
   * @param byResourcePrefix the integration serving each resource prefix
   * @throws IllegalArgumentException when empty
   */
  public static TaskRouter of(Map<String, TaskInvoker> byResourcePrefix) {
    if (byResourcePrefix.isEmpty()) {
      throw new IllegalArgumentException("a task router needs at least one integration");
    }
    return new TaskRouter(new LinkedHashMap<>(byResourcePrefix));
  }

  @Override
  public JsonNode invoke(TaskInvocation invocation)
      throws TaskFailedException, InterruptedException {
    String resource = invocation.resource();
    String best = null;
    for (String prefix : byPrefix.keySet()) {
      if (resource.startsWith(prefix) && (best == null || prefix.length() > best.length())) {
        best = prefix;
      }
    }
    if (best == null) {
      throw new TaskFailedException(
          "States.Runtime",
          "The local stack cannot run Task resource '"
              + resource
              + "'; it serves "
              + String.join(", ", new java.util.TreeSet<>(byPrefix.keySet())));
    }
    return byPrefix.get(best).invoke(invocation);
  }
}
