package dev.hsipipeline.hsi.testdata;

import static org.junit.jupiter.api.Assertions.*;

import dev.hsipipeline.hsi.EnviHeader;
import dev.hsipipeline.hsi.geo.Footprint;
import dev.hsipipeline.hsi.geo.GeoTransform;
import dev.hsipipeline.hsi.geo.Georeferencing;
import dev.hsipipeline.hsi.geo.LonLat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Where sample scenes lie: the {@code map info} each placement writes and reads back. */
class PlacementTest {
  static EnviHeader header(Placement p) {
    return SyntheticScene.of(SyntheticScene.Spec.defaults().withSize(256, 200, 3).withPlacement(p))
        .header();
  }

  @Test
  void defaultIsUtmZone11NorthWith15MetrePixels() {
    assertEquals(Placement.UTM, SyntheticScene.Spec.defaults().placement());
    Georeferencing g = header(Placement.UTM).georeferencing().orElseThrow();
    assertEquals(32611, g.crs().epsg());
    assertEquals(new GeoTransform(382000, 15, 0, 4085000, 0, -15), g.transform());
    assertTrue(
        header(Placement.UTM)
            .toText()
            .contains("map info = {UTM, 1, 1, 382000, 4085000, 15, 15, 11, North, WGS-84}"),
        header(Placement.UTM).toText());
  }

  @Test
  void rotatedGridIsWrittenAsEnviRotation() {
    EnviHeader h = header(Placement.ROTATED);
    Georeferencing g = h.georeferencing().orElseThrow();
    assertEquals(32611, g.crs().epsg());
    assertFalse(g.transform().isNorthUp());
    double r = Math.toRadians(18);
    assertEquals(15 * Math.cos(r), g.transform().pixelWidth(), 1e-12);
    assertEquals(15 * Math.sin(r), g.transform().rowRotation(), 1e-12);
    assertTrue(h.toText().contains("rotation=18"), h.toText());
  }

  @Test
  void geographicIsWgs84Degrees() {
    EnviHeader h = header(Placement.GEOGRAPHIC);
    Georeferencing g = h.georeferencing().orElseThrow();
    assertEquals(4326, g.crs().epsg());
    assertEquals(0.00015, g.transform().pixelWidth());
    assertTrue(h.toText().contains("map info = {Geographic Lat/Lon"), h.toText());
  }

  @Test
  void noneWritesNoMapInfo() {
    EnviHeader h = header(Placement.NONE);
    assertFalse(h.isGeoreferenced());
    assertFalse(h.toText().contains("map info"), h.toText());
    assertFalse(h.toText().contains("coordinate system string"), h.toText());
  }

  @ParameterizedTest
  @EnumSource(Placement.class)
  void headerTextParsesBackToTheSameGeoreferencing(Placement p) {
    EnviHeader h = header(p);
    EnviHeader back = EnviHeader.parse(h.toText(), p.label());
    assertEquals(h.georeferencing().isPresent(), back.georeferencing().isPresent());
    h.georeferencing()
        .ifPresent(
            g -> {
              Georeferencing b = back.georeferencing().orElseThrow();
              assertEquals(g.crs(), b.crs(), p + ": CRS");
              double[] want = g.transform().toGdal(), got = b.transform().toGdal();
              for (int i = 0; i < 6; i++) assertEquals(want[i], got[i], 1e-9, p + ": gt" + i);
            });
  }

  @ParameterizedTest
  @EnumSource(
      value = Placement.class,
      names = {"UTM", "ROTATED", "GEOGRAPHIC"})
  void everyPlacementLiesInTheOwensValley(Placement p) {
    Footprint f = header(p).footprint().orElseThrow();
    for (LonLat c : f.ring()) {
      assertEquals(-118.3, c.lon(), 0.1, p + " longitude " + c);
      assertEquals(36.88, c.lat(), 0.1, p + " latitude " + c);
    }
  }

  @Test
  void parseAcceptsTheOptionSpellingsAndNamesTheChoicesOtherwise() {
    assertEquals(Placement.ROTATED, Placement.parse("rotated"));
    assertEquals(Placement.GEOGRAPHIC, Placement.parse(" Geographic "));
    assertEquals(Placement.NONE, Placement.parse("NONE"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Placement.parse("mercator"));
    assertEquals(
        "unknown georeferencing 'mercator' (utm, rotated, geographic, none)", e.getMessage());
  }
}
