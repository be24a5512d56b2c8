package dev.hsipipeline.hsi.testdata;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hsipipeline.hsi.EnviHeader;
import dev.hsipipeline.hsi.geo.Georeferencing;
import dev.hsipipeline.hsi.geo.LonLat;
import dev.hsipipeline.testkit.gdal.EnabledIfGdal;
import dev.hsipipeline.testkit.gdal.Gdal;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * GDAL is the oracle: {@code gdalinfo} of a sample scene (what {@code ./pipeline sample-scene}
 * writes) reports the CRS, geotransform, WGS 84 extent, nodata and wavelengths the scene claims.
 */
@EnabledIfGdal
class SyntheticSceneGdalTest {
  /** gdalinfo prints the WGS 84 extent with 7 decimals; our footprint is within 1e-7° of PROJ. */
  static final double EXTENT_TOLERANCE_DEG = 2e-7;

  @TempDir Path dir;

  private JsonNode gdalinfo(SyntheticScene scene, String name) throws IOException {
    scene.writeTo(dir, name);
    return Gdal.info(dir.resolve(name + ".img"));
  }

  @ParameterizedTest
  @EnumSource(
      value = Placement.class,
      names = {"UTM", "ROTATED", "GEOGRAPHIC"})
  void gdalReadsTheSceneWhereItSaysItIs(Placement p) throws IOException {
    SyntheticScene scene =
        SyntheticScene.of(SyntheticScene.Spec.defaults().withSize(64, 48, 12).withPlacement(p));
    JsonNode info = gdalinfo(scene, p.label());
    Georeferencing g = scene.header().georeferencing().orElseThrow();

    assertEquals(g.crs().epsg(), info.at("/stac/proj:epsg").asInt(), p + ": GDAL's EPSG code");
    assertEquals(p == Placement.GEOGRAPHIC ? 4326 : 32611, g.crs().epsg());
    double[] want = g.transform().toGdal();
    JsonNode gt = info.get("geoTransform");
    assertNotNull(gt, p + ": GDAL found no geotransform");
    for (int i = 0; i < 6; i++)
      assertEquals(want[i], gt.get(i).asDouble(), Math.abs(want[i]) * 1e-12 + 1e-12, p + " gt" + i);

    JsonNode ring = info.at("/wgs84Extent/coordinates/0");
    for (LonLat corner : scene.header().footprint().orElseThrow().corners()) {
      boolean found = false;
      for (JsonNode point : ring)
        found |=
            Math.abs(point.get(0).asDouble() - corner.lon()) < EXTENT_TOLERANCE_DEG
                && Math.abs(point.get(1).asDouble() - corner.lat()) < EXTENT_TOLERANCE_DEG;
      assertTrue(found, p + ": corner " + corner + " not in GDAL's WGS 84 extent " + ring);
    }
  }

  @Test
  void defaultSampleSceneIsUtm11NorthWith15MetrePixelsAndAvirisBands() throws IOException {
    SyntheticScene scene = SyntheticScene.of(SyntheticScene.Spec.defaults().withSize(32, 24, 224));
    JsonNode info = gdalinfo(scene, "default");
    assertEquals(32611, info.at("/stac/proj:epsg").asInt());
    assertTrue(
        info.at("/coordinateSystem/wkt").asText().contains("WGS 84 / UTM zone 11N"),
        info.at("/coordinateSystem/wkt").asText());
    JsonNode gt = info.get("geoTransform");
    assertEquals(15.0, gt.get(1).asDouble());
    assertEquals(-15.0, gt.get(5).asDouble());
    assertEquals(0.0, gt.get(2).asDouble(), 0.0, "north-up (GDAL says -0.0)");
    assertEquals(0.0, gt.get(4).asDouble(), 0.0, "north-up (GDAL says -0.0)");
    JsonNode bands = info.get("bands");
    assertEquals(224, bands.size());
    assertEquals(-9999.0, bands.get(0).get("noDataValue").asDouble());
    assertEquals("380", bands.get(0).at("/metadata//wavelength").asText());
    assertEquals("2510", bands.get(223).at("/metadata//wavelength").asText());
  }

  @Test
  void aSceneWithoutPlacementHasNoGeoreferencingInGdal() throws IOException {
    SyntheticScene scene =
        SyntheticScene.of(
            SyntheticScene.Spec.defaults().withSize(16, 8, 3).withPlacement(Placement.NONE));
    EnviHeader h = scene.header();
    assertFalse(h.isGeoreferenced());
    JsonNode info = gdalinfo(scene, "none");
    assertNull(info.get("geoTransform"), info.toString());
    assertNull(info.get("coordinateSystem"), info.toString());
  }
}
