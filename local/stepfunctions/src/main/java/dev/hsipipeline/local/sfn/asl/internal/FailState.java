package dev.hsipipeline.local.sfn.asl.internal;

import com.fasterxml.jackson.databind.JsonNode;

/** Fail: ends the machine with Error/Cause, or ErrorPath/CausePath (a path or intrinsic). */
public final class FailState extends State {
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
