package dev.hsipipeline.processor;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hsipipeline.hsi.DataType;
import dev.hsipipeline.hsi.Interleave;
import dev.hsipipeline.hsi.testdata.Placement;
import dev.hsipipeline.hsi.testdata.SyntheticScene;
import dev.hsipipeline.scenes.SceneKeys;
import dev.hsipipeline.testkit.gdal.EnabledIfGdal;
import dev.hsipipeline.testkit.gdal.Gdal;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * GDAL opens what the jobs write (activator → processor against the real LocalS3/LocalSqs): the
 * activated scene's pixels equal GDAL's reading of the source ENVI, every raster carries the
 * source's CRS and geotransform (the quicklook's scaled by its factor), the NDI equals the index
 * computed from GDAL's reading of the two bands, the RGB COG equals the PNG thumbnail, and GDAL's
 * COG validator reports nothing.
 */
@EnabledIfGdal
class ProductsGdalTest {
  /** 40 samples with quicklook.maxSize 16: every quicklook pixel averages 3 × 3 scene pixels. */
  static final int QUICKLOOK_FACTOR = 3;

  static final String KEY = "stats.ndi-860-650.ql-640-550-470-16";

  @TempDir static Path dir;
  static LocalPipeline p;

  @BeforeAll
  static void start() {
    p = new LocalPipeline(dir.resolve("s3"));
  }

  @AfterAll
  static void stop() {
    p.close();
  }

  @ParameterizedTest
  @EnumSource(
      value = Placement.class,
      names = {"UTM", "ROTATED", "GEOGRAPHIC"})
  void everyRasterOpensInGdalWithTheSourcesPixelsAndGeoreferencing(Placement placement)
      throws Exception {
    SyntheticScene scene =
        SyntheticScene.of(
            SyntheticScene.Spec.defaults()
                .withSize(40, 30, 24)
                .withPlacement(placement)
                .withInterleave(placement == Placement.UTM ? Interleave.BIL : Interleave.BSQ)
                .withDataType(placement == Placement.ROTATED ? DataType.FLOAT32 : DataType.INT16));
    String name = "gdal-" + placement.label();
    String item =
        LocalPipeline.JSON.readTree(p.activate(scene, "scenes/" + name)).get("item").asText();
    String id = item.substring(item.lastIndexOf('/') + 1, item.length() - ".json".length());
    LocalPipeline.Outcome o =
        p.processor(
            "{\"item\":\""
                + item
                + "\",\"products\":[\"stats\",\"ndi\",\"quicklook\"],\"quicklook\":{\"maxSize\":16}}",
            p.env(1));
    assertEquals(0, o.code(), o.log());

    Path work = Files.createDirectories(dir.resolve(name));
    scene.writeTo(work, name);
    Path source = work.resolve(name + ".img"); // GDAL opens an ENVI scene by its data file
    String prefix = SceneKeys.products(id, KEY);
    Map<String, Object> in = new LinkedHashMap<>();
    in.put("source", source.toString());
    in.put("activated", download(SceneKeys.activatedScene(id), work).toString());
    in.put("ndi", download(prefix + SceneKeys.NDI, work).toString());
    in.put("quicklook", download(prefix + SceneKeys.QUICKLOOK, work).toString());
    in.put("thumbnail", download(prefix + SceneKeys.THUMBNAIL, work).toString());
    JsonNode ndiProps =
        p.getJson("stac/products/items/" + id + "." + KEY + ".json").at("/properties/hsi:ndi");
    in.put("band_a", ndiProps.get("band_a").asInt());
    in.put("band_b", ndiProps.get("band_b").asInt());
    in.put("factor", QUICKLOOK_FACTOR);
    JsonNode r = Gdal.python(script(), in);

    JsonNode src = r.get("source"), act = r.get("activated");
    assertNotNull(src.get("wkt").textValue(), "the source is georeferenced: " + src);
    assertTrue(act.get("pixels_identical").asBoolean(), "activated pixels: " + act);
    assertEquals(src.get("size"), act.get("size"));
    assertEquals(src.get("type"), act.get("type"));
    assertTrue(act.get("nodata_same").asBoolean(), act.toString());
    for (String raster : List.of("activated", "ndi", "quicklook")) {
      JsonNode d = r.get(raster);
      assertTrue(d.get("crs_same").asBoolean(), raster + " CRS: " + d.get("wkt"));
      assertEquals(List.of(), list(d.get("validator_errors")), raster + " validator errors");
      assertEquals(List.of(), list(d.get("validator_warnings")), raster + " validator warnings");
    }
    assertGeoTransform(src.get("gt"), act.get("gt"), "activated");

    JsonNode ndi = r.get("ndi");
    assertEquals("[40,30,1]", ndi.get("size").toString());
    assertEquals("Float32", ndi.get("type").asText());
    assertEquals("nan", ndi.get("nodata").asText());
    assertGeoTransform(src.get("gt"), ndi.get("gt"), "ndi");
    assertTrue(ndi.get("valid_pixels").asInt() > 1000, ndi.toString());
    assertEquals(0, ndi.get("valid_mismatches").asInt(), ndi.toString());
    assertEquals(0, ndi.get("nodata_not_nan").asInt(), ndi.toString());

    JsonNode ql = r.get("quicklook");
    assertEquals("[14,10,3]", ql.get("size").toString());
    assertEquals("Byte", ql.get("type").asText());
    assertTrue(ql.get("pixels_match_thumbnail").asBoolean(), ql.toString());
    assertGeoTransform(ql.get("gt_expected"), ql.get("gt"), "quicklook");
  }

  private static void assertGeoTransform(JsonNode expected, JsonNode actual, String what) {
    assertNotNull(actual, what + " has no geotransform");
    for (int i = 0; i < 6; i++) {
      double e = expected.get(i).asDouble(), a = actual.get(i).asDouble();
      assertEquals(e, a, Math.abs(e) * 1e-12 + 1e-12, what + " geotransform[" + i + "]");
    }
  }

  private static List<String> list(JsonNode array) {
    return LocalPipeline.JSON.convertValue(array, List.class);
  }

  private static Path download(String key, Path work) throws IOException {
    Path f = work.resolve(key.substring(key.lastIndexOf('/') + 1));
    Files.write(f, p.get(key));
    return f;
  }

  private static String script() throws IOException {
    try (InputStream in = ProductsGdalTest.class.getResourceAsStream("job_outputs_oracle.py")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
