package dev.hsipipeline.local.sfn.asl.internal;

import com.fasterxml.jackson.databind.JsonNode;

/** A field whose value comes from a path or an intrinsic function (ErrorPath, CausePath). */
public record DynamicValue(Path path, Intrinsic intrinsic) {

  static DynamicValue compile(String text) {
    if (Intrinsic.looksLikeCall(text)) {
      return new DynamicValue(null, Intrinsic.parse(text));
    }
    return new DynamicValue(Path.compile(text), null);
  }

  JsonNode value(String field, JsonNode input, ContextObject ctx) throws StateFailure {
    if (intrinsic != null) {
      return intrinsic.evaluate(input, ctx);
    }
    JsonNode v = path.read(input, ctx);
    if (v == null) {
      throw new StateFailure(
          Errors.RUNTIME,
          "The JSONPath '"
              + path.text()
              + "' specified for the field '"
              + field
              + "' could not be found in the input '"
              + Json.write(input)
              + "'");
    }
    return v;
  }

  String string(String field, JsonNode input, ContextObject ctx) throws StateFailure {
    JsonNode v = value(field, input, ctx);
    if (!v.isTextual()) {
      throw new StateFailure(
          Errors.RUNTIME,
          "The value of "
              + field
              + " '"
              + (path != null ? path.text() : intrinsic.text())
              + "' must be a string, but was "
              + Json.typeName(v)
              + ": "
              + Json.write(v));
    }
    return v.textValue();
  }
}
