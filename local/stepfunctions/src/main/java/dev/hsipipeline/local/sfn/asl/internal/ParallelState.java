package dev.hsipipeline.local.sfn.asl.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Parallel: runs every branch on the same effective input; the result is their outputs in order.
 */
public final class ParallelState extends State {
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
        (effective, attempt) -> engine.runParallel(frame, this, effective));
  }
}
