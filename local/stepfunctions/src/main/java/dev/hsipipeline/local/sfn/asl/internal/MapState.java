package dev.hsipipeline.local.sfn.asl.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Map (inline): runs the ItemProcessor once per item of ItemsPath, at most MaxConcurrency at a
 * time, each item shaped by ItemSelector (or the legacy Parameters) with {@code $$.Map.Item}.
 */
public final class MapState extends State {
  static final Set<String> FIELDS =
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
          "ResultWriter");

  /** The fields of an ItemProcessor (the legacy Iterator has those of a Parallel branch). */
  private static final Set<String> PROCESSOR_FIELDS =
      Set.of("StartAt", "States", "Comment", "ProcessorConfig");

  final StateMachine processor;
  final ReferencePath itemsPath;
  final PayloadTemplate itemSelector;
  final long maxConcurrency;
  final ReferencePath maxConcurrencyPath;
  final long toleratedFailureCount;
  final ReferencePath toleratedFailureCountPath;
  final double toleratedFailurePercentage;
  final ReferencePath toleratedFailurePercentagePath;
  final Handling handling;

  MapState(
      String name,
      String next,
      IoPath inputPath,
      IoPath outputPath,
      StateMachine processor,
      ReferencePath itemsPath,
      PayloadTemplate itemSelector,
      long maxConcurrency,
      ReferencePath maxConcurrencyPath,
      long toleratedFailureCount,
      ReferencePath toleratedFailureCountPath,
      double toleratedFailurePercentage,
      ReferencePath toleratedFailurePercentagePath,
      Handling handling) {
    super(name, next, inputPath, outputPath);
    this.processor = processor;
    this.itemsPath = itemsPath;
    this.itemSelector = itemSelector;
    this.maxConcurrency = maxConcurrency;
    this.maxConcurrencyPath = maxConcurrencyPath;
    this.toleratedFailureCount = toleratedFailureCount;
    this.toleratedFailureCountPath = toleratedFailureCountPath;
    this.toleratedFailurePercentage = toleratedFailurePercentage;
    this.toleratedFailurePercentagePath = toleratedFailurePercentagePath;
    this.handling = handling;
  }

  static MapState parse(StateSpec s) {
    JsonNode node = s.node;
    String loc = s.loc;
    Fields f = s.fields;
    for (String distributed : List.of("ItemReader", "ItemBatcher", "ResultWriter")) {
      if (node.has(distributed)) {
        s.problem(
            Problems.UNSUPPORTED,
            loc + "/" + distributed,
            "'"
                + distributed
                + "' belongs to the Distributed Map, which the local interpreter does not support; use an inline Map");
      }
    }
    StateMachine processor = processor(s);
    if (node.has("ItemSelector") && node.has("Parameters")) {
      s.problem(
          Problems.SCHEMA,
          loc,
          "A Map state may have 'ItemSelector' or the older 'Parameters', not both");
    }
    PayloadTemplate selector =
        node.has("ItemSelector")
            ? f.template(node, "ItemSelector", loc)
            : f.template(node, "Parameters", loc);
    ReferencePath itemsPath = f.optRefPath(node, "ItemsPath", loc);
    long maxConcurrency =
        node.has("MaxConcurrency")
            ? f.nonNegativeInt(
                node.get("MaxConcurrency"), loc + "/MaxConcurrency", "MaxConcurrency")
            : 0;
    ReferencePath maxConcurrencyPath = f.optRefPath(node, "MaxConcurrencyPath", loc);
    f.exclusive(node, loc, "MaxConcurrency", "MaxConcurrencyPath");
    long tolCount =
        node.has("ToleratedFailureCount")
            ? f.nonNegativeInt(
                node.get("ToleratedFailureCount"),
                loc + "/ToleratedFailureCount",
                "ToleratedFailureCount")
            : -1;
    ReferencePath tolCountPath = f.optRefPath(node, "ToleratedFailureCountPath", loc);
    f.exclusive(node, loc, "ToleratedFailureCount", "ToleratedFailureCountPath");
    double tolPct = -1;
    if (node.has("ToleratedFailurePercentage")) {
      JsonNode v = node.get("ToleratedFailurePercentage");
      if (!v.isNumber() || v.doubleValue() < 0 || v.doubleValue() > 100) {
        s.problem(
            Problems.SCHEMA,
            loc + "/ToleratedFailurePercentage",
            "'ToleratedFailurePercentage' must be a number from 0 to 100");
      } else {
        tolPct = v.doubleValue();
      }
    }
    ReferencePath tolPctPath = f.optRefPath(node, "ToleratedFailurePercentagePath", loc);
    f.exclusive(node, loc, "ToleratedFailurePercentage", "ToleratedFailurePercentagePath");
    return new MapState(
        s.name,
        s.next,
        s.inputPath,
        s.outputPath,
        processor,
        itemsPath,
        selector,
        maxConcurrency,
        maxConcurrencyPath,
        tolCount,
        tolCountPath,
        tolPct,
        tolPctPath,
        Handling.parse(s, false));
  }

  /** ItemProcessor (or the legacy Iterator); INLINE mode only. Null when missing or invalid. */
  private static StateMachine processor(StateSpec s) {
    JsonNode node = s.node;
    JsonNode processorNode = node.get("ItemProcessor");
    String ploc = s.loc + "/ItemProcessor";
    if (processorNode != null && node.has("Iterator")) {
      s.problem(
          Problems.SCHEMA,
          s.loc,
          "A Map state may have 'ItemProcessor' or the older 'Iterator', not both");
    }
    if (processorNode == null) {
      processorNode = node.get("Iterator");
      ploc = s.loc + "/Iterator";
    }
    if (processorNode == null || !processorNode.isObject()) {
      s.problem(
          Problems.SCHEMA,
          s.loc + "/ItemProcessor",
          "A Map state needs an 'ItemProcessor' object with StartAt and States");
      return null;
    }
    JsonNode config = processorNode.get("ProcessorConfig");
    if (config != null) {
      JsonNode mode = config.get("Mode");
      if (mode != null && mode.isTextual() && mode.textValue().equals("DISTRIBUTED")) {
        s.problem(
            Problems.UNSUPPORTED,
            ploc + "/ProcessorConfig/Mode",
            "Distributed Map (Mode DISTRIBUTED) is not supported by the local interpreter; use INLINE");
      } else if (mode != null && !(mode.isTextual() && mode.textValue().equals("INLINE"))) {
        s.problem(
            Problems.SCHEMA, ploc + "/ProcessorConfig/Mode", "Mode must be INLINE or DISTRIBUTED");
      }
    }
    return s.nested(
        processorNode,
        ploc,
        node.has("ItemProcessor") ? PROCESSOR_FIELDS : ParallelState.BRANCH_FIELDS);
  }

  @Override
  String type() {
    return "Map";
  }

  @Override
  Step execute(Engine engine, Frame frame, JsonNode input)
      throws StateFailure, InterruptedException, ExecutionTimedOut {
    return engine.runHandled(
        this,
        handling,
        frame,
        input,
        (effective, attempt) -> runIterations(engine, frame, effective));
  }

  /**
   * Runs the ItemProcessor once per item of ItemsPath; the result is their outputs in order. After
   * a redrive, iterations that had succeeded keep their output and do not run again.
   */
  private JsonNode runIterations(Engine engine, Frame frame, JsonNode effective)
      throws StateFailure, InterruptedException, ExecutionTimedOut {
    ContextObject ctx = frame.context();
    JsonNode items = itemsPath == null ? effective : itemsPath.read(effective);
    if (items == null || !items.isArray()) {
      throw new StateFailure(
          Errors.RUNTIME,
          "Invalid path '"
              + (itemsPath == null ? "$" : itemsPath.text())
              + "' : the value of ItemsPath must be a JSON array, but was "
              + (items == null ? "missing" : Json.typeName(items)));
    }
    long concurrency = number(maxConcurrency, maxConcurrencyPath, "MaxConcurrencyPath", effective);
    boolean tolerant =
        toleratedFailureCount >= 0
            || toleratedFailureCountPath != null
            || toleratedFailurePercentage >= 0
            || toleratedFailurePercentagePath != null;
    long toleratedCount =
        toleratedFailureCountPath != null
            ? number(0, toleratedFailureCountPath, "ToleratedFailureCountPath", effective)
            : toleratedFailureCount;
    double toleratedPct =
        toleratedFailurePercentagePath != null
            ? number(0, toleratedFailurePercentagePath, "ToleratedFailurePercentagePath", effective)
            : toleratedFailurePercentage;
    int size = items.size();
    long tolerated = 0;
    if (tolerant) {
      tolerated = Long.MAX_VALUE;
      if (toleratedCount >= 0) {
        tolerated = Math.min(tolerated, toleratedCount);
      }
      if (toleratedPct >= 0) {
        tolerated = Math.min(tolerated, (long) Math.floor(size * toleratedPct / 100.0));
      }
    }
    // Shape every item first (ItemSelector sees $$.Map.Item), so a bad path fails the state early.
    List<JsonNode> inputs = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      JsonNode item = items.get(i);
      if (itemSelector == null) {
        inputs.add(item);
      } else {
        frame.mapItemIndex = i;
        frame.mapItemValue = item;
        try {
          inputs.add(itemSelector.evaluate(effective, ctx));
        } finally {
          frame.mapItemIndex = -1;
          frame.mapItemValue = null;
        }
      }
    }
    Map<Integer, JsonNode> kept = frame.run.takeKeptChildren(this);
    ObjectNode startedDetails = Json.object();
    startedDetails.put("length", size);
    long started = frame.emit("MapStateStarted", startedDetails);
    long[] lastIds = new long[size];
    List<FanOut.Job> jobs = new ArrayList<>(size);
    int[] jobItem = new int[size];
    for (int i = 0; i < size; i++) {
      if (kept.containsKey(i)) {
        continue;
      }
      int index = i;
      jobItem[jobs.size()] = i;
      jobs.add(
          () -> {
            Frame child = new Frame(frame.run, started);
            ObjectNode iteration = Json.object();
            iteration.put("name", name);
            iteration.put("index", index);
            child.emit("MapIterationStarted", iteration);
            try {
              JsonNode out = engine.runMachine(processor, inputs.get(index), child);
              child.emit("MapIterationSucceeded", iteration.deepCopy());
              return out;
            } catch (StateFailure f) {
              child.emit("MapIterationFailed", iteration.deepCopy());
              throw f;
            } catch (InterruptedException e) {
              child.emit("MapIterationAborted", iteration.deepCopy());
              throw e;
            } finally {
              lastIds[index] = child.prev;
            }
          });
    }
    FanOut.Result result =
        FanOut.run(jobs, concurrency, tolerant ? tolerated : 0, frame.run.deadlineNanos);
    frame.prev = Math.max(frame.prev, FanOut.lastId(lastIds));
    StateFailure failure = result.failure();
    if (failure != null && tolerant) {
      failure =
          new StateFailure(
              Errors.EXCEED_TOLERATED_FAILURE_THRESHOLD,
              "The Map state '"
                  + name
                  + "' failed because "
                  + result.failures()
                  + " of its "
                  + size
                  + " iterations failed, more than the tolerated "
                  + tolerated
                  + ". Last failure: "
                  + failure.error()
                  + ": "
                  + failure.cause());
    }
    if (failure != null) {
      frame.emit("MapStateFailed", null);
      throw failure;
    }
    JsonNode[] outputs = new JsonNode[size];
    StateFailure[] failures = new StateFailure[size];
    kept.forEach(
        (i, n) -> {
          if (i < size) {
            outputs[i] = n;
          }
        });
    for (int j = 0; j < jobs.size(); j++) {
      outputs[jobItem[j]] = result.outputs()[j];
      failures[jobItem[j]] = result.itemFailures()[j];
    }
    ArrayNode out = Json.NODES.arrayNode(size);
    for (int i = 0; i < size; i++) {
      JsonNode n = outputs[i];
      if (n == null) { // a tolerated failure: keep its error in place of the output
        StateFailure f = failures[i];
        ObjectNode error = Json.object();
        error.put("Error", f.error());
        error.put("Cause", f.cause());
        n = error;
      }
      out.add(n);
    }
    frame.emit("MapStateSucceeded", null);
    return out;
  }

  /** A number field, or the number its Path field reads from the effective input. */
  private static long number(long fixed, ReferencePath path, String field, JsonNode input)
      throws StateFailure {
    if (path == null) {
      return fixed;
    }
    JsonNode v = path.read(input);
    if (v == null || !v.isNumber() || v.doubleValue() < 0) {
      throw new StateFailure(
          Errors.RUNTIME,
          "The "
              + field
              + " '"
              + path.text()
              + "' does not reference a non-negative number: "
              + (v == null ? "missing" : Json.write(v)));
    }
    return v.longValue();
  }
}
