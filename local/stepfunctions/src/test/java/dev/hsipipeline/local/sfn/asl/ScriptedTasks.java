package dev.hsipipeline.local.sfn.asl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A TaskInvoker (our own interface, not the AWS SDK) that answers from a script per state name:
 * each step is either a JSON result or {@code {"error":..., "cause":...}} thrown as a failure, or
 * {@code {"sleepMillis": n}} to block (for timeouts). The last step repeats. With no script the
 * task echoes its parameters.
 */
final class ScriptedTasks implements TaskInvoker {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** One scripted answer. */
  record Step(JsonNode result, String error, String cause, long sleepMillis) {
    static Step of(JsonNode n) {
      if (n.isObject() && n.has("error")) {
        return new Step(null, n.get("error").asText(), n.path("cause").asText(""), 0);
      }
      if (n.isObject() && n.has("bigResultBytes")) {
        return new Step(
            MAPPER.getNodeFactory().textNode("x".repeat(n.get("bigResultBytes").asInt())),
            null,
            null,
            0);
      }
      if (n.isObject() && n.has("sleepMillis")) {
        return new Step(n.get("result"), null, null, n.get("sleepMillis").asLong());
      }
      if (n.isObject() && n.has("result")) {
        return new Step(n.get("result"), null, null, 0);
      }
      return new Step(n, null, null, 0);
    }
  }

  private final Map<String, Deque<Step>> scripts = new HashMap<>();
  private final List<TaskInvocation> invocations = new ArrayList<>();

  ScriptedTasks script(String state, Step... steps) {
    scripts.computeIfAbsent(state, k -> new ArrayDeque<>()).addAll(List.of(steps));
    return this;
  }

  ScriptedTasks scriptJson(JsonNode scriptByState) {
    if (scriptByState != null) {
      scriptByState
          .fields()
          .forEachRemaining(
              e -> {
                for (JsonNode step : e.getValue()) {
                  script(e.getKey(), Step.of(step));
                }
              });
    }
    return this;
  }

  synchronized List<TaskInvocation> invocations() {
    return List.copyOf(invocations);
  }

  @Override
  public JsonNode invoke(TaskInvocation invocation)
      throws TaskFailedException, InterruptedException {
    Step step;
    synchronized (this) {
      invocations.add(invocation);
      Deque<Step> q = scripts.get(invocation.stateName());
      if (q == null || q.isEmpty()) {
        return invocation.parameters();
      }
      step = q.size() > 1 ? q.poll() : q.peek();
    }
    if (step.sleepMillis() > 0) {
      Thread.sleep(step.sleepMillis());
    }
    if (step.error() != null) {
      throw new TaskFailedException(step.error(), step.cause());
    }
    return step.result() != null ? step.result() : MAPPER.nullNode();
  }
}
