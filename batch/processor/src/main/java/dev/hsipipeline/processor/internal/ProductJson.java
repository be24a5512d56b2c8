package dev.hsipipeline.processor.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hsipipeline.hsi.BandStats;
import dev.hsipipeline.hsi.CubeProcessor;
import dev.hsipipeline.hsi.EnviHeader;
import dev.hsipipeline.hsi.NdiResult;
import dev.hsipipeline.hsi.QuicklookResult;
import dev.hsipipeline.job.S3Uri;
import java.util.List;
import java.util.Map;

/** JSON documents the processor writes. Non-finite numbers become null. */
public final class ProductJson {
  private ProductJson() {}

  /** {@code stats.json}. */
  public static String stats(ObjectMapper json, S3Uri item, EnviHeader h, List<BandStats> stats)
      throws JsonProcessingException {
    ObjectNode root = json.createObjectNode();
    root.put("item", item.toString());
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

  /** The input item plus product assets, a self link and a derived_from link. */
  public static ObjectNode updatedItem(
      ObjectNode input,
      S3Uri inputUri,
      S3Uri self,
      CubeProcessor.Result r,
      Map<String, S3Uri> written) {
    ObjectNode item = input.deepCopy();
    ArrayNode links = item.putArray("links");
    links
        .addObject()
        .put("rel", "self")
        .put("href", self.toString())
        .put("type", "application/geo+json");
    links
        .addObject()
        .put("rel", "derived_from")
        .put("href", inputUri.toString())
        .put("type", "application/geo+json");
    ObjectNode assets = item.withObjectProperty("assets");
    ObjectNode props = item.withObjectProperty("properties");
    if (written.containsKey("stats")) {
      asset(
          assets,
          "stats",
          written.get("stats"),
          "application/json",
          "Per-band statistics",
          "metadata");
    }
    if (written.containsKey("ndi")) {
      NdiResult n = r.ndi();
      ObjectNode a =
          asset(
              assets,
              "ndi",
              written.get("ndi"),
              "application/octet-stream",
              "Normalized difference index ("
                  + n.wavelengthA()
                  + " nm - "
                  + n.wavelengthB()
                  + " nm)/(sum), float32 ENVI",
              "data");
      a.put("hsi:header", written.get("ndi_header").toString());
      asset(
          assets,
          "ndi_header",
          written.get("ndi_header"),
          "text/plain",
          "ENVI header of the NDI",
          "metadata");
      ObjectNode s = props.putObject("hsi:ndi");
      s.put("band_a", n.bandA());
      s.put("band_b", n.bandB());
      number(s, "wavelength_a_nm", n.wavelengthA());
      number(s, "wavelength_b_nm", n.wavelengthB());
      s.put("valid_pixels", n.validCount());
      number(s, "min", n.min());
      number(s, "max", n.max());
      number(s, "mean", n.mean());
    }
    if (written.containsKey("quicklook")) {
      QuicklookResult q = r.quicklook();
      ObjectNode a =
          asset(
              assets,
              "quicklook",
              written.get("quicklook"),
              "image/png",
              "RGB quicklook (bands "
                  + (q.bands()[0] + 1)
                  + "/"
                  + (q.bands()[1] + 1)
                  + "/"
                  + (q.bands()[2] + 1)
                  + ", 2-98 % stretch)",
              "overview");
      a.putArray("proj:shape").add(q.height()).add(q.width());
    }
    return item;
  }

  private static ObjectNode asset(
      ObjectNode assets, String key, S3Uri href, String type, String title, String role) {
    ObjectNode a = assets.putObject(key);
    a.put("href", href.toString());
    a.put("type", type);
    a.put("title", title);
    a.putArray("roles").add(role);
    return a;
  }

  private static void number(ObjectNode n, String field, double v) {
    if (Double.isFinite(v)) n.put(field, v);
    else n.putNull(field);
  }
}
