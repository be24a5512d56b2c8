package dev.hsipipeline.local.sfn.asl.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.hsipipeline.local.sfn.asl.ValidationError;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Turns definition JSON into a compiled {@link StateMachine}, checking everything on the way and
 * collecting every problem with its location (e.g. {@code /States/Foo/Next}) rather than stopping
 * at the first.
 *
 * <p>This class checks the structure (StartAt, States, transitions, reachability) and the fields
 * every state shares (Type, Next/End, InputPath/OutputPath, QueryLanguage); each state type's own
 * fields are read by its class ({@code PassState.parse}, {@code TaskState.parse}, ...), with the
 * shared readers in {@link Fields} and Retry/Catch in {@link Handling}.
 */
public final class DefinitionParser {

  /** The outcome: a machine when there were no problems, and the problems found. */
  public record Parsed(JsonNode json, StateMachine machine, List<ValidationError> errors) {}

  static final String JSONATA_UNSUPPORTED =
      "JSONata query language is not supported by the local interpreter";

  /** A state type: the fields it allows besides {@link #COMMON}, and how to read the rest. */
  private record StateType(Set<String> fields, Function<StateSpec, State> parse) {}

  private static final Map<String, StateType> TYPES =
      Map.of(
          "Pass", new StateType(PassState.FIELDS, PassState::parse),
          "Task", new StateType(TaskState.FIELDS, TaskState::parse),
          "Choice", new StateType(ChoiceState.FIELDS, ChoiceState::parse),
          "Wait", new StateType(WaitState.FIELDS, WaitState::parse),
          "Succeed", new StateType(SucceedState.FIELDS, SucceedState::parse),
          "Fail", new StateType(FailState.FIELDS, FailState::parse),
          "Parallel", new StateType(ParallelState.FIELDS, ParallelState::parse),
          "Map", new StateType(MapState.FIELDS, MapState::parse));

  private static final Set<String> TOP_FIELDS =
      Set.of("StartAt", "States", "Comment", "Version", "TimeoutSeconds", "QueryLanguage");
  private static final Set<String> COMMON = Set.of("Type", "Comment", "QueryLanguage");
  private static final Set<String> JSONATA_ONLY =
      Set.of("Arguments", "Output", "Items", "Condition");

  private final Problems problems = new Problems();
  private final Fields fields = new Fields(problems);

  private DefinitionParser() {}

  public static Parsed parse(String text) {
    DefinitionParser p = new DefinitionParser();
    JsonNode json;
    try {
      json = Json.MAPPER.readTree(text == null ? "" : text);
    } catch (JsonProcessingException e) {
      p.problems.add(
          Problems.INVALID_JSON,
          "/",
          "The definition is not valid JSON: "
              + e.getOriginalMessage()
              + (e.getLocation() == null
                  ? ""
                  : " (line "
                      + e.getLocation().getLineNr()
                      + ", column "
                      + e.getLocation().getColumnNr()
                      + ")"));
      return new Parsed(null, null, p.problems.list());
    }
    if (json == null || json.isMissingNode() || !json.isObject()) {
      p.problems.add(Problems.SCHEMA, "/", "The definition must be a JSON object");
      return new Parsed(json, null, p.problems.list());
    }
    StateMachine m = p.machine(json, "", TOP_FIELDS, true);
    List<ValidationError> errors = p.problems.list();
    return new Parsed(json, errors.isEmpty() ? m : null, errors);
  }

  // ---------------------------------------------------------------- machines

  /** The top level ({@code top}), a Parallel branch or a Map processor at {@code loc}. */
  StateMachine machine(JsonNode node, String loc, Set<String> allowed, boolean top) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!allowed.contains(f)) {
        problems.add(
            Problems.SCHEMA,
            loc + "/" + Problems.seg(f),
            "Field '"
                + f
                + "' is not supported here"
                + (top ? " (top level of a state machine)" : ""));
      }
    }
    queryLanguage(node, loc);
    long timeout = 0;
    if (top && node.has("TimeoutSeconds")) {
      timeout =
          fields.positiveInt(
              node.get("TimeoutSeconds"), loc + "/TimeoutSeconds", "TimeoutSeconds", 99_999_999);
    }
    JsonNode statesNode = node.get("States");
    Map<String, State> states = new LinkedHashMap<>();
    Map<String, List<StateSpec.Transition>> transitions = new LinkedHashMap<>();
    if (statesNode == null || !statesNode.isObject()) {
      problems.add(
          Problems.SCHEMA, loc + "/States", "'States' is required and must be an object of states");
    } else if (statesNode.isEmpty()) {
      problems.add(Problems.SCHEMA, loc + "/States", "'States' must contain at least one state");
    } else {
      for (Iterator<Map.Entry<String, JsonNode>> it = statesNode.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String name = e.getKey();
        String sloc = loc + "/States/" + Problems.seg(name);
        if (name.isEmpty() || name.length() > 80) {
          problems.add(Problems.SCHEMA, sloc, "A state name must be 1 to 80 characters long");
        }
        List<StateSpec.Transition> targets = new ArrayList<>();
        State s = state(name, e.getValue(), sloc, targets);
        transitions.put(name, targets);
        if (s != null) {
          states.put(name, s);
        }
      }
    }
    String start = startAt(node, loc, statesNode);
    checkTransitions(loc, top, start, transitions);
    return new StateMachine(start, Map.copyOf(states), timeout);
  }

  /** StartAt, or null (reported) when it is missing or names no state. */
  private String startAt(JsonNode node, String loc, JsonNode statesNode) {
    JsonNode startAt = node.get("StartAt");
    if (startAt == null || !startAt.isTextual()) {
      problems.add(
          Problems.SCHEMA,
          loc + "/StartAt",
          "'StartAt' is required and must be the name of a state");
      return null;
    }
    String start = startAt.textValue();
    if (statesNode != null && statesNode.isObject() && !statesNode.has(start)) {
      problems.add(
          Problems.MISSING_TARGET,
          loc + "/StartAt",
          "'StartAt' names state '" + start + "', which does not exist");
      return null;
    }
    return start;
  }

  /** Every transition target must exist in this (sub)machine; every state must be reachable. */
  private void checkTransitions(
      String loc, boolean top, String start, Map<String, List<StateSpec.Transition>> transitions) {
    for (Map.Entry<String, List<StateSpec.Transition>> e : transitions.entrySet()) {
      for (StateSpec.Transition t : e.getValue()) {
        if (!transitions.containsKey(t.target())) {
          problems.add(
              Problems.MISSING_TARGET,
              t.location(),
              "Missing 'Next' target: no state named '"
                  + t.target()
                  + "' in this "
                  + (top ? "state machine" : "branch"));
        }
      }
    }
    if (start == null) {
      return;
    }
    Set<String> seen = new HashSet<>();
    Deque<String> todo = new ArrayDeque<>(List.of(start));
    while (!todo.isEmpty()) {
      String n = todo.pop();
      if (seen.add(n) && transitions.containsKey(n)) {
        for (StateSpec.Transition t : transitions.get(n)) {
          todo.push(t.target());
        }
      }
    }
    for (String n : transitions.keySet()) {
      if (!seen.contains(n)) {
        problems.add(
            Problems.UNREACHABLE,
            loc + "/States/" + Problems.seg(n),
            "State '" + n + "' is not reachable from StartAt");
      }
    }
  }

  private void queryLanguage(JsonNode node, String loc) {
    JsonNode ql = node.get("QueryLanguage");
    if (ql == null) {
      return;
    }
    if (ql.isTextual() && ql.textValue().equals("JSONata")) {
      problems.add(Problems.UNSUPPORTED, loc + "/QueryLanguage", JSONATA_UNSUPPORTED);
    } else if (!ql.isTextual() || !ql.textValue().equals("JSONPath")) {
      problems.add(
          Problems.SCHEMA,
          loc + "/QueryLanguage",
          "QueryLanguage must be \"JSONPath\" or \"JSONata\"");
    }
  }

  // ---------------------------------------------------------------- states

  /** One state: Type, the fields all states share, then its type's own parse. */
  private State state(
      String name, JsonNode node, String loc, List<StateSpec.Transition> transitions) {
    if (!node.isObject()) {
      problems.add(Problems.SCHEMA, loc, "A state must be a JSON object");
      return null;
    }
    JsonNode typeNode = node.get("Type");
    if (typeNode == null || !typeNode.isTextual()) {
      problems.add(Problems.SCHEMA, loc + "/Type", "'Type' is required");
      return null;
    }
    String type = typeNode.textValue();
    StateType stateType = TYPES.get(type);
    if (stateType == null) {
      problems.add(
          Problems.SCHEMA,
          loc + "/Type",
          "Unknown state type '"
              + type
              + "'; expected one of Pass, Task, Choice, Wait, Succeed, Fail, Parallel, Map");
      return null;
    }
    queryLanguage(node, loc);
    checkFields(node, loc, type, stateType.fields());
    String next = stateType.fields().contains("Next") ? next(node, loc, type, transitions) : null;
    IoPath inputPath = fields.ioPath(node, "InputPath", loc);
    IoPath outputPath = fields.ioPath(node, "OutputPath", loc);
    return stateType
        .parse()
        .apply(
            new StateSpec(name, node, loc, next, inputPath, outputPath, fields, transitions, this));
  }

  private void checkFields(JsonNode node, String loc, String type, Set<String> allowed) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      String floc = loc + "/" + Problems.seg(f);
      if (COMMON.contains(f) || allowed.contains(f)) {
        continue;
      }
      if (JSONATA_ONLY.contains(f)) {
        problems.add(
            Problems.UNSUPPORTED,
            floc,
            "Field '" + f + "' belongs to the JSONata query language; " + JSONATA_UNSUPPORTED);
      } else if (f.equals("Assign")) {
        problems.add(
            Problems.UNSUPPORTED,
            floc,
            "Workflow variables ('Assign') are not supported by the local interpreter");
      } else {
        problems.add(
            Problems.SCHEMA, floc, "Field '" + f + "' is not allowed in a " + type + " state");
      }
    }
  }

  /** Next (declared as a transition), or null for End; exactly one of the two is required. */
  private String next(
      JsonNode node, String loc, String type, List<StateSpec.Transition> transitions) {
    JsonNode n = node.get("Next");
    JsonNode end = node.get("End");
    boolean isEnd = end != null && end.isBoolean() && end.booleanValue();
    if (end != null && !end.isBoolean()) {
      problems.add(Problems.SCHEMA, loc + "/End", "'End' must be a boolean");
    }
    if (n != null && isEnd) {
      problems.add(Problems.SCHEMA, loc, "A state must not have both 'Next' and 'End': true");
    } else if (n == null && !isEnd) {
      problems.add(
          Problems.SCHEMA, loc, "A " + type + " state must have either 'Next' or 'End': true");
    }
    if (n == null) {
      return null;
    }
    if (!n.isTextual()) {
      problems.add(Problems.SCHEMA, loc + "/Next", "'Next' must be a state name");
      return null;
    }
    transitions.add(new StateSpec.Transition(n.textValue(), loc + "/Next"));
    return n.textValue();
  }
}
