package dev.hsipipeline.stac;

import static dev.hsipipeline.stac.Fixtures.JSON;
import static dev.hsipipeline.stac.Fixtures.VALIDATOR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hsipipeline.hsi.BandStats;
import dev.hsipipeline.hsi.EnviHeader;
import dev.hsipipeline.hsi.NdiResult;
import dev.hsipipeline.job.S3Uri;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Items built from what the jobs know: a parsed ENVI header, source versions, processor results.
 */
class SceneAndProductItemsTest {
  private static final String HEADER =
      """
      ENVI
      description = {test scene}
      samples = 100
      lines = 80
      bands = 3
      header offset = 0
      file type = ENVI Standard
      data type = 2
      interleave = bil
      byte order = 0
      map info = {UTM, 1, 1, 750000, 4340000, 15, 15, 11, North, WGS-84, units=Meters}
      wavelength units = Nanometers
      wavelength = {450, 550, 650}
      fwhm = {10, 10, 10}
      data ignore value = -9999
      acquisition time = 2021-06-15T18:15:01Z
      """;

  private final CatalogLayout layout = new CatalogLayout("hsi-data", null);
  private final Provenance prov =
      Provenance.of(
          "hsi-pipeline activator",
          "0.1.0",
          Map.of(
              "PIPELINE_EXECUTION_ARN",
              "arn:aws:states:us-east-1:1:execution:p:e1",
              "AWS_BATCH_JOB_ID",
              "j-1"));

  private SceneItems.Scene scene(String headerText) {
    EnviHeader h = EnviHeader.parse(headerText, "test.hdr");
    return new SceneItems.Scene(
        "x-1a2b3c4d",
        new SourceVersion(new S3Uri("raw", "s/x.hdr"), "\"h\"", headerText.length()),
        new SourceVersion(new S3Uri("raw", "s/x.img"), "\"d\"", 100 * 80 * 3 * 2),
        Instant.parse("2026-11-30T10:00:00Z"),
        h);
  }

  @Test
  void sceneOnACrsWithoutEpsgCodeCarriesProjWkt2() {
    // Map info and coordinate system string as GDAL's ENVI driver writes a custom Albers.
    String albers =
        HEADER.replace(
            "map info = {UTM, 1, 1, 750000, 4340000, 15, 15, 11, North, WGS-84, units=Meters}",
            "map info = {Albers Conical Equal Area, 1, 1, -2000000, 2500000, 30, 30}\n"
                + "coordinate system string = {PROJCS[\"unknown\",GEOGCS[\"GCS_unknown\","
                + "DATUM[\"D_WGS_1984\",SPHEROID[\"WGS_1984\",6378137.0,298.257223563]],"
                + "PRIMEM[\"Greenwich\",0.0],UNIT[\"Degree\",0.0174532925199433]],"
                + "PROJECTION[\"Albers\"],PARAMETER[\"False_Easting\",0.0],"
                + "PARAMETER[\"False_Northing\",0.0],PARAMETER[\"Central_Meridian\",-96.0],"
                + "PARAMETER[\"Standard_Parallel_1\",29.5],PARAMETER[\"Standard_Parallel_2\",45.5],"
                + "PARAMETER[\"Latitude_Of_Origin\",23.0],UNIT[\"Meter\",1.0]]}");
    SceneItems.Scene s = scene(albers);
    ObjectNode item =
        SceneItems.builder(JSON, layout, s, prov)
            .asset(
                SceneItems.rasterAsset(
                    "cog", layout.uri("activated/x/scene.tif"), "COG", 9999, s.header()))
            .build();
    assertEquals(List.of(), VALIDATOR.validate(item));
    assertTrue(item.at("/properties/proj:epsg").isNull());
    String wkt2 = item.at("/properties/proj:wkt2").asText();
    assertTrue(wkt2.startsWith("PROJCRS["), wkt2);
    assertTrue(wkt2.contains("METHOD[\"Albers Equal Area\", ID[\"EPSG\", 9822]]"), wkt2);
    assertTrue(wkt2.contains("PARAMETER[\"Latitude of 1st standard parallel\", 29.5"), wkt2);
    assertFalse(item.at("/properties").has("hsi:wkt1"), "proj:wkt2 replaces hsi:wkt1");
    assertEquals("Polygon", item.at("/geometry/type").asText());
  }

  @Test
  void sceneItemFromAGeoreferencedHeaderHasTheReprojectedFootprintAndPassesTheSchemas() {
    SceneItems.Scene s = scene(HEADER);
    ObjectNode item =
        SceneItems.builder(JSON, layout, s, prov)
            .asset(
                SceneItems.rasterAsset(
                    "cog", layout.uri("activated/x/scene.tif"), "COG", 9999, s.header()))
            .build();
    assertEquals(List.of(), VALIDATOR.validate(item));
    assertEquals(32611, item.at("/properties/proj:epsg").asInt());
    // UTM 11N easting 750000 lies east of the central meridian (-117°): about -114.1° at 39.2° N
    double west = item.at("/bbox/0").asDouble(), north = item.at("/bbox/3").asDouble();
    assertTrue(west > -114.2 && west < -114.0, "west " + west);
    assertTrue(north > 39.1 && north < 39.3, "north " + north);
    assertEquals("2021-06-15T18:15:01Z", item.at("/properties/datetime").asText());
    assertEquals("header", item.at("/properties/hsi:datetime_source").asText());
    assertEquals(
        "arn:aws:states:us-east-1:1:execution:p:e1",
        item.at("/properties/hsi:execution_arn").asText());
    assertEquals(3, item.at("/assets/cog/raster:bands").size());
    assertEquals(-9999, item.at("/assets/cog/raster:bands/0/nodata").asInt());
    assertEquals(15.0, item.at("/assets/cog/raster:bands/0/spatial_resolution").asDouble());
    assertEquals(0.55, item.at("/assets/cog/eo:bands/1/center_wavelength").asDouble());
    assertEquals("s3://raw/s/x.img", item.at("/assets/envi/href").asText());
    assertTrue(SourceVersion.unchanged(item, List.of(s.headerVersion(), s.dataVersion())));
  }

  @Test
  void sceneItemWithoutMapInfoIsMarkedNotGeoreferenced() {
    String plain =
        HEADER
            .replace(
                "map info = {UTM, 1, 1, 750000, 4340000, 15, 15, 11, North, WGS-84, units=Meters}\n",
                "")
            .replace("acquisition time = 2021-06-15T18:15:01Z\n", "");
    ObjectNode item = SceneItems.builder(JSON, layout, scene(plain), prov).build();
    assertEquals(List.of(), VALIDATOR.validate(item));
    assertTrue(item.get("geometry").isNull());
    assertFalse(item.at("/properties/hsi:georeferenced").asBoolean(true));
    assertEquals("upload-time", item.at("/properties/hsi:datetime_source").asText());
  }

  @Test
  void productItemCarriesTheProcessorStatisticsAndInheritsTheScenesTime() {
    SceneItems.Scene s = scene(HEADER);
    ObjectNode sceneItem = SceneItems.builder(JSON, layout, s, prov).build();
    ProductKey key = ProductKey.builder().stats().ndi(860, 650).build();
    List<BandStats> stats =
        List.of(
            new BandStats(0, 450, true, 7900, 1, 900, 300.5, 20.25),
            new BandStats(1, 550, true, 7900, 2, 950, 310.5, 21.5),
            new BandStats(2, 650, false, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN));
    NdiResult ndi = new NdiResult(2, 2, 860, 650, 7800, -0.5, 0.75, 0.125);
    ObjectNode item =
        ProductItems.builder(
                JSON, layout, s.id(), key, s.header(), AcquisitionTime.ofItem(sceneItem), prov)
            .asset(
                Asset.of(
                        "ndi",
                        layout.uri("products/x/" + key + "/ndi.tif"),
                        Stac.COG,
                        "NDI",
                        "data")
                    .withRasterBands(List.of(ProductItems.ndiBand(s.header(), ndi))))
            .asset(
                Asset.of(
                        "scene",
                        layout.uri("activated/x/scene.tif"),
                        Stac.COG,
                        "scene statistics",
                        "source")
                    .withRasterBands(ProductItems.bandStatistics(s.header(), stats)))
            .build();
    assertEquals(List.of(), VALIDATOR.validate(item));
    assertEquals("x-1a2b3c4d.stats.ndi-860-650", item.get("id").asText());
    assertEquals(sceneItem.at("/properties/datetime"), item.at("/properties/datetime"));
    assertEquals("header", item.at("/properties/hsi:datetime_source").asText());
    assertEquals(sceneItem.get("bbox"), item.get("bbox"));
    assertEquals(0.75, item.at("/assets/ndi/raster:bands/0/statistics/maximum").asDouble());
    assertEquals(97.5, item.at("/assets/ndi/raster:bands/0/statistics/valid_percent").asDouble());
    assertEquals(20.25, item.at("/assets/scene/raster:bands/0/statistics/stddev").asDouble());
    assertEquals(
        98.75, item.at("/assets/scene/raster:bands/1/statistics/valid_percent").asDouble());
    assertFalse(item.at("/assets/scene/raster:bands/2").has("statistics"), "a bad band has none");
  }
}
