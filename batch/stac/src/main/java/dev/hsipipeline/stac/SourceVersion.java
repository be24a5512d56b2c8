package dev.hsipipeline.stac;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.hsipipeline.job.S3Uri;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One version of a source object an item was made from: its address, ETag and size, recorded on the
 * item as {@code hsi:sources} so a later run can tell "unchanged" (ADR 0163).
 *
 * @param object the source object
 * @param eTag its ETag when the job read it
 * @param size its size in bytes
 */
public record SourceVersion(S3Uri object, String eTag, long size) {
  /** Item property holding the source versions. */
  public static final String PROPERTY = "hsi:sources";

  /** Validates. */
  public SourceVersion {
    Objects.requireNonNull(object, "object");
    Objects.requireNonNull(eTag, "eTag");
    if (size < 0) throw new IllegalArgumentException("size must be >= 0");
  }

  /** The {@code hsi:sources} array. */
  public static ArrayNode toJson(ObjectMapper json, List<SourceVersion> sources) {
    ArrayNode a = json.createArrayNode();
    for (SourceVersion s : sources)
      a.addObject().put("href", s.object().toString()).put("etag", s.eTag()).put("size", s.size());
    return a;
  }

  /** The source versions an existing item records; empty when it records none. */
  public static List<SourceVersion> of(JsonNode item) {
    List<SourceVersion> out = new ArrayList<>();
    for (JsonNode s : item.path("properties").path(PROPERTY)) {
      String href = s.path("href").asText("");
      if (!S3Uri.looksLike(href)
          || !s.path("etag").isTextual()
          || !s.path("size").canConvertToLong())
        return List.of(); // not ours or damaged: treat as unknown, so the work is redone
      try {
        out.add(
            new SourceVersion(S3Uri.parse(href), s.get("etag").asText(), s.get("size").asLong()));
      } catch (RuntimeException e) {
        return List.of();
      }
    }
    return out;
  }

  /**
   * True when an existing item was made from exactly these versions (same objects, ETags and sizes,
   * in any order): re-running would redo the same work.
   */
  public static boolean unchanged(JsonNode existingItem, List<SourceVersion> now) {
    List<SourceVersion> before = of(existingItem);
    return !before.isEmpty()
        && before.size() == now.size()
        && new java.util.HashSet<>(before).equals(new java.util.HashSet<>(now));
  }
}
