package dev.hsipipeline.local.sfn.asl.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/** Fail: ends the machine with Error/Cause, or ErrorPath/CausePath (a path or intrinsic). */
public final class FailState extends State {
  static final Set<String> FIELDS = Set.of("Error", "Cause", "ErrorPath", "CausePath");

  private final String error;
  private final String cause;
  private final DynamicValue errorPath;
  private final DynamicValue causePath;

  FailState(
      String name, String error, String cause, DynamicValue errorPath, DynamicValue causePath) {
    super(name, null, IoPath.DEFAULT, IoPath.DEFAULT);
    this.error = error;
    this.cause = cause;
    this.errorPath = errorPath;
    this.causePath = causePath;
  }

  static FailState parse(StateSpec s) {
    JsonNode node = s.node;
    String error = s.fields.optString(node, "Error", s.loc);
    String cause = s.fields.optString(node, "Cause", s.loc);
    DynamicValue errorPath = s.fields.dynamic(node, "ErrorPath", s.loc);
    DynamicValue causePath = s.fields.dynamic(node, "CausePath", s.loc);
    if (node.has("Error") && node.has("ErrorPath")) {
      s.problem(Problems.SCHEMA, s.loc, "A Fail state may have 'Error' or 'ErrorPath', not both");
    }
    if (node.has("Cause") && node.has("CausePath")) {
      s.problem(Problems.SCHEMA, s.loc, "A Fail state may have 'Cause' or 'CausePath', not both");
    }
    return new FailState(s.name, error, cause, errorPath, causePath);
  }

  @Override
  String type() {
    return "Fail";
  }

  @Override
  Step execute(Engine engine, Frame frame, JsonNode input) throws StateFailure {
    ContextObject ctx = frame.context();
    String e = errorPath != null ? errorPath.string("ErrorPath", input, ctx) : error;
    String c = causePath != null ? causePath.string("CausePath", input, ctx) : cause;
    throw new StateFailure(e, c);
  }
}
