package dev.hsipipeline.local.sfn.asl.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** Choice: the first rule that matches picks Next; otherwise Default or States.NoChoiceMatched. */
public final class ChoiceState extends State {
  /** A top-level rule and where it leads. */
  record Branch(ChoiceRule rule, String next) {}

  private final List<Branch> choices;
  private final String defaultNext;

  ChoiceState(
      String name, IoPath inputPath, IoPath outputPath, List<Branch> choices, String defaultNext) {
    super(name, null, inputPath, outputPath);
    this.choices = choices;
    this.defaultNext = defaultNext;
  }

  @Override
  String type() {
    return "Choice";
  }

  @Override
  Step execute(Engine engine, Frame frame, JsonNode input) throws StateFailure {
    ContextObject ctx = frame.context();
    JsonNode effective = inputPath.apply("InputPath", input, ctx);
    String target = null;
    for (Branch b : choices) {
      if (b.rule().test(effective, ctx)) {
        target = b.next();
        break;
      }
    }
    if (target == null) {
      target = defaultNext;
    }
    if (target == null) {
      throw new StateFailure(
          Errors.NO_CHOICE_MATCHED,
          "No Choice Rule of state '"
              + name
              + "' matched the input and the state has no Default: "
              + Json.write(effective));
    }
    return new Step(outputPath.apply("OutputPath", effective, ctx), target);
  }
}
