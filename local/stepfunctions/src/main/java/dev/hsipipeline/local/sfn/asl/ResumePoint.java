package dev.hsipipeline.local.sfn.asl;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hsipipeline.local.sfn.asl.internal.ChildResults;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where an interrupted or redriven execution continues: the top-level state it was last in, with
 * the input that state was entered with, read back from the recorded history.
 *
 * <p>The state is run again from its start (a Task is invoked again): what the interrupted attempt
 * did is not known, so resuming is at-least-once for that one state, like a retry. States that had
 * already exited are not re-run; neither are the Map iterations and Parallel branches of the state
 * that succeeded in its latest attempt (their recorded outputs are kept), as AWS's RedriveExecution
 * does.
 *
 * @param stateName top-level state to run next
 * @param stateInput the input it was entered with
 * @param redriveCount how many times this execution has been resumed, this time included
 * @param succeededChildren when {@code stateName} is a Map or Parallel state: the outputs of its
 *     iterations / branches (by index) that succeeded and are not run again
 */
public record ResumePoint(
    String stateName,
    JsonNode stateInput,
    int redriveCount,
    Map<Integer, JsonNode> succeededChildren) {
  /** History event type recorded when an execution is resumed (the AWS name for a redrive). */
  public static final String REDRIVEN_EVENT = "ExecutionRedriven";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final java.util.Set<String> TERMINAL =
      java.util.Set.of(
          "ExecutionSucceeded", "ExecutionFailed", "ExecutionAborted", "ExecutionTimedOut");

  /**
   * A recorded history event: its id and previousEventId as GetExecutionHistory numbers them, its
   * type and its details object (null when it has none).
   */
  public record Event(long id, long previousEventId, String type, JsonNode details) {
    /** An event whose ids are unknown: Map/Parallel results cannot be attributed, none is kept. */
    public Event(String type, JsonNode details) {
      this(0, 0, type, details);
    }
  }

  public ResumePoint {
    Objects.requireNonNull(stateName, "stateName");
    Objects.requireNonNull(stateInput, "stateInput");
    succeededChildren = Map.copyOf(succeededChildren);
  }

  /** A resume point that keeps no Map/Parallel results. */
  public ResumePoint(String stateName, JsonNode stateInput, int redriveCount) {
    this(stateName, stateInput, redriveCount, Map.of());
  }

  /**
   * Finds the resume point in a history (ascending event ids, ExecutionStarted first).
   *
   * @throws IllegalArgumentException when the history cannot be resumed: it has ended, or a
   *     recorded state input is not JSON
   */
  public static ResumePoint find(
      AslDefinition definition, JsonNode executionInput, List<Event> history) {
    String last = history.isEmpty() ? "" : history.get(history.size() - 1).type();
    if (TERMINAL.contains(last)) {
      throw new IllegalArgumentException("the execution has already ended (" + last + ")");
    }
    return locate(definition, executionInput, history);
  }

  /**
   * Finds where a redrive of an execution that ended FAILED, TIMED_OUT or ABORTED continues: the
   * top-level state that was unsuccessful, with the input it was entered with (AWS
   * RedriveExecution: states that succeeded are not run again).
   *
   * @throws IllegalArgumentException when the execution succeeded or has not ended, or a recorded
   *     state input is not JSON
   */
  public static ResumePoint findForRedrive(
      AslDefinition definition, JsonNode executionInput, List<Event> history) {
    String last = history.isEmpty() ? "" : history.get(history.size() - 1).type();
    if (!last.equals("ExecutionFailed")
        && !last.equals("ExecutionTimedOut")
        && !last.equals("ExecutionAborted")) {
      throw new IllegalArgumentException(
          "only an execution that ended FAILED, TIMED_OUT or ABORTED can be redriven"
              + (last.isEmpty() ? "" : " (its last event is " + last + ")"));
    }
    return locate(definition, executionInput, history.subList(0, history.size() - 1));
  }

  private static ResumePoint locate(
      AslDefinition definition, JsonNode executionInput, List<Event> history) {
    String current = null;
    boolean currentNests = false;
    String lastState = null;
    String lastInput = null;
    int redrives = 0;
    for (Event e : history) {
      String type = e.type();
      if (TERMINAL.contains(type)) {
        continue; // the end of an attempt before a redrive
      }
      if (type.equals(REDRIVEN_EVENT)) {
        redrives++;
        continue;
      }
      JsonNode name = e.details() == null ? null : e.details().get("name");
      if (name == null) {
        continue;
      }
      // Events of a Parallel branch or Map iteration belong to the enclosing top-level state.
      if (type.endsWith("StateEntered")
          && !(current != null && currentNests)
          && definition.machine().states().containsKey(name.asText())) {
        current = name.asText();
        currentNests = type.equals("ParallelStateEntered") || type.equals("MapStateEntered");
        lastState = current;
        lastInput = e.details().path("input").asText(null);
      } else if (type.endsWith("StateExited") && name.asText().equals(current)) {
        current = null;
        currentNests = false;
      }
    }
    if (lastState == null) {
      return new ResumePoint(definition.machine().startAt(), executionInput, redrives + 1);
    }
    if (current == null) {
      // Interrupted between a state's exit and the next one's entry; which state comes next
      // depends on how it exited (Next or a Catch), so the exited state runs again.
      current = lastState;
    }
    try {
      JsonNode input = lastInput == null ? JSON.nullNode() : JSON.readTree(lastInput);
      return new ResumePoint(
          current, input, redrives + 1, ChildResults.find(definition.machine(), current, history));
    } catch (JsonProcessingException ex) {
      throw new IllegalArgumentException(
          "the recorded input of state '" + current + "' is not JSON: " + ex.getOriginalMessage(),
          ex);
    }
  }
}
