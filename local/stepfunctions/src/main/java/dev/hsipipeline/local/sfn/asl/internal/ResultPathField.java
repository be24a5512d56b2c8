package dev.hsipipeline.local.sfn.asl.internal;

import com.fasterxml.jackson.databind.JsonNode;

/** ResultPath: absent means {@code $} (result replaces input), null discards the result. */
public record ResultPathField(ReferencePath path, boolean discard) {
  public static final ResultPathField DEFAULT = new ResultPathField(null, false);
  public static final ResultPathField DISCARD = new ResultPathField(null, true);

  JsonNode apply(JsonNode input, JsonNode result) throws StateFailure {
    if (discard) {
      return input;
    }
    if (path == null || path.isRoot()) {
      return result;
    }
    return path.write(input, result);
  }
}
