package dev.hsipipeline.processor.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hsipipeline.hsi.BandStats;
import dev.hsipipeline.hsi.EnviHeader;
import java.util.List;

/**
 * {@code stats.json}, the statistics document the processor writes. Non-finite numbers become null.
 */
public final class ProductJson {
  private ProductJson() {}

  /**
   * {@code stats.json}.
   *
   * @param scene where the scene came from: its item's s3:// URI, or a local header path
   */
  public static String stats(ObjectMapper json, String scene, EnviHeader h, List<BandStats> stats)
      throws JsonProcessingException {
    ObjectNode root = json.createObjectNode();
    root.put("scene", scene);
    root.put("samples", h.samples());
    root.put("lines", h.lines());
    root.put("bands", h.bands());
    root.put("dataType", h.dataType().label());
    number(root, "dataIgnoreValue", h.dataIgnoreValue() == null ? Double.NaN : h.dataIgnoreValue());
    root.put(
        "std",
        "population standard deviation over valid samples (data ignore value, NaN and ±Inf excluded)");
    ArrayNode arr = root.putArray("bandStats");
    for (BandStats s : stats) {
      ObjectNode b = arr.addObject();
      b.put("band", s.band());
      if (!h.bandNames().isEmpty()) b.put("name", h.bandNames().get(s.band()));
      number(b, "wavelengthNm", s.wavelengthNm());
      b.put("good", s.good());
      b.put("count", s.count());
      number(b, "min", s.min());
      number(b, "max", s.max());
      number(b, "mean", s.mean());
      number(b, "std", s.std());
    }
    return json.writerWithDefaultPrettyPrinter().writeValueAsString(root);
  }

  private static void number(ObjectNode n, String field, double v) {
    if (Double.isFinite(v)) n.put(field, v);
    else n.putNull(field);
  }
}
