package dev.hsipipeline.local.sfn.asl.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One thread of control inside an execution: the top level, a Parallel branch or a Map iteration.
 * It remembers the last event it emitted (previousEventId of the next one) and the current state's
 * context values. Confined to one thread.
 */
final class Frame {
  final Run run;
  long prev;
  String stateName;

  /** When the current state was entered, epoch millis; formatted only if $$ is read. */
  long enteredMillis;

  /** The last output written to history and its text, reused as the next state's input text. */
  JsonNode lastOutput;

  String lastOutputText;
  long enteredEventId;
  int retryCount;

  /** Set only while a Map evaluates ItemSelector for one item. */
  JsonNode mapItemValue;

  int mapItemIndex = -1;

  private final ContextObject context = this::contextNode;

  Frame(Run run, long prev) {
    this.run = run;
    this.prev = prev;
  }

  long emit(String type, ObjectNode details) {
    prev = run.history.record(type, details, prev);
    return prev;
  }

  ContextObject context() {
    return context;
  }

  /** Built on demand: most states never read {@code $$}. */
  private JsonNode contextNode() {
    ObjectNode root = Json.object();
    root.set("Execution", run.executionNode);
    ObjectNode state = root.putObject("State");
    state.put("EnteredTime", Json.TIMESTAMP.format(java.time.Instant.ofEpochMilli(enteredMillis)));
    state.put("Name", stateName);
    state.put("RetryCount", retryCount);
    root.set("StateMachine", run.stateMachineNode);
    if (mapItemIndex >= 0) {
      ObjectNode item = root.putObject("Map").putObject("Item");
      item.put("Index", mapItemIndex);
      item.set("Value", mapItemValue);
    }
    return root;
  }
}
