package dev.hsipipeline.stac;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.hsipipeline.hsi.EnviHeader;
import dev.hsipipeline.hsi.geo.Footprint;
import dev.hsipipeline.hsi.geo.LonLat;
import dev.hsipipeline.job.S3Uri;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The activator's scene item, from what it knows about a scene: the parsed header (georeferencing,
 * bands, acquisition time), the source objects' versions and the assets it wrote (ADR 0160).
 */
public final class SceneItems {
  private SceneItems() {}

  /**
   * One scene's facts.
   *
   * @param id the scene id (ADR 0042)
   * @param headerVersion the ENVI header object as read
   * @param dataVersion the ENVI data object as read
   * @param uploadTime the data object's LastModified (the last resort for {@code datetime})
   * @param header the parsed header
   */
  public record Scene(
      String id,
      SourceVersion headerVersion,
      SourceVersion dataVersion,
      Instant uploadTime,
      EnviHeader header) {}

  /**
   * The item builder for a scene; add more assets (e.g. the COG, via {@link #rasterAsset}) before
   * {@link ItemBuilder#build()}.
   */
  public static ItemBuilder builder(
      ObjectMapper json, CatalogLayout layout, Scene scene, Provenance provenance) {
    EnviHeader h = scene.header();
    S3Uri headerUri = scene.headerVersion().object();
    ItemBuilder b =
        new ItemBuilder(json, layout, StacCollection.SCENES, scene.id())
            .title(headerUri.fileName(), h.description())
            .time(
                AcquisitionTime.resolve(
                    h.extra().get("acquisition time"), headerUri.fileName(), scene.uploadTime()))
            .sources(List.of(scene.headerVersion(), scene.dataVersion()))
            .processing("ENVI scene validated by the activator", "L1");
    provenance.applyTo(b, json);
    b.property("hsi:samples", json.getNodeFactory().numberNode(h.samples()));
    b.property("hsi:lines", json.getNodeFactory().numberNode(h.lines()));
    b.property("hsi:bands", json.getNodeFactory().numberNode(h.bands()));
    b.property("hsi:interleave", json.getNodeFactory().textNode(h.interleave().label()));
    b.property("hsi:data_type", json.getNodeFactory().textNode(h.dataType().label()));
    b.property(
        "hsi:byte_order",
        json.getNodeFactory().textNode(h.byteOrder() == ByteOrder.BIG_ENDIAN ? "big" : "little"));
    ArrayNode bad = json.createArrayNode();
    for (int i = 0; i < h.bands(); i++) if (!h.isGoodBand(i)) bad.add(i);
    b.property("hsi:bad_bands", bad);
    geometry(b, json, h);
    b.asset(
        Asset.of("header", headerUri, "text/plain", "ENVI header", "metadata")
            .withFile(scene.headerVersion().size(), null));
    b.asset(
        Asset.of(
                "envi",
                scene.dataVersion().object(),
                "application/octet-stream",
                "ENVI " + h.interleave().label() + " " + h.dataType().label() + " cube (source)",
                "source")
            .withFile(scene.dataVersion().size(), null)
            .withEoBands(eoBands(h)));
    return b;
  }

  /** A raster asset of the scene (e.g. its COG) with eo and raster bands from the header. */
  public static Asset rasterAsset(String key, S3Uri object, String title, long size, EnviHeader h) {
    double res =
        h.georeferencing().map(g -> Projection.pixelSize(g.transform())).orElse(Double.NaN);
    List<RasterBand> raster = new ArrayList<>();
    for (int i = 0; i < h.bands(); i++)
      raster.add(new RasterBand(h.dataType().label(), h.dataIgnoreValue(), null, res, null));
    return Asset.of(key, object, Stac.COG, title, "data")
        .withFile(size, null)
        .withEoBands(eoBands(h))
        .withRasterBands(raster);
  }

  /** eo:bands from the header (names, wavelengths and FWHM in µm). */
  public static List<EoBand> eoBands(EnviHeader h) {
    List<EoBand> bands = new ArrayList<>();
    for (int i = 0; i < h.bands(); i++) {
      String name = h.bandNames().isEmpty() ? String.format("B%03d", i + 1) : h.bandNames().get(i);
      double c = h.hasWavelengths() ? h.wavelengthNm(i) : Double.NaN;
      double f = h.fwhmNm().isEmpty() ? Double.NaN : h.fwhmNm().get(i);
      bands.add(EoBand.fromNanometres(name, c, f));
    }
    return bands;
  }

  /**
   * Footprint and projection from the header's georeferencing. A CRS proj4j cannot transform keeps
   * the projection fields but no invented geometry; {@code hsi:footprint_error} says why.
   */
  static void geometry(ItemBuilder b, ObjectMapper json, EnviHeader h) {
    if (h.georeferencing().isEmpty()) return;
    b.projection(Projection.of(h.georeferencing().get(), h.samples(), h.lines()));
    try {
      Footprint f = h.footprint().orElseThrow();
      List<double[]> corners = new ArrayList<>();
      for (LonLat p : f.corners()) corners.add(new double[] {p.lon(), p.lat()});
      b.geometry(ItemGeometry.ofCorners(corners));
    } catch (IllegalArgumentException e) {
      b.property("hsi:footprint_error", json.getNodeFactory().textNode(e.getMessage()));
    }
  }
}
