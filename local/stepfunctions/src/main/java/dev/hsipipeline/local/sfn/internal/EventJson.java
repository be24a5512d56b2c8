package dev.hsipipeline.local.sfn.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import java.util.Set;

/** History events in GetExecutionHistory's shape: the details under the member AWS names. */
final class EventJson {
  /** Event types whose details use their own key (lowerCamel(type) + "EventDetails"). */
  private static final Set<String> TYPES_WITH_DETAILS =
      Set.of(
          "ActivityFailed",
          "ActivityScheduleFailed",
          "ActivityScheduled",
          "ActivityStarted",
          "ActivitySucceeded",
          "ActivityTimedOut",
          "TaskFailed",
          "TaskScheduled",
          "TaskStartFailed",
          "TaskStarted",
          "TaskSubmitFailed",
          "TaskSubmitted",
          "TaskSucceeded",
          "TaskTimedOut",
          "ExecutionFailed",
          "ExecutionStarted",
          "ExecutionSucceeded",
          "ExecutionAborted",
          "ExecutionTimedOut",
          "ExecutionRedriven",
          "MapStateStarted",
          "MapIterationStarted",
          "MapIterationSucceeded",
          "MapIterationFailed",
          "MapIterationAborted",
          "LambdaFunctionFailed",
          "LambdaFunctionScheduleFailed",
          "LambdaFunctionScheduled",
          "LambdaFunctionStartFailed",
          "LambdaFunctionSucceeded",
          "LambdaFunctionTimedOut",
          "MapRunStarted",
          "MapRunFailed",
          "MapRunRedriven",
          "EvaluationFailed");

  /** The two MapIteration* detail keys share one shape but AWS names them per type. */
  private static final Set<String> DATA_FIELDS =
      Set.of("input", "inputDetails", "output", "outputDetails");

  private EventJson() {}

  /** One event in GetExecutionHistory's shape. */
  static ObjectNode of(HistoryEvent e, boolean includeData) {
    ObjectNode n = Json.object();
    n.put("timestamp", Json.epochSeconds(e.timestampMillis()));
    n.put("type", e.type());
    n.put("id", e.id());
    n.put("previousEventId", e.previousEventId());
    String key = detailsKey(e.type());
    if (key != null && e.detailsJson() != null) {
      if (includeData) {
        n.putRawValue(key, new RawValue(e.detailsJson()));
      } else {
        try {
          ObjectNode d = (ObjectNode) Json.MAPPER.readTree(e.detailsJson());
          d.remove(DATA_FIELDS);
          n.set(key, d);
        } catch (JsonProcessingException | ClassCastException ex) {
          throw ApiException.internal("Stored event " + e.id() + " has unreadable details");
        }
      }
    }
    return n;
  }

  /** The HistoryEvent member that carries a type's details, as the AWS model names it. */
  static String detailsKey(String type) {
    if (type.endsWith("StateEntered")) {
      return "stateEnteredEventDetails";
    }
    if (type.endsWith("StateExited")) {
      return "stateExitedEventDetails";
    }
    if (TYPES_WITH_DETAILS.contains(type)) {
      return Character.toLowerCase(type.charAt(0)) + type.substring(1) + "EventDetails";
    }
    return null;
  }
}
