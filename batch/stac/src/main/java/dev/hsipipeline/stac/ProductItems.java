package dev.hsipipeline.stac;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hsipipeline.hsi.BandStats;
import dev.hsipipeline.hsi.EnviHeader;
import dev.hsipipeline.hsi.NdiResult;
import java.util.ArrayList;
import java.util.List;

/**
 * The processor's product item: one per scene and {@link ProductKey}, with the scene's footprint,
 * time and projection, a {@code derived_from} link to the scene item, and the processor's
 * statistics as {@code raster:bands} statistics (ADR 0163).
 */
public final class ProductItems {
  private ProductItems() {}

  /**
   * A product item builder; add the product assets (NDI COG via {@link #ndiAsset}, quicklook, stats
   * JSON) before {@link ItemBuilder#build()}.
   *
   * @param sceneId the scene item's id
   * @param key the product parameters' key
   * @param header the scene's header (georeferencing, time)
   * @param sceneTime the scene item's acquisition time (the product inherits it, source included;
   *     {@link AcquisitionTime#ofItem} reads it back from the scene item)
   */
  public static ItemBuilder builder(
      ObjectMapper json,
      CatalogLayout layout,
      String sceneId,
      ProductKey key,
      EnviHeader header,
      AcquisitionTime sceneTime,
      Provenance provenance) {
    ItemBuilder b =
        new ItemBuilder(json, layout, StacCollection.PRODUCTS, key.itemId(sceneId))
            .title(sceneId + " · " + key, null)
            .time(sceneTime)
            .processing(
                "products " + key + " computed by the processor from scene " + sceneId, "L2")
            .linkToItem("derived_from", StacCollection.SCENES, sceneId, "activated scene")
            .property("hsi:product_key", json.getNodeFactory().textNode(key.value()));
    provenance.applyTo(b, json);
    SceneItems.geometry(b, json, header);
    return b;
  }

  /** raster:bands statistics of every band, from the processor's per-band statistics. */
  public static List<RasterBand> bandStatistics(EnviHeader h, List<BandStats> stats) {
    long pixels = (long) h.samples() * h.lines();
    double res =
        h.georeferencing().map(g -> Projection.pixelSize(g.transform())).orElse(Double.NaN);
    List<RasterBand> out = new ArrayList<>();
    for (BandStats s : stats) {
      RasterBand.Statistics st =
          s.count() == 0
              ? null
              : new RasterBand.Statistics(
                  s.min(), s.max(), s.mean(), s.std(), 100.0 * s.count() / Math.max(1, pixels));
      out.add(new RasterBand(h.dataType().label(), h.dataIgnoreValue(), null, res, st));
    }
    return out;
  }

  /** The NDI's one raster band: float32, NaN nodata, unitless, with its statistics. */
  public static RasterBand ndiBand(EnviHeader h, NdiResult n) {
    long pixels = (long) h.samples() * h.lines();
    double res =
        h.georeferencing().map(g -> Projection.pixelSize(g.transform())).orElse(Double.NaN);
    RasterBand.Statistics st =
        n.validCount() == 0
            ? null
            : new RasterBand.Statistics(
                n.min(),
                n.max(),
                n.mean(),
                Double.NaN,
                100.0 * n.validCount() / Math.max(1, pixels));
    return new RasterBand("float32", Double.NaN, "1", res, st);
  }
}
