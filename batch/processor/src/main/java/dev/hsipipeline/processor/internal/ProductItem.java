package dev.hsipipeline.processor.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hsipipeline.hsi.EnviHeader;
import dev.hsipipeline.hsi.NdiResult;
import dev.hsipipeline.hsi.QuicklookResult;
import dev.hsipipeline.job.S3Uri;
import dev.hsipipeline.stac.AcquisitionTime;
import dev.hsipipeline.stac.Asset;
import dev.hsipipeline.stac.CatalogLayout;
import dev.hsipipeline.stac.ItemBuilder;
import dev.hsipipeline.stac.ProductItems;
import dev.hsipipeline.stac.ProductKey;
import dev.hsipipeline.stac.Provenance;
import dev.hsipipeline.stac.SourceVersion;
import dev.hsipipeline.stac.Stac;
import java.util.List;
import java.util.Map;

/**
 * The processor's product item (ADR 0163): the scene's footprint, time and projection, the sources
 * it was computed from, and one asset per product written — the NDI COG with its statistics, the
 * RGB quicklook COG and its PNG thumbnail, stats.json, and the activated scene (role {@code
 * source}) carrying the per-band statistics as {@code raster:bands}.
 */
public final class ProductItem {
  private ProductItem() {}

  /**
   * What the item is built from.
   *
   * @param sceneItem the scene item as read (time, id, the activated COG's href)
   * @param sceneItemUri where it was read (relative hrefs resolve against it)
   * @param activatedScene the activated scene's COG, or null when the scene item has none
   * @param written product name → object written ({@code stats}, {@code ndi}, {@code quicklook},
   *     {@code thumbnail})
   * @param sizes product name → bytes written, where known
   * @param stats the stats.json bytes, or null
   */
  public record Inputs(
      JsonNode sceneItem,
      S3Uri sceneItemUri,
      S3Uri activatedScene,
      Map<String, S3Uri> written,
      Map<String, Long> sizes,
      byte[] stats) {}

  /** Builds the item (validated by the catalog writer when published). */
  public static ObjectNode build(
      ObjectMapper json,
      CatalogLayout layout,
      ProductKey key,
      EnviHeader h,
      dev.hsipipeline.hsi.CubeProcessor.Result r,
      Inputs in,
      List<SourceVersion> sources,
      Provenance provenance) {
    String sceneId = in.sceneItem().get("id").asText();
    ItemBuilder b =
        ProductItems.builder(
                json, layout, sceneId, key, h, AcquisitionTime.ofItem(in.sceneItem()), provenance)
            .sources(sources);
    Map<String, S3Uri> w = in.written();
    if (w.containsKey("ndi")) {
      NdiResult n = r.ndi();
      String bands = "b" + (n.bandA() + 1) + ", b" + (n.bandB() + 1);
      b.asset(
          Asset.of(
                  "ndi",
                  w.get("ndi"),
                  Stac.COG,
                  "Normalized difference index of "
                      + bands
                      + " ((a - b) / (a + b)), float32 COG, NaN = no data",
                  "data")
              .withFile(in.sizes().getOrDefault("ndi", -1L), null)
              .withRasterBands(List.of(ProductItems.ndiBand(h, n))));
      ObjectNode p = json.createObjectNode();
      p.put("band_a", n.bandA());
      p.put("band_b", n.bandB());
      number(p, "wavelength_a_nm", n.wavelengthA());
      number(p, "wavelength_b_nm", n.wavelengthB());
      p.put("valid_pixels", n.validCount());
      b.property("hsi:ndi", p);
    }
    if (w.containsKey("quicklook")) {
      QuicklookResult q = r.quicklook();
      String bands = (q.bands()[0] + 1) + "/" + (q.bands()[1] + 1) + "/" + (q.bands()[2] + 1);
      b.asset(
          Asset.of(
                  "quicklook",
                  w.get("quicklook"),
                  Stac.COG,
                  "RGB quicklook (bands " + bands + ", 2-98 % stretch), uint8 COG, 0 = no data",
                  "visual")
              .withFile(in.sizes().getOrDefault("quicklook", -1L), null)
              .withShape(q.height(), q.width()));
      b.asset(
          Asset.of(
                  "thumbnail",
                  w.get("thumbnail"),
                  "image/png",
                  "RGB quicklook (bands " + bands + "), PNG",
                  "thumbnail")
              .withFile(q.png().length, Asset.sha256Multihash(q.png()))
              .withShape(q.height(), q.width()));
    }
    if (w.containsKey("stats")) {
      b.asset(
          Asset.of("stats", w.get("stats"), Stac.JSON, "Per-band statistics", "metadata")
              .withFile(in.stats().length, Asset.sha256Multihash(in.stats())));
      if (in.activatedScene() != null)
        b.asset(
            Asset.of(
                    "scene",
                    in.activatedScene(),
                    Stac.COG,
                    "Activated scene the products were computed from, with per-band statistics",
                    "source")
                .withRasterBands(ProductItems.bandStatistics(h, r.stats())));
    }
    return b.build();
  }

  private static void number(ObjectNode n, String field, double v) {
    if (Double.isFinite(v)) n.put(field, v);
    else n.putNull(field);
  }
}
