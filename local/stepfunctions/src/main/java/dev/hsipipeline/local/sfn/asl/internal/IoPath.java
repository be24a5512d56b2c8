package dev.hsipipeline.local.sfn.asl.internal;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An InputPath/OutputPath value: absent means {@code $} (pass everything), JSON null means an empty
 * object, otherwise a Path.
 */
public record IoPath(Path path, boolean isNull) {
  public static final IoPath DEFAULT = new IoPath(null, false);
  public static final IoPath NULL = new IoPath(null, true);

  JsonNode apply(String field, JsonNode value, ContextObject ctx) throws StateFailure {
    if (isNull) {
      return Json.object();
    }
    if (path == null) {
      return value;
    }
    JsonNode out = path.read(value, ctx);
    if (out == null) {
      throw new StateFailure(
          Errors.RUNTIME,
          "Invalid path '"
              + path.text()
              + "' : No results for path: "
              + path.text()
              + " (field "
              + field
              + ") in "
              + Json.write(value));
    }
    return out;
  }
}
