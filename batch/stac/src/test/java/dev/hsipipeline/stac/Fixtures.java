package dev.hsipipeline.stac;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hsipipeline.hsi.geo.Crs;
import dev.hsipipeline.hsi.geo.GeoTransform;
import dev.hsipipeline.hsi.geo.Georeferencing;
import dev.hsipipeline.job.S3Uri;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Items like the jobs build them, for the tests. */
final class Fixtures {
  static final ObjectMapper JSON = new ObjectMapper();
  static final StacValidator VALIDATOR = new StacValidator();

  /** A 512 × 480 scene on UTM 11N (15 m pixels) near Lake Tahoe. */
  static final Georeferencing UTM11 =
      new Georeferencing(
          new Crs(32611, "PROJCS[\"WGS 84 / UTM zone 11N\"]"),
          new GeoTransform(750000, 15, 0, 4340000, 0, -15));

  /** Its four corners in WGS 84 (upper left, upper right, lower right, lower left). */
  static final List<double[]> UTM11_CORNERS =
      List.of(
          new double[] {-120.0880, 39.1709},
          new double[] {-119.9990, 39.1680},
          new double[] {-120.0027, 39.1033},
          new double[] {-120.0915, 39.1061});

  private Fixtures() {}

  static ItemBuilder sceneItem(CatalogLayout layout, String id, boolean georeferenced) {
    List<EoBand> eo = new ArrayList<>();
    List<RasterBand> raster = new ArrayList<>();
    for (int b = 0; b < 3; b++) {
      eo.add(EoBand.fromNanometres("B" + (b + 1), 450 + 100 * b, 10));
      raster.add(new RasterBand("int16", -9999.0, null, georeferenced ? 15 : Double.NaN, null));
    }
    ItemBuilder ib =
        new ItemBuilder(JSON, layout, StacCollection.SCENES, id)
            .title(id + ".hdr", "a test scene")
            .time(AcquisitionTime.resolve(null, "ang20210615t181501_rdn", Instant.EPOCH))
            .software("hsi-pipeline activator", "0.1.0-SNAPSHOT")
            .processing("ENVI scene validated and written as a COG", "L1")
            .property("hsi:bands", JSON.getNodeFactory().numberNode(3))
            .asset(
                Asset.of(
                        "cog",
                        layout.uri("activated/" + id + "/scene.tif"),
                        Stac.COG,
                        "scene",
                        "data")
                    .withFile(123456, null)
                    .withEoBands(eo)
                    .withRasterBands(raster))
            .asset(
                Asset.of(
                        "header",
                        new S3Uri("raw-bucket", "scenes/" + id + ".hdr"),
                        "text/plain",
                        "ENVI header",
                        "metadata")
                    .withFile(812, Asset.sha256Multihash(new byte[] {1, 2, 3})));
    if (georeferenced) {
      ib.geometry(ItemGeometry.ofCorners(UTM11_CORNERS)).projection(Projection.of(UTM11, 512, 480));
    }
    return ib;
  }

  static ObjectNode productItem(CatalogLayout layout, String sceneId, String key) {
    return new ItemBuilder(JSON, layout, StacCollection.PRODUCTS, sceneId + "." + key)
        .time(AcquisitionTime.resolve("2021-06-15T18:15:01Z", null, null))
        .geometry(ItemGeometry.ofCorners(UTM11_CORNERS))
        .projection(Projection.of(UTM11, 512, 480))
        .software("hsi-pipeline processor", "0.1.0-SNAPSHOT")
        .processing("NDI (860 nm, 650 nm) of the activated scene", "L2")
        .linkToItem("derived_from", StacCollection.SCENES, sceneId, "activated scene")
        .asset(
            Asset.of(
                    "ndi",
                    layout.uri("products/" + sceneId + "/" + key + "/ndi.tif"),
                    Stac.COG,
                    "NDI",
                    "data")
                .withFile(5000, null)
                .withRasterBands(
                    List.of(
                        new RasterBand(
                            "float32",
                            Double.NaN,
                            "1",
                            15,
                            new RasterBand.Statistics(-0.5, 0.9, 0.31, 0.2, 97.5)))))
        .asset(
            Asset.of(
                    "thumbnail",
                    layout.uri("products/" + sceneId + "/" + key + "/quicklook.png"),
                    "image/png",
                    "quicklook",
                    "thumbnail")
                .withShape(240, 256))
        .build();
  }
}
