package dev.hsipipeline.local.sfn.asl.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns definition JSON into a compiled {@link StateMachine}, checking everything on the way and
 * collecting every problem with its location (e.g. {@code /States/Foo/Next}) rather than stopping
 * at the first.
 */
public final class DefinitionParser {

  /** The outcome: a machine when there were no problems, and the problems found. */
  public record Parsed(
      JsonNode json,
      StateMachine machine,
      List<dev.hsipipeline.local.sfn.asl.ValidationError> errors) {}

  static final String JSONATA_UNSUPPORTED =
      "JSONata query language is not supported by the local interpreter";

  private static final Set<String> TOP_FIELDS =
      Set.of("StartAt", "States", "Comment", "Version", "TimeoutSeconds", "QueryLanguage");
  private static final Set<String> BRANCH_FIELDS = Set.of("StartAt", "States", "Comment");
  private static final Set<String> PROCESSOR_FIELDS =
      Set.of("StartAt", "States", "Comment", "ProcessorConfig");

  private static final Set<String> COMMON = Set.of("Type", "Comment", "QueryLanguage");
  private static final Map<String, Set<String>> FIELDS =
      Map.of(
          "Pass",
              Set.of(
                  "Next", "End", "InputPath", "OutputPath", "ResultPath", "Parameters", "Result"),
          "Task",
              Set.of(
                  "Next",
                  "End",
                  "InputPath",
                  "OutputPath",
                  "ResultPath",
                  "Parameters",
                  "ResultSelector",
                  "Resource",
                  "TimeoutSeconds",
                  "TimeoutSecondsPath",
                  "HeartbeatSeconds",
                  "HeartbeatSecondsPath",
                  "Retry",
                  "Catch",
                  "Credentials"),
          "Choice", Set.of("Choices", "Default", "InputPath", "OutputPath"),
          "Wait",
              Set.of(
                  "Next",
                  "End",
                  "InputPath",
                  "OutputPath",
                  "Seconds",
                  "Timestamp",
                  "SecondsPath",
                  "TimestampPath"),
          "Succeed", Set.of("InputPath", "OutputPath"),
          "Fail", Set.of("Error", "Cause", "ErrorPath", "CausePath"),
          "Parallel",
              Set.of(
                  "Next",
                  "End",
                  "InputPath",
                  "OutputPath",
                  "ResultPath",
                  "Parameters",
                  "ResultSelector",
                  "Branches",
                  "Retry",
                  "Catch"),
          "Map",
              Set.of(
                  "Next",
                  "End",
                  "InputPath",
                  "OutputPath",
                  "ResultPath",
                  "Parameters",
                  "ItemSelector",
                  "ResultSelector",
                  "ItemsPath",
                  "Iterator",
                  "ItemProcessor",
                  "MaxConcurrency",
                  "MaxConcurrencyPath",
                  "ToleratedFailureCount",
                  "ToleratedFailureCountPath",
                  "ToleratedFailurePercentage",
                  "ToleratedFailurePercentagePath",
                  "Retry",
                  "Catch",
                  "Label",
                  "ItemReader",
                  "ItemBatcher",
                  "ResultWriter"));
  private static final Set<String> JSONATA_ONLY =
      Set.of("Arguments", "Output", "Items", "Condition");

  private final Problems problems = new Problems();

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
    List<dev.hsipipeline.local.sfn.asl.ValidationError> errors = p.problems.list();
    return new Parsed(json, errors.isEmpty() ? m : null, errors);
  }

  // ---------------------------------------------------------------- machines

  private StateMachine machine(JsonNode node, String loc, Set<String> allowed, boolean top) {
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
          positiveInt(
              node.get("TimeoutSeconds"), loc + "/TimeoutSeconds", "TimeoutSeconds", 99_999_999);
    }
    JsonNode statesNode = node.get("States");
    Map<String, State> states = new LinkedHashMap<>();
    Map<String, List<String[]>> transitions = new LinkedHashMap<>(); // state -> [target, location]
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
        List<String[]> targets = new ArrayList<>();
        State s = state(name, e.getValue(), sloc, targets);
        transitions.put(name, targets);
        if (s != null) {
          states.put(name, s);
        }
      }
    }
    JsonNode startAt = node.get("StartAt");
    String start = null;
    if (startAt == null || !startAt.isTextual()) {
      problems.add(
          Problems.SCHEMA,
          loc + "/StartAt",
          "'StartAt' is required and must be the name of a state");
    } else {
      start = startAt.textValue();
      if (statesNode != null && statesNode.isObject() && !statesNode.has(start)) {
        problems.add(
            Problems.MISSING_TARGET,
            loc + "/StartAt",
            "'StartAt' names state '" + start + "', which does not exist");
        start = null;
      }
    }
    // Every transition target must exist in this (sub)machine.
    for (Map.Entry<String, List<String[]>> e : transitions.entrySet()) {
      for (String[] t : e.getValue()) {
        if (!transitions.containsKey(t[0])) {
          problems.add(
              Problems.MISSING_TARGET,
              t[1],
              "Missing 'Next' target: no state named '"
                  + t[0]
                  + "' in this "
                  + (top ? "state machine" : "branch"));
        }
      }
    }
    if (start != null) {
      Set<String> seen = new HashSet<>();
      Deque<String> todo = new ArrayDeque<>(List.of(start));
      while (!todo.isEmpty()) {
        String n = todo.pop();
        if (seen.add(n) && transitions.containsKey(n)) {
          for (String[] t : transitions.get(n)) {
            todo.push(t[0]);
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
    return new StateMachine(start, Map.copyOf(states), timeout);
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

  private State state(String name, JsonNode node, String loc, List<String[]> targets) {
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
    Set<String> allowed = FIELDS.get(type);
    if (allowed == null) {
      problems.add(
          Problems.SCHEMA,
          loc + "/Type",
          "Unknown state type '"
              + type
              + "'; expected one of Pass, Task, Choice, Wait, Succeed, Fail, Parallel, Map");
      return null;
    }
    queryLanguage(node, loc);
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
    String next = null;
    if (allowed.contains("Next")) {
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
      if (n != null) {
        if (!n.isTextual()) {
          problems.add(Problems.SCHEMA, loc + "/Next", "'Next' must be a state name");
        } else {
          next = n.textValue();
          targets.add(new String[] {next, loc + "/Next"});
        }
      }
    }
    IoPath inputPath = ioPath(node, "InputPath", loc);
    IoPath outputPath = ioPath(node, "OutputPath", loc);
    return switch (type) {
      case "Pass" ->
          new PassState(
              name,
              next,
              inputPath,
              outputPath,
              template(node, "Parameters", loc),
              node.get("Result"),
              resultPath(node, loc));
      case "Succeed" -> new SucceedState(name, inputPath, outputPath);
      case "Fail" -> fail(name, node, loc);
      case "Choice" -> choice(name, node, loc, inputPath, outputPath, targets);
      case "Wait" -> waitState(name, next, node, loc, inputPath, outputPath);
      case "Task" -> task(name, next, node, loc, inputPath, outputPath, targets);
      case "Parallel" -> parallel(name, next, node, loc, inputPath, outputPath, targets);
      case "Map" -> map(name, next, node, loc, inputPath, outputPath, targets);
      default -> null;
    };
  }

  private FailState fail(String name, JsonNode node, String loc) {
    String error = optString(node, "Error", loc);
    String cause = optString(node, "Cause", loc);
    DynamicValue errorPath = dynamic(node, "ErrorPath", loc);
    DynamicValue causePath = dynamic(node, "CausePath", loc);
    if (node.has("Error") && node.has("ErrorPath")) {
      problems.add(Problems.SCHEMA, loc, "A Fail state may have 'Error' or 'ErrorPath', not both");
    }
    if (node.has("Cause") && node.has("CausePath")) {
      problems.add(Problems.SCHEMA, loc, "A Fail state may have 'Cause' or 'CausePath', not both");
    }
    return new FailState(name, error, cause, errorPath, causePath);
  }

  private ChoiceState choice(
      String name, JsonNode node, String loc, IoPath in, IoPath out, List<String[]> targets) {
    JsonNode choices = node.get("Choices");
    List<ChoiceState.Branch> branches = new ArrayList<>();
    if (choices == null || !choices.isArray() || choices.isEmpty()) {
      problems.add(
          Problems.SCHEMA, loc + "/Choices", "A Choice state needs a non-empty 'Choices' array");
    } else {
      for (int i = 0; i < choices.size(); i++) {
        String cloc = loc + "/Choices/" + i;
        JsonNode c = choices.get(i);
        ChoiceRule rule = ChoiceRule.compile(c, cloc, true, problems);
        JsonNode nextNode = c.get("Next");
        if (nextNode != null && nextNode.isTextual()) {
          targets.add(new String[] {nextNode.textValue(), cloc + "/Next"});
          branches.add(new ChoiceState.Branch(rule, nextNode.textValue()));
        } else if (nextNode != null) {
          problems.add(Problems.SCHEMA, cloc + "/Next", "'Next' must be a state name");
        }
      }
    }
    String def = optString(node, "Default", loc);
    if (def != null) {
      targets.add(new String[] {def, loc + "/Default"});
    }
    return new ChoiceState(name, in, out, List.copyOf(branches), def);
  }

  private WaitState waitState(
      String name, String next, JsonNode node, String loc, IoPath in, IoPath out) {
    int count = 0;
    long seconds = 0;
    Instant timestamp = null;
    ReferencePath secondsPath = null;
    ReferencePath timestampPath = null;
    if (node.has("Seconds")) {
      count++;
      JsonNode v = node.get("Seconds");
      if (!v.isIntegralNumber() || v.longValue() < 0 || v.longValue() > 99_999_999) {
        problems.add(
            Problems.SCHEMA,
            loc + "/Seconds",
            "'Seconds' must be a non-negative integer (at most 99999999)");
      } else {
        seconds = v.longValue();
      }
    }
    if (node.has("Timestamp")) {
      count++;
      JsonNode v = node.get("Timestamp");
      OffsetDateTime t = v.isTextual() ? ChoiceRule.parseTimestamp(v.textValue()) : null;
      if (t == null) {
        problems.add(
            Problems.SCHEMA,
            loc + "/Timestamp",
            "'Timestamp' must be an RFC 3339 timestamp such as 2016-03-14T01:59:00Z");
      } else {
        timestamp = t.toInstant();
      }
    }
    if (node.has("SecondsPath")) {
      count++;
      secondsPath = refPath(node, "SecondsPath", loc);
    }
    if (node.has("TimestampPath")) {
      count++;
      timestampPath = refPath(node, "TimestampPath", loc);
    }
    if (count != 1) {
      problems.add(
          Problems.SCHEMA,
          loc,
          "A Wait state needs exactly one of 'Seconds', 'Timestamp', 'SecondsPath', 'TimestampPath' (found "
              + count
              + ")");
    }
    return new WaitState(name, next, in, out, seconds, timestamp, secondsPath, timestampPath);
  }

  private TaskState task(
      String name,
      String next,
      JsonNode node,
      String loc,
      IoPath in,
      IoPath out,
      List<String[]> targets) {
    String resource = optString(node, "Resource", loc);
    if (resource == null) {
      if (!node.has("Resource")) {
        problems.add(Problems.SCHEMA, loc + "/Resource", "A Task state needs a 'Resource' ARN");
      }
      resource = "";
    } else if (!resource.startsWith("arn:")) {
      problems.add(
          Problems.SCHEMA,
          loc + "/Resource",
          "'Resource' must be an ARN (arn:...), got '" + resource + "'");
    }
    long timeout = 0;
    long heartbeat = 0;
    if (node.has("TimeoutSeconds")) {
      timeout =
          positiveInt(
              node.get("TimeoutSeconds"), loc + "/TimeoutSeconds", "TimeoutSeconds", 99_999_999);
    }
    if (node.has("HeartbeatSeconds")) {
      heartbeat =
          positiveInt(
              node.get("HeartbeatSeconds"),
              loc + "/HeartbeatSeconds",
              "HeartbeatSeconds",
              99_999_999);
    }
    if (node.has("TimeoutSeconds") && node.has("TimeoutSecondsPath")) {
      problems.add(
          Problems.SCHEMA,
          loc,
          "A Task state may have 'TimeoutSeconds' or 'TimeoutSecondsPath', not both");
    }
    if (node.has("HeartbeatSeconds") && node.has("HeartbeatSecondsPath")) {
      problems.add(
          Problems.SCHEMA,
          loc,
          "A Task state may have 'HeartbeatSeconds' or 'HeartbeatSecondsPath', not both");
    }
    if (heartbeat > 0 && timeout > 0 && heartbeat >= timeout) {
      problems.add(
          Problems.SCHEMA,
          loc + "/HeartbeatSeconds",
          "'HeartbeatSeconds' ("
              + heartbeat
              + ") must be smaller than 'TimeoutSeconds' ("
              + timeout
              + ")");
    }
    ReferencePath timeoutPath =
        node.has("TimeoutSecondsPath") ? refPath(node, "TimeoutSecondsPath", loc) : null;
    ReferencePath heartbeatPath =
        node.has("HeartbeatSecondsPath") ? refPath(node, "HeartbeatSecondsPath", loc) : null;
    return new TaskState(
        name,
        next,
        in,
        out,
        resource,
        handling(node, loc, targets, true),
        timeout,
        timeoutPath,
        heartbeat,
        heartbeatPath);
  }

  private ParallelState parallel(
      String name,
      String next,
      JsonNode node,
      String loc,
      IoPath in,
      IoPath out,
      List<String[]> targets) {
    JsonNode branches = node.get("Branches");
    List<StateMachine> machines = new ArrayList<>();
    if (branches == null || !branches.isArray() || branches.isEmpty()) {
      problems.add(
          Problems.SCHEMA,
          loc + "/Branches",
          "A Parallel state needs a non-empty 'Branches' array");
    } else {
      for (int i = 0; i < branches.size(); i++) {
        JsonNode b = branches.get(i);
        String bloc = loc + "/Branches/" + i;
        if (!b.isObject()) {
          problems.add(Problems.SCHEMA, bloc, "A branch must be an object with StartAt and States");
        } else {
          machines.add(machine(b, bloc, BRANCH_FIELDS, false));
        }
      }
    }
    return new ParallelState(
        name, next, in, out, List.copyOf(machines), handling(node, loc, targets, true));
  }

  private MapState map(
      String name,
      String next,
      JsonNode node,
      String loc,
      IoPath in,
      IoPath out,
      List<String[]> targets) {
    for (String distributed : List.of("ItemReader", "ItemBatcher", "ResultWriter")) {
      if (node.has(distributed)) {
        problems.add(
            Problems.UNSUPPORTED,
            loc + "/" + distributed,
            "'"
                + distributed
                + "' belongs to the Distributed Map, which the local interpreter does not support; use an inline Map");
      }
    }
    JsonNode processorNode = node.get("ItemProcessor");
    String ploc = loc + "/ItemProcessor";
    if (processorNode != null && node.has("Iterator")) {
      problems.add(
          Problems.SCHEMA,
          loc,
          "A Map state may have 'ItemProcessor' or the older 'Iterator', not both");
    }
    if (processorNode == null) {
      processorNode = node.get("Iterator");
      ploc = loc + "/Iterator";
    }
    StateMachine processor = null;
    if (processorNode == null || !processorNode.isObject()) {
      problems.add(
          Problems.SCHEMA,
          loc + "/ItemProcessor",
          "A Map state needs an 'ItemProcessor' object with StartAt and States");
    } else {
      JsonNode config = processorNode.get("ProcessorConfig");
      if (config != null) {
        JsonNode mode = config.get("Mode");
        if (mode != null && mode.isTextual() && mode.textValue().equals("DISTRIBUTED")) {
          problems.add(
              Problems.UNSUPPORTED,
              ploc + "/ProcessorConfig/Mode",
              "Distributed Map (Mode DISTRIBUTED) is not supported by the local interpreter; use INLINE");
        } else if (mode != null && !(mode.isTextual() && mode.textValue().equals("INLINE"))) {
          problems.add(
              Problems.SCHEMA,
              ploc + "/ProcessorConfig/Mode",
              "Mode must be INLINE or DISTRIBUTED");
        }
      }
      processor =
          machine(
              processorNode,
              ploc,
              node.has("ItemProcessor") ? PROCESSOR_FIELDS : BRANCH_FIELDS,
              false);
    }
    if (node.has("ItemSelector") && node.has("Parameters")) {
      problems.add(
          Problems.SCHEMA,
          loc,
          "A Map state may have 'ItemSelector' or the older 'Parameters', not both");
    }
    PayloadTemplate selector =
        node.has("ItemSelector")
            ? template(node, "ItemSelector", loc)
            : template(node, "Parameters", loc);
    ReferencePath itemsPath = node.has("ItemsPath") ? refPath(node, "ItemsPath", loc) : null;
    long maxConcurrency =
        node.has("MaxConcurrency")
            ? nonNegativeInt(node.get("MaxConcurrency"), loc + "/MaxConcurrency", "MaxConcurrency")
            : 0;
    ReferencePath maxConcurrencyPath =
        node.has("MaxConcurrencyPath") ? refPath(node, "MaxConcurrencyPath", loc) : null;
    exclusive(node, loc, "MaxConcurrency", "MaxConcurrencyPath");
    long tolCount =
        node.has("ToleratedFailureCount")
            ? nonNegativeInt(
                node.get("ToleratedFailureCount"),
                loc + "/ToleratedFailureCount",
                "ToleratedFailureCount")
            : -1;
    ReferencePath tolCountPath =
        node.has("ToleratedFailureCountPath")
            ? refPath(node, "ToleratedFailureCountPath", loc)
            : null;
    exclusive(node, loc, "ToleratedFailureCount", "ToleratedFailureCountPath");
    double tolPct = -1;
    if (node.has("ToleratedFailurePercentage")) {
      JsonNode v = node.get("ToleratedFailurePercentage");
      if (!v.isNumber() || v.doubleValue() < 0 || v.doubleValue() > 100) {
        problems.add(
            Problems.SCHEMA,
            loc + "/ToleratedFailurePercentage",
            "'ToleratedFailurePercentage' must be a number from 0 to 100");
      } else {
        tolPct = v.doubleValue();
      }
    }
    ReferencePath tolPctPath =
        node.has("ToleratedFailurePercentagePath")
            ? refPath(node, "ToleratedFailurePercentagePath", loc)
            : null;
    exclusive(node, loc, "ToleratedFailurePercentage", "ToleratedFailurePercentagePath");
    Handling h = handling(node, loc, targets, false);
    return new MapState(
        name,
        next,
        in,
        out,
        processor,
        itemsPath,
        selector,
        maxConcurrency,
        maxConcurrencyPath,
        tolCount,
        tolCountPath,
        tolPct,
        tolPctPath,
        h);
  }

  private void exclusive(JsonNode node, String loc, String a, String b) {
    if (node.has(a) && node.has(b)) {
      problems.add(Problems.SCHEMA, loc, "A state may have '" + a + "' or '" + b + "', not both");
    }
  }

  // ---------------------------------------------------------------- shared fields

  private Handling handling(
      JsonNode node, String loc, List<String[]> targets, boolean withParameters) {
    PayloadTemplate parameters = withParameters ? template(node, "Parameters", loc) : null;
    PayloadTemplate selector = template(node, "ResultSelector", loc);
    return new Handling(
        parameters,
        selector,
        resultPath(node, loc),
        retriers(node, loc),
        catchers(node, loc, targets));
  }

  private List<Retrier> retriers(JsonNode node, String loc) {
    JsonNode retry = node.get("Retry");
    if (retry == null) {
      return List.of();
    }
    String rloc = loc + "/Retry";
    if (!retry.isArray()) {
      problems.add(Problems.SCHEMA, rloc, "'Retry' must be an array of Retriers");
      return List.of();
    }
    List<Retrier> out = new ArrayList<>();
    for (int i = 0; i < retry.size(); i++) {
      JsonNode r = retry.get(i);
      String l = rloc + "/" + i;
      if (!r.isObject()) {
        problems.add(Problems.SCHEMA, l, "A Retrier must be an object");
        continue;
      }
      onlyFields(
          r,
          l,
          Set.of(
              "ErrorEquals",
              "IntervalSeconds",
              "MaxAttempts",
              "BackoffRate",
              "MaxDelaySeconds",
              "JitterStrategy",
              "Comment"),
          "Retrier");
      List<String> errors = errorEquals(r, l, i == retry.size() - 1, "Retrier");
      double interval = 1;
      int maxAttempts = 3;
      double backoff = 2.0;
      long maxDelay = 0;
      boolean jitter = false;
      if (r.has("IntervalSeconds")) {
        interval =
            positiveInt(
                r.get("IntervalSeconds"), l + "/IntervalSeconds", "IntervalSeconds", 99_999_999);
      }
      if (r.has("MaxAttempts")) {
        JsonNode v = r.get("MaxAttempts");
        if (!v.isIntegralNumber() || v.longValue() < 0 || v.longValue() > 99_999_999) {
          problems.add(
              Problems.SCHEMA,
              l + "/MaxAttempts",
              "'MaxAttempts' must be an integer from 0 to 99999999, got " + v);
        } else {
          maxAttempts = v.intValue();
        }
      }
      if (r.has("BackoffRate")) {
        JsonNode v = r.get("BackoffRate");
        if (!v.isNumber() || v.doubleValue() < 1.0 || v.doubleValue() > 99_999_999) {
          problems.add(
              Problems.SCHEMA,
              l + "/BackoffRate",
              "'BackoffRate' must be a number of at least 1.0, got " + v);
        } else {
          backoff = v.doubleValue();
        }
      }
      if (r.has("MaxDelaySeconds")) {
        maxDelay =
            positiveInt(
                r.get("MaxDelaySeconds"), l + "/MaxDelaySeconds", "MaxDelaySeconds", 31_622_400);
      }
      if (r.has("JitterStrategy")) {
        JsonNode v = r.get("JitterStrategy");
        if (!v.isTextual() || !(v.textValue().equals("FULL") || v.textValue().equals("NONE"))) {
          problems.add(
              Problems.SCHEMA,
              l + "/JitterStrategy",
              "'JitterStrategy' must be FULL or NONE, got " + v);
        } else {
          jitter = v.textValue().equals("FULL");
        }
      }
      out.add(new Retrier(errors, interval, maxAttempts, backoff, maxDelay, jitter));
    }
    return List.copyOf(out);
  }

  private List<Catcher> catchers(JsonNode node, String loc, List<String[]> targets) {
    JsonNode c = node.get("Catch");
    if (c == null) {
      return List.of();
    }
    String cloc = loc + "/Catch";
    if (!c.isArray()) {
      problems.add(Problems.SCHEMA, cloc, "'Catch' must be an array of Catchers");
      return List.of();
    }
    List<Catcher> out = new ArrayList<>();
    for (int i = 0; i < c.size(); i++) {
      JsonNode r = c.get(i);
      String l = cloc + "/" + i;
      if (!r.isObject()) {
        problems.add(Problems.SCHEMA, l, "A Catcher must be an object");
        continue;
      }
      onlyFields(r, l, Set.of("ErrorEquals", "Next", "ResultPath", "Comment"), "Catcher");
      List<String> errors = errorEquals(r, l, i == c.size() - 1, "Catcher");
      JsonNode next = r.get("Next");
      if (next == null || !next.isTextual()) {
        problems.add(
            Problems.SCHEMA, l + "/Next", "A Catcher needs 'Next', the name of the state to go to");
        continue;
      }
      targets.add(new String[] {next.textValue(), l + "/Next"});
      out.add(new Catcher(errors, next.textValue(), resultPath(r, l)));
    }
    return List.copyOf(out);
  }

  private List<String> errorEquals(JsonNode r, String l, boolean last, String what) {
    JsonNode e = r.get("ErrorEquals");
    List<String> errors = new ArrayList<>();
    if (e == null || !e.isArray() || e.isEmpty()) {
      problems.add(
          Problems.SCHEMA,
          l + "/ErrorEquals",
          "A " + what + " needs a non-empty 'ErrorEquals' array of error names");
      return errors;
    }
    for (int j = 0; j < e.size(); j++) {
      if (!e.get(j).isTextual()) {
        problems.add(Problems.SCHEMA, l + "/ErrorEquals/" + j, "Error names must be strings");
      } else {
        errors.add(e.get(j).textValue());
      }
    }
    if (errors.contains(Errors.ALL)) {
      if (errors.size() > 1) {
        problems.add(
            Problems.SCHEMA, l + "/ErrorEquals", "'States.ALL' must appear alone in ErrorEquals");
      }
      if (!last) {
        problems.add(
            Problems.SCHEMA,
            l + "/ErrorEquals",
            "A " + what + " with 'States.ALL' must be the last one");
      }
    }
    return List.copyOf(errors);
  }

  private void onlyFields(JsonNode node, String loc, Set<String> allowed, String what) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!allowed.contains(f)) {
        problems.add(
            Problems.SCHEMA,
            loc + "/" + Problems.seg(f),
            "Field '" + f + "' is not allowed in a " + what);
      }
    }
  }

  private PayloadTemplate template(JsonNode node, String field, String loc) {
    JsonNode t = node.get(field);
    return t == null ? null : PayloadTemplate.compile(field, t, loc + "/" + field, problems);
  }

  private IoPath ioPath(JsonNode node, String field, String loc) {
    if (!node.has(field)) {
      return IoPath.DEFAULT;
    }
    JsonNode v = node.get(field);
    if (v.isNull()) {
      return IoPath.NULL;
    }
    if (!v.isTextual()) {
      problems.add(
          Problems.SCHEMA, loc + "/" + field, "'" + field + "' must be a JSONPath string or null");
      return IoPath.DEFAULT;
    }
    try {
      return new IoPath(Path.compile(v.textValue()), false);
    } catch (IllegalArgumentException e) {
      problems.add(
          Problems.INVALID_PATH,
          loc + "/" + field,
          "Invalid JSONPath '" + v.textValue() + "' in " + field + ": " + e.getMessage());
      return IoPath.DEFAULT;
    }
  }

  private ResultPathField resultPath(JsonNode node, String loc) {
    if (!node.has("ResultPath")) {
      return ResultPathField.DEFAULT;
    }
    JsonNode v = node.get("ResultPath");
    if (v.isNull()) {
      return ResultPathField.DISCARD;
    }
    ReferencePath p = v.isTextual() ? ReferencePath.parse(v.textValue()) : null;
    if (p == null) {
      problems.add(
          Problems.INVALID_PATH,
          loc + "/ResultPath",
          "'ResultPath' must be null or a Reference Path ($, $.field, $['field'], $.list[0]), got "
              + v);
      return ResultPathField.DEFAULT;
    }
    return new ResultPathField(p, false);
  }

  private ReferencePath refPath(JsonNode node, String field, String loc) {
    JsonNode v = node.get(field);
    ReferencePath p = v != null && v.isTextual() ? ReferencePath.parse(v.textValue()) : null;
    if (p == null) {
      problems.add(
          Problems.INVALID_PATH,
          loc + "/" + field,
          "'" + field + "' must be a Reference Path ($, $.field, $['field'], $.list[0]), got " + v);
    }
    return p;
  }

  private DynamicValue dynamic(JsonNode node, String field, String loc) {
    JsonNode v = node.get(field);
    if (v == null) {
      return null;
    }
    if (!v.isTextual()) {
      problems.add(
          Problems.SCHEMA,
          loc + "/" + field,
          "'" + field + "' must be a JSONPath or intrinsic function string");
      return null;
    }
    try {
      return DynamicValue.compile(v.textValue());
    } catch (IllegalArgumentException e) {
      problems.add(
          Problems.INVALID_PATH,
          loc + "/" + field,
          "Invalid value '" + v.textValue() + "' in " + field + ": " + e.getMessage());
      return null;
    }
  }

  private String optString(JsonNode node, String field, String loc) {
    JsonNode v = node.get(field);
    if (v == null) {
      return null;
    }
    if (!v.isTextual()) {
      problems.add(Problems.SCHEMA, loc + "/" + field, "'" + field + "' must be a string");
      return null;
    }
    return v.textValue();
  }

  private long positiveInt(JsonNode v, String loc, String field, long max) {
    if (!v.isIntegralNumber() || v.longValue() < 1 || v.longValue() > max) {
      problems.add(
          Problems.SCHEMA,
          loc,
          "'" + field + "' must be a positive integer (1 to " + max + "), got " + v);
      return 1;
    }
    return v.longValue();
  }

  private long nonNegativeInt(JsonNode v, String loc, String field) {
    if (!v.isIntegralNumber() || v.longValue() < 0) {
      problems.add(
          Problems.SCHEMA, loc, "'" + field + "' must be a non-negative integer, got " + v);
      return 0;
    }
    return v.longValue();
  }
}
