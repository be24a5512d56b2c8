package dev.hsipipeline.local.sfn.asl.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
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
        (effective, attempt) -> engine.runMap(frame, this, effective));
  }
}
