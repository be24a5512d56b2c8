package dev.hsipipeline.hsi;

import static org.junit.jupiter.api.Assertions.*;

import dev.hsipipeline.hsi.geo.Crs;
import dev.hsipipeline.hsi.geo.Footprint;
import dev.hsipipeline.hsi.geo.GeoTransform;
import dev.hsipipeline.hsi.geo.Georeferencing;
import dev.hsipipeline.hsi.geo.LonLat;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Georeferencing without GDAL: the builder, the absent case and every malformed-field error. */
class EnviHeaderGeoreferencingTest {
  static final String BASE =
      "ENVI\nsamples = 4\nlines = 3\nbands = 1\ndata type = 1\ninterleave = bsq\n";

  static EnviHeader withMapInfo(String mapInfo) {
    return EnviHeader.parse(BASE + "map info = " + mapInfo + "\n", "t.hdr");
  }

  @Test
  void noMapInfoIsAValidSceneWithoutGeoreferencing() {
    EnviHeader h = EnviHeader.parse(BASE + "coordinate system string = {GEOGCS[\"x\"]}\n", "t.hdr");
    assertTrue(h.georeferencing().isEmpty());
    assertFalse(h.isGeoreferenced());
    assertTrue(h.footprint().isEmpty());
    assertEquals(
        "{GEOGCS[\"x\"]}",
        h.extra().get("coordinate system string"),
        "without map info GDAL ignores the coordinate system string: kept verbatim");
    assertFalse(h.toText().contains("map info"));
  }

  @Test
  void arbitraryMapInfoIsAValidSceneWithoutGeoreferencing() {
    for (String projection : new String[] {"Arbitrary", "arbitrary", "Pixel Based"}) {
      EnviHeader h = withMapInfo("{" + projection + ", 1, 1, 0, 0, 1, 1, 0, North}");
      assertTrue(h.georeferencing().isEmpty(), projection);
      assertFalse(h.isGeoreferenced(), projection);
      assertTrue(h.footprint().isEmpty(), projection);
      assertFalse(h.toText().contains("map info"), projection);
    }
  }

  @Test
  void arbitraryMapInfoWithACoordinateSystemStringIsPlacedByTheWkt() {
    EnviHeader h =
        EnviHeader.parse(
            BASE
                + "map info = {Arbitrary, 1, 1, -120, 35, 0.001, 0.001}\n"
                + "coordinate system string = {GEOGCS[\"GCS_WGS_1984\",DATUM[\"D_WGS_1984\","
                + "SPHEROID[\"WGS_1984\",6378137.0,298.257223563]],PRIMEM[\"Greenwich\",0.0],"
                + "UNIT[\"Degree\",0.0174532925199433]]}\n",
            "t.hdr");
    assertEquals(4326, h.georeferencing().orElseThrow().crs().epsg());
  }

  @Test
  void utmMapInfoGivesTheEpsgCodeAndGdalsTransform() {
    EnviHeader h = withMapInfo("{UTM, 1.5, 2.5, 500000, 4000000, 15, 20, 11, North, WGS-84}");
    Georeferencing g = h.georeferencing().orElseThrow();
    assertEquals(32611, g.crs().epsg());
    assertEquals(
        new GeoTransform(499992.5, 15, 0, 4000030, 0, -20), g.transform(), "origin = corner");
    assertEquals(
        32733,
        withMapInfo("{UTM, 1, 1, 5e5, 8e6, 30, 30, 33, South, WGS-84}")
            .georeferencing()
            .get()
            .crs()
            .epsg());
    assertEquals(
        26911,
        withMapInfo("{UTM, 1, 1, 5e5, 8e6, 30, 30, 11, North, North America 1983}")
            .georeferencing()
            .get()
            .crs()
            .epsg());
  }

  @Test
  void rotationFollowsGdalsSignConvention() {
    GeoTransform t =
        withMapInfo("{UTM, 1, 1, 0, 0, 10, 10, 11, North, WGS-84, rotation=30}")
            .georeferencing()
            .get()
            .transform();
    assertEquals(10 * Math.cos(Math.toRadians(30)), t.pixelWidth(), 1e-12);
    assertEquals(10 * Math.sin(Math.toRadians(30)), t.rowRotation(), 1e-12);
    assertEquals(10 * Math.sin(Math.toRadians(30)), t.colRotation(), 1e-12);
    assertEquals(-10 * Math.cos(Math.toRadians(30)), t.pixelHeight(), 1e-12);
  }

  @Test
  void rotatedGridIsWrittenWithGdalsFifteenSignificantDigits() {
    double r = Math.toRadians(18), c = 15 * Math.cos(r), s = 15 * Math.sin(r);
    assertNotEquals(15.0, Math.hypot(c, s), "hypot alone gives 14.999999999999998");
    EnviHeader h =
        EnviHeader.of(2, 2, 1, DataType.UINT8, Interleave.BSQ, ByteOrder.LITTLE_ENDIAN).toBuilder()
            .georeferencing(
                new Georeferencing(
                    Crs.ofEpsg(32611), new GeoTransform(382000, c, s, 4085000, s, -c)))
            .build();
    assertTrue(
        h.toText()
            .contains(
                "map info = {UTM, 1, 1, 382000, 4085000, 15, 15, 11, North, WGS-84,"
                    + " rotation=18}"),
        h.toText());
  }

  @Test
  void footprintOfARotatedSceneIsTheRotatedQuadrilateralCounterClockwise() {
    EnviHeader h =
        withMapInfo("{UTM, 1, 1, 500000, 4000000, 100, 100, 11, North, WGS-84, rotation=45}");
    Footprint f = h.footprint().orElseThrow();
    List<LonLat> c = f.corners();
    // GDAL's rotation=45: the first line runs north-east, so the upper-right corner is east AND
    // north of the upper-left corner (an envelope would put it due east).
    assertTrue(c.get(1).lon() > c.get(0).lon() && c.get(1).lat() > c.get(0).lat(), c.toString());
    assertEquals(-117.0, c.get(0).lon(), 1e-9, "x = 500000 is the central meridian");
    List<LonLat> ring = f.ring();
    assertEquals(5, ring.size());
    assertEquals(ring.get(0), ring.get(4));
    double area = 0;
    for (int i = 0; i < 4; i++)
      area += ring.get(i).lon() * ring.get(i + 1).lat() - ring.get(i + 1).lon() * ring.get(i).lat();
    assertTrue(area > 0, "RFC 7946: exterior ring counter-clockwise");
    double[] bbox = f.bbox();
    assertTrue(bbox[0] < bbox[2] && bbox[1] < bbox[3]);
  }

  @Test
  void builderMakesTheSameHeaderAsTheParserAndToTextRoundTrips() {
    Georeferencing g =
        new Georeferencing(Crs.ofEpsg(32611), new GeoTransform(300000, 15, 0, 4100000, 0, -15));
    EnviHeader built =
        EnviHeader.builder()
            .size(4, 3, 2)
            .dataType(DataType.INT16)
            .interleave(Interleave.BIL)
            .byteOrder(ByteOrder.BIG_ENDIAN)
            .wavelengthsNm(List.of(500.0, 600.0))
            .bandNames(List.of("a", "b"))
            .dataIgnoreValue(-9999.0)
            .extra(Map.of("sensor type", "test"))
            .georeferencing(g)
            .build();
    assertEquals(built, EnviHeader.parse(built.toText(), "round-trip"));
    assertEquals(built, built.toBuilder().build());
    assertTrue(
        built
            .toText()
            .contains("map info = {UTM, 1, 1, 300000, 4100000, 15, 15, 11, North, WGS-84}"),
        built.toText());
    assertTrue(
        built.toText().contains("coordinate system string = {PROJCS[\"WGS 84 / UTM zone 11N\""));
  }

  @Test
  void aShearedTransformCannotBecomeAHeader() {
    Georeferencing sheared =
        new Georeferencing(Crs.ofEpsg(32611), new GeoTransform(0, 10, 3, 0, 0, -10));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                EnviHeader.of(1, 1, 1, DataType.UINT8, Interleave.BSQ, ByteOrder.LITTLE_ENDIAN)
                    .toBuilder()
                    .georeferencing(sheared)
                    .build());
    assertTrue(e.getMessage().contains("sheared or mirrored"), e.getMessage());
  }

  @Test
  void crsOfUnknownEpsgCodeAsksForTheWkt() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Crs.ofEpsg(3035));
    assertTrue(e.getMessage().contains("give its WKT"), e.getMessage());
  }

  @Test
  void datumWithoutAShiftToWgs84HasNoFootprintRatherThanAWrongOne() {
    EnviHeader h =
        withMapInfo("{UTM, 1, 1, 500000, 4000000, 15, 15, 11, North, North America 1927}");
    assertEquals(26711, h.georeferencing().get().crs().epsg());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, h::footprint);
    assertTrue(e.getMessage().contains("WGS 84"), e.getMessage());
  }

  static Stream<Arguments> malformed() {
    return Stream.of(
        Arguments.of("{UTM, 1, 1, 500000, 4000000, 15}", "map info", "needs at least 7"),
        Arguments.of("UTM, 1, 1, 500000, 4000000, 15, 15", "map info", "expected a {...} list"),
        Arguments.of(
            "{UTM, 1, 1, abc, 4000000, 15, 15, 11, North, WGS-84}", "map info", "easting 'abc'"),
        Arguments.of(
            "{UTM, 1, 1, 5e5, 4e6, 0, 15, 11, North, WGS-84}", "map info", "must be positive"),
        Arguments.of(
            "{UTM, 1, 1, 5e5, 4e6, 15, -15, 11, North, WGS-84}", "map info", "must be positive"),
        Arguments.of("{UTM, 1, 1, 5e5, 4e6, 15, 15, 0, North, WGS-84}", "map info", "1..60"),
        Arguments.of("{UTM, 1, 1, 5e5, 4e6, 15, 15, 61, North, WGS-84}", "map info", "1..60"),
        Arguments.of(
            "{UTM, 1, 1, 5e5, 4e6, 15, 15, 11, Nord, WGS-84}", "map info", "North or South"),
        Arguments.of("{UTM, 1, 1, 5e5, 4e6, 15, 15, 11, North}", "map info", "assume NAD27"),
        Arguments.of("{UTM, 1, 1, 5e5, 4e6, 15, 15, 11}", "map info", "zone (field 8) and North"),
        Arguments.of(
            "{UTM, 1, 1, 5e5, 4e6, 15, 15, 11, North, Foo Datum}",
            "map info",
            "'Foo Datum' is not"),
        Arguments.of(
            "{UTM, 1, 1, 5e5, 4e6, 15, 15, 11, North, WGS-84, rotation = 20}",
            "map info",
            "GDAL ignores this spelling"),
        Arguments.of(
            "{UTM, 1, 1, 5e5, 4e6, 15, 15, 11, North, WGS-84, rotation=x}",
            "map info",
            "rotation 'x' is not a number"),
        Arguments.of(
            "{UTM, 1, 1, 5e5, 4e6, 15, 15, units=Meters, 11, North, WGS-84}",
            "map info",
            "must come after"),
        Arguments.of(
            "{UTM, 1, 1, 5e5, 4e6, 15, 15, 11, North, WGS-84, units=Feet}",
            "map info",
            "differs from the CRS's unit"),
        Arguments.of(
            "{UTM, 1, 1, 5e5, 4e6, 15, 15, 11, North, WGS-84, units=Furlongs}",
            "map info",
            "not a linear unit"),
        Arguments.of("{Geographic Lat/Lon, 1, 1, -120, 35, 0.001, 0.001}", "map info", "non-Earth"),
        Arguments.of(
            "{Geographic Lat/Lon, 1, 1, -2, 0.6, 1e-4, 1e-4, WGS-84, units=Radians}",
            "map info",
            "units=Radians is not supported"),
        Arguments.of(
            "{State Plane (NAD 83), 1, 1, 0, 0, 1, 1, 401}",
            "map info",
            "supported only with a coordinate system string"),
        Arguments.of(
            "{UTM, 1, 1, 5e5, 4e6, 15, 15, 11, North, WGS-84}\ncoordinate system string = {PROJCS[broken}",
            "coordinate system string",
            "not valid WKT"),
        Arguments.of(
            "{UTM, 1, 1, 5e5, 4e6, 15, 15, 11, North, WGS-84}\ncoordinate system string = GEOGCS[]",
            "coordinate system string",
            "expected {<WKT>}"),
        Arguments.of(
            "{X, 1, 1, 0, 0, 1, 1}\ncoordinate system string = {VERT_CS[\"x\",VERT_DATUM[\"x\",2005],UNIT[\"metre\",1]]}",
            "coordinate system string",
            "only geographic and projected"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void malformedMapInfoIsAClearPermanentErrorNamingTheField(
      String mapInfo, String key, String fragment) {
    EnviHeaderException e = assertThrows(EnviHeaderException.class, () -> withMapInfo(mapInfo));
    assertEquals(key, e.key(), e.getMessage());
    assertTrue(e.problem().contains(fragment), "'" + fragment + "' not in: " + e.getMessage());
    assertTrue(e.getMessage().startsWith("t.hdr: key '" + key + "'"), e.getMessage());
  }
}
