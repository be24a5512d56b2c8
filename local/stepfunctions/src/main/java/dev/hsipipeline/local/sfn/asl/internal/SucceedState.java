package dev.hsipipeline.local.sfn.asl.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/** Succeed: ends the machine successfully with InputPath/OutputPath applied. */
public final class SucceedState extends State {
  static final Set<String> FIELDS = Set.of("InputPath", "OutputPath");

  SucceedState(String name, IoPath inputPath, IoPath outputPath) {
    super(name, null, inputPath, outputPath);
  }

  static SucceedState parse(StateSpec s) {
    return new SucceedState(s.name, s.inputPath, s.outputPath);
  }

  @Override
  String type() {
    return "Succeed";
  }

  @Override
  Step execute(Engine engine, Frame frame, JsonNode input) throws StateFailure {
    ContextObject ctx = frame.context();
    return new Step(
        outputPath.apply("OutputPath", inputPath.apply("InputPath", input, ctx), ctx), null);
  }
}
