package dev.hsipipeline.local.sfn.asl.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Choice: the first rule that matches picks Next; otherwise Default or States.NoChoiceMatched. */
public final class ChoiceState extends State {
  static final Set<String> FIELDS = Set.of("Choices", "Default", "InputPath", "OutputPath");

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

  static ChoiceState parse(StateSpec s) {
    JsonNode choices = s.node.get("Choices");
    List<Branch> branches = new ArrayList<>();
    if (choices == null || !choices.isArray() || choices.isEmpty()) {
      s.problem(
          Problems.SCHEMA, s.loc + "/Choices", "A Choice state needs a non-empty 'Choices' array");
    } else {
      for (int i = 0; i < choices.size(); i++) {
        String cloc = s.loc + "/Choices/" + i;
        JsonNode c = choices.get(i);
        ChoiceRule rule = ChoiceRule.compile(c, cloc, true, s.fields.problems());
        JsonNode nextNode = c.get("Next");
        if (nextNode != null && nextNode.isTextual()) {
          s.transition(nextNode.textValue(), cloc + "/Next");
          branches.add(new Branch(rule, nextNode.textValue()));
        } else if (nextNode != null) {
          s.problem(Problems.SCHEMA, cloc + "/Next", "'Next' must be a state name");
        }
      }
    }
    String def = s.fields.optString(s.node, "Default", s.loc);
    if (def != null) {
      s.transition(def, s.loc + "/Default");
    }
    return new ChoiceState(s.name, s.inputPath, s.outputPath, List.copyOf(branches), def);
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
