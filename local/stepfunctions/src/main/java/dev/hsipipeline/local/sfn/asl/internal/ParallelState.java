package dev.hsipipeline.local.sfn.asl.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parallel: runs every branch on the same effective input; the result is their outputs in order.
 */
public final class ParallelState extends State {
  static final Set<String> FIELDS =
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
          "Catch");

  /** The fields of a branch. */
  static final Set<String> BRANCH_FIELDS = Set.of("StartAt", "States", "Comment");

  final List<StateMachine> branches;
  final Handling handling;

  ParallelState(
      String name,
      String next,
      IoPath inputPath,
      IoPath outputPath,
      List<StateMachine> branches,
      Handling handling) {
    super(name, next, inputPath, outputPath);
    this.branches = branches;
    this.handling = handling;
  }

  static ParallelState parse(StateSpec s) {
    JsonNode branches = s.node.get("Branches");
    List<StateMachine> machines = new ArrayList<>();
    if (branches == null || !branches.isArray() || branches.isEmpty()) {
      s.problem(
          Problems.SCHEMA,
          s.loc + "/Branches",
          "A Parallel state needs a non-empty 'Branches' array");
    } else {
      for (int i = 0; i < branches.size(); i++) {
        JsonNode b = branches.get(i);
        String bloc = s.loc + "/Branches/" + i;
        if (!b.isObject()) {
          s.problem(Problems.SCHEMA, bloc, "A branch must be an object with StartAt and States");
        } else {
          machines.add(s.nested(b, bloc, BRANCH_FIELDS));
        }
      }
    }
    return new ParallelState(
        s.name, s.next, s.inputPath, s.outputPath, List.copyOf(machines), Handling.parse(s, true));
  }

  @Override
  String type() {
    return "Parallel";
  }

  @Override
  Step execute(Engine engine, Frame frame, JsonNode input)
      throws StateFailure, InterruptedException, ExecutionTimedOut {
    return engine.runHandled(
        this,
        handling,
        frame,
        input,
        (effective, attempt) -> runBranches(engine, frame, effective));
  }

  /**
   * Runs every branch on {@code input}; the result is their outputs in branch order. After a
   * redrive, branches that had succeeded keep their output and do not run again.
   */
  private JsonNode runBranches(Engine engine, Frame frame, JsonNode input)
      throws StateFailure, InterruptedException, ExecutionTimedOut {
    Map<Integer, JsonNode> kept = frame.run.takeKeptChildren(this);
    long started = frame.emit("ParallelStateStarted", null);
    List<FanOut.Job> jobs = new ArrayList<>();
    List<Integer> jobBranch = new ArrayList<>();
    long[] lastIds = new long[branches.size()];
    for (int i = 0; i < branches.size(); i++) {
      if (kept.containsKey(i)) {
        continue;
      }
      StateMachine branch = branches.get(i);
      int index = i;
      jobBranch.add(i);
      jobs.add(
          () -> {
            Frame child = new Frame(frame.run, started);
            try {
              return engine.runMachine(branch, input, child);
            } finally {
              lastIds[index] = child.prev;
            }
          });
    }
    FanOut.Result result = FanOut.run(jobs, 0, 0, frame.run.deadlineNanos);
    frame.prev = Math.max(frame.prev, FanOut.lastId(lastIds));
    if (result.failure() != null) {
      frame.emit("ParallelStateFailed", null);
      throw result.failure();
    }
    JsonNode[] outputs = new JsonNode[branches.size()];
    kept.forEach((i, n) -> outputs[i] = n);
    for (int j = 0; j < jobs.size(); j++) {
      outputs[jobBranch.get(j)] = result.outputs()[j];
    }
    ArrayNode out = Json.NODES.arrayNode(outputs.length);
    for (JsonNode n : outputs) {
      out.add(n);
    }
    frame.emit("ParallelStateSucceeded", null);
    return out;
  }
}
