package dev.hsipipeline.local.sfn.asl.internal;

import com.fasterxml.jackson.databind.JsonNode;

/** One compiled state. Subclasses are immutable and shared by all executions. */
public abstract sealed class State
    permits PassState,
        TaskState,
        ChoiceState,
        WaitState,
        SucceedState,
        FailState,
        ParallelState,
        MapState {

  /** What a state decided: its output, and the next state's name (null ends the machine). */
  public record Step(JsonNode output, String next) {}

  final String name;
  final String next;
  final IoPath inputPath;
  final IoPath outputPath;

  State(String name, String next, IoPath inputPath, IoPath outputPath) {
    this.name = name;
    this.next = next;
    this.inputPath = inputPath;
    this.outputPath = outputPath;
  }

  public String name() {
    return name;
  }

  /** The Type as history event names use it: Pass, Task, Choice, ... */
  abstract String type();

  /**
   * Runs the state on its raw input. Events between StateEntered and StateExited go to the frame.
   */
  abstract Step execute(Engine engine, Frame frame, JsonNode input)
      throws StateFailure, InterruptedException, ExecutionTimedOut;
}
