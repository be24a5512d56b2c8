package dev.hsipipeline.local.sfn.asl.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/** Pass: InputPath → Parameters → (Result) → ResultPath → OutputPath, no work. */
public final class PassState extends State {
  static final Set<String> FIELDS =
      Set.of("Next", "End", "InputPath", "OutputPath", "ResultPath", "Parameters", "Result");

  private final PayloadTemplate parameters;
  private final JsonNode result;
  private final ResultPathField resultPath;

  PassState(
      String name,
      String next,
      IoPath inputPath,
      IoPath outputPath,
      PayloadTemplate parameters,
      JsonNode result,
      ResultPathField resultPath) {
    super(name, next, inputPath, outputPath);
    this.parameters = parameters;
    this.result = result;
    this.resultPath = resultPath;
  }

  static PassState parse(StateSpec s) {
    return new PassState(
        s.name,
        s.next,
        s.inputPath,
        s.outputPath,
        s.fields.template(s.node, "Parameters", s.loc),
        s.node.get("Result"),
        s.fields.resultPath(s.node, s.loc));
  }

  @Override
  String type() {
    return "Pass";
  }

  @Override
  Step execute(Engine engine, Frame frame, JsonNode input) throws StateFailure {
    ContextObject ctx = frame.context();
    JsonNode effective = inputPath.apply("InputPath", input, ctx);
    if (parameters != null) {
      effective = parameters.evaluate(effective, ctx);
      Engine.checkSize(effective, "the input of state '" + name + "' after Parameters");
    }
    JsonNode out = resultPath.apply(input, result != null ? result : effective);
    return new Step(outputPath.apply("OutputPath", out, ctx), next);
  }
}
