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
import dev.hsipipeline.scenes.S3PartStore;
import java.util.List;
import java.util.Map;

/** JSON documents the processor writes. Non-finite numbers become null. */
public final class ProductJson {
  private static final String COG = S3PartStore.COG_MEDIA_TYPE;

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

  /**
   * The input item plus the product assets (hrefs from {@code written}: stats, ndi, quicklook,
   * thumbnail), the product key, a self link and a derived_from link.
   */
  public static ObjectNode updatedItem(
      ObjectNode input,
      S3Uri inputUri,
      S3Uri self,
      String productKey,
      CubeProcessor.Result r,
      Map<String, String> written) {
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
    props.put("hsi:product_key", productKey);
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
      asset(
          assets,
          "ndi",
          written.get("ndi"),
          COG,
          "Normalized difference index (b"
              + (n.bandA() + 1)
              + " - b"
              + (n.bandB() + 1)
              + ")/(b"
              + (n.bandA() + 1)
              + " + b"
              + (n.bandB() + 1)
              + "), float32 COG, NaN = no data",
          "data");
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
      String bands = (q.bands()[0] + 1) + "/" + (q.bands()[1] + 1) + "/" + (q.bands()[2] + 1);
      ObjectNode a =
          asset(
              assets,
              "quicklook",
              written.get("quicklook"),
              COG,
              "RGB quicklook (bands " + bands + ", 2-98 % stretch), uint8 COG, 0 = no data",
              "visual");
      a.putArray("proj:shape").add(q.height()).add(q.width());
      ObjectNode t =
          asset(
              assets,
              "thumbnail",
              written.get("thumbnail"),
              "image/png",
              "RGB quicklook (bands " + bands + "), PNG",
              "thumbnail");
      t.putArray("proj:shape").add(q.height()).add(q.width());
    }
    return item;
  }

  private static ObjectNode asset(
      ObjectNode assets, String key, String href, String type, String title, String role) {
    ObjectNode a = assets.putObject(key);
    a.put("href", href);
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
