package dev.hsipipeline.hsi;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hsipipeline.hsi.geo.Crs;
import dev.hsipipeline.hsi.geo.Footprint;
import dev.hsipipeline.hsi.geo.GeoTransform;
import dev.hsipipeline.hsi.geo.Georeferencing;
import dev.hsipipeline.hsi.geo.LonLat;
import dev.hsipipeline.testkit.gdal.EnabledIfGdal;
import dev.hsipipeline.testkit.gdal.Gdal;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GDAL 3.6 is the oracle: headers written by GDAL's own ENVI driver, and hand-written ones, must
 * parse to the geotransform and CRS GDAL reads from them, and footprints must agree with
 * GDAL/PROJ's reprojection to WGS 84 within 1e-7 degrees. Headers we write must read back the same
 * in GDAL.
 */
@EnabledIfGdal
class EnviGeoreferencingGdalTest {
  static final double FOOTPRINT_TOLERANCE_DEG = 1e-7;
  static final String ALBERS_WGS84 =
      "+proj=aea +lat_1=29.5 +lat_2=45.5 +lat_0=23 +lon_0=-96 +x_0=0 +y_0=0 +datum=WGS84"
          + " +units=m +no_defs";
  static final String TM_WGS84 =
      "+proj=tmerc +lat_0=0 +lon_0=-115.5 +k=0.9999 +x_0=200000 +y_0=0 +datum=WGS84 +units=m"
          + " +no_defs";

  @TempDir Path dir;

  /** One ENVI dataset for GDAL to create. */
  record Case(
      String name,
      String crs,
      double[] gt,
      int expectedEpsg,
      String type,
      String interleave,
      String byteOrder) {
    static Case of(String name, String crs, double[] gt, int expectedEpsg) {
      return new Case(name, crs, gt, expectedEpsg, "Int16", "BSQ", "LITTLE_ENDIAN");
    }

    Map<String, Object> json() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", name);
      m.put("crs", crs);
      m.put("gt", gt);
      m.put("type", type);
      m.put("interleave", interleave);
      m.put("byteOrder", byteOrder);
      return m;
    }
  }

  static double[] northUp(double x0, double y0, double size) {
    return new double[] {x0, size, 0, y0, 0, -size};
  }

  /** A grid rotated as GDAL's ENVI driver writes {@code rotation=deg}. */
  static double[] rotated(double x0, double y0, double size, double deg) {
    double r = Math.toRadians(deg);
    return new double[] {
      x0, size * Math.cos(r), size * Math.sin(r), y0, size * Math.sin(r), -size * Math.cos(r)
    };
  }

  @Test
  void headersGdalWritesParseToTheGeoreferencingGdalReads() throws IOException {
    List<Case> cases =
        List.of(
            Case.of("utm11n", "EPSG:32611", northUp(500000, 4000000, 15), 32611),
            Case.of("utm33s", "EPSG:32733", northUp(300000, 8000000, 30), 32733),
            Case.of(
                "geographic", "EPSG:4326", new double[] {-120.5, 0.001, 0, 35.2, 0, -0.001}, 4326),
            Case.of("rotated20", "EPSG:32611", rotated(400000, 3800000, 15, 20), 32611),
            Case.of("rotatedSouth", "EPSG:32755", rotated(350000, 6000000, 5, -35.5), 32755),
            Case.of("nad83", "EPSG:26911", northUp(500000, 4000000, 15), 26911),
            Case.of("wgs72", "EPSG:32211", northUp(500000, 4000000, 15), 32211),
            Case.of("laea", "EPSG:3035", northUp(4000000, 3000000, 100), -1),
            Case.of("albersCustom", ALBERS_WGS84, northUp(-2000000, 2500000, 30), 0),
            Case.of("tmCustomRotated", TM_WGS84, rotated(180000, 3700000, 10, 7.25), 0));
    JsonNode gdal = create(cases);
    List<String[]> samePairs = new ArrayList<>();
    for (Case c : cases) {
      Path img = dir.resolve(c.name + ".img");
      JsonNode g = gdal.get(img.toString());
      EnviHeader h = parse(img);
      Georeferencing ours = h.georeferencing().orElseThrow(() -> new AssertionError(c.name));
      assertTransform(g.get("gt"), ours.transform(), c.name);
      if (c.expectedEpsg > 0) {
        assertEquals(c.expectedEpsg, ours.crs().epsg(), c.name + ": EPSG code");
        assertEquals(c.expectedEpsg, g.get("epsg").asInt(), c.name + ": GDAL's EPSG code");
      } else if (c.expectedEpsg == 0) {
        assertEquals(0, ours.crs().epsg(), c.name + ": a custom CRS has no EPSG code");
      }
      samePairs.add(new String[] {crsText(ours.crs()), g.get("wkt").asText()});
      assertFootprint(g.get("corners"), h.footprint().orElseThrow(), c.name);
    }
    assertAllSame(samePairs, cases.stream().map(Case::name).toList());
  }

  @Test
  void everySupportedDataTypeInterleaveAndByteOrderParsesAsGdalWroteIt() throws IOException {
    List<Case> cases = new ArrayList<>();
    Map<String, DataType> types =
        Map.of(
            "Byte", DataType.UINT8,
            "Int16", DataType.INT16,
            "UInt16", DataType.UINT16,
            "Float32", DataType.FLOAT32);
    for (String type : types.keySet())
      for (Interleave il : Interleave.values())
        for (String order : List.of("LITTLE_ENDIAN", "BIG_ENDIAN"))
          cases.add(
              new Case(
                  type + "_" + il + "_" + order,
                  "EPSG:32611",
                  rotated(500000, 4000000, 15, il.ordinal() * 10.0),
                  32611,
                  type,
                  il.label(),
                  order));
    JsonNode gdal = create(cases);
    for (Case c : cases) {
      Path img = dir.resolve(c.name + ".img");
      EnviHeader h = parse(img);
      assertEquals(types.get(c.type), h.dataType(), c.name);
      assertEquals(c.interleave, h.interleave().label(), c.name);
      if (h.dataType().bytes() > 1) // single bytes have no order (GDAL writes 0 for them)
      assertEquals(
            c.byteOrder.equals("BIG_ENDIAN") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN,
            h.byteOrder(),
            c.name);
      assertEquals(List.of("first band", "Band 2"), h.bandNames(), c.name);
      assertEquals(-9999.0, h.dataIgnoreValue(), c.name);
      assertEquals(
          img.toString(), h.description(), c.name + ": GDAL's 'description = {' + newline");
      assertTransform(
          gdal.get(img.toString()).get("gt"), h.georeferencing().get().transform(), c.name);
      assertEquals(32611, h.georeferencing().get().crs().epsg(), c.name);
    }
  }

  @Test
  void dataTypesThePipelineDoesNotProcessFailWithTheirName() throws IOException {
    List<Case> cases = new ArrayList<>();
    for (String type : List.of("Int32", "UInt32", "Float64", "CFloat32", "CFloat64"))
      cases.add(
          new Case(
              type, "EPSG:32611", northUp(500000, 4000000, 15), 0, type, "BSQ", "LITTLE_ENDIAN"));
    create(cases);
    for (Case c : cases) {
      EnviHeaderException e =
          assertThrows(EnviHeaderException.class, () -> parse(dir.resolve(c.name + ".img")));
      assertEquals("data type", e.key(), c.name);
      assertTrue(e.problem().contains("unsupported value"), e.getMessage());
    }
  }

  @Test
  void handWrittenMapInfoWithoutWktReadsAsGdalReadsIt() throws IOException {
    Map<String, String> mapInfos = new LinkedHashMap<>();
    mapInfos.put(
        "fracRot", "{UTM, 1.5, 2.5, 500000, 4000000, 15, 15, 11, North, WGS-84, rotation=20}");
    mapInfos.put("frac", "{UTM, 1.5, 2.5, 500000, 4000000, 15, 20, 11, North, WGS-84}");
    mapInfos.put("south", "{UTM, 1, 1, 500000, 7000000, 15, 15, 33, South, WGS-84, units=Meters}");
    mapInfos.put("lowercase", "{utm, 1, 1, 500000, 4000000, 15, 15, 11, north, wgs-84}");
    mapInfos.put("nad83", "{UTM, 1, 1, 500000, 4000000, 15, 15, 11, North, North America 1983}");
    mapInfos.put("wgs72", "{UTM, 1, 1, 500000, 4000000, 15, 15, 11, South, WGS-72}");
    mapInfos.put("geo", "{Geographic Lat/Lon, 1, 1, -120, 35, 0.001, 0.001, WGS-84}");
    mapInfos.put(
        "geoNad83", "{Geographic Lat/Lon, 1, 1, -120, 35, 0.001, 0.001, North America 1983}");
    mapInfos.put(
        "geoUnitsOnly", "{Geographic Lat/Lon, 1, 1, -120, 35, 0.001, 0.001, units=Degrees}");
    mapInfos.put(
        "geoSeconds",
        "{Geographic Lat/Lon, 1, 1, -432000, 126000, 3.6, 3.6, WGS-84, units=Seconds}");
    mapInfos.put(
        "southUp", "{UTM, 1, 1, 500000, 4000000, 15, 15, 11, North, WGS-84, rotation=180}");
    mapInfos.put(
        "rotNeg", "{UTM, 10, 20, 500000, 4000000, 15, 15, 11, North, WGS-84, rotation=-35.5}");
    List<String> files = new ArrayList<>();
    for (var e : mapInfos.entrySet()) {
      String hdr =
          "ENVI\nsamples = 6\nlines = 4\nbands = 1\nheader offset = 0\ndata type = 1\n"
              + "interleave = bsq\nbyte order = 0\nmap info = "
              + e.getValue()
              + "\n";
      files.add(write(e.getKey(), hdr).toString());
    }
    JsonNode gdal = read(files);
    List<String[]> pairs = new ArrayList<>();
    for (String name : mapInfos.keySet()) {
      Path img = dir.resolve(name + ".img");
      JsonNode g = gdal.get(img.toString());
      EnviHeader h = parse(img);
      Georeferencing ours = h.georeferencing().orElseThrow();
      assertTransform(g.get("gt"), ours.transform(), name);
      assertTrue(
          ours.crs().epsg() > 0, name + ": UTM and geographic on a known datum have EPSG codes");
      pairs.add(new String[] {crsText(ours.crs()), g.get("wkt").asText()});
      assertFootprint(g.get("corners"), h.footprint().orElseThrow(), name);
    }
    assertAllSame(pairs, List.copyOf(mapInfos.keySet()));
  }

  @Test
  void headersWeWriteReadBackInGdalWithTheSameGeoreferencing() throws IOException {
    Map<String, Georeferencing> grids = new LinkedHashMap<>();
    grids.put("utm", geo(Crs.ofEpsg(32611), northUp(500000.25, 4000000.5, 15)));
    grids.put("utmSouthRotated", geo(Crs.ofEpsg(32733), rotated(300000, 8000000, 30, 12.345)));
    grids.put("southUp", geo(Crs.ofEpsg(32611), new double[] {500000, 15, 0, 4000000, 0, 15}));
    grids.put("geographic", geo(Crs.ofEpsg(4326), new double[] {-120.5, 1e-4, 0, 35.2, 0, -1e-4}));
    List<String> files = new ArrayList<>();
    for (var e : grids.entrySet()) {
      EnviHeader h =
          EnviHeader.of(6, 4, 1, DataType.UINT8, Interleave.BSQ, ByteOrder.LITTLE_ENDIAN)
              .toBuilder()
              .georeferencing(e.getValue())
              .build();
      files.add(write(e.getKey(), h.toText()).toString());
      Georeferencing back = EnviHeader.parse(h.toText(), e.getKey()).georeferencing().orElseThrow();
      assertEquals(e.getValue().crs(), back.crs(), e.getKey());
      assertTransform(e.getValue().transform().toGdal(), back.transform(), e.getKey());
    }
    // A custom WKT (no EPSG code) goes out as coordinate system string and comes back verbatim.
    JsonNode custom =
        Gdal.python(
            "import sys,json\nfrom osgeo import osr\ns=osr.SpatialReference();s.SetFromUserInput(json.load(sys.stdin));print(json.dumps(s.ExportToWkt()))",
            ALBERS_WGS84);
    Crs albers =
        EnviHeader.parse(
                "ENVI\nsamples = 1\nlines = 1\nbands = 1\ndata type = 1\ninterleave = bsq\n"
                    + "map info = {Albers, 1, 1, 0, 0, 30, 30}\ncoordinate system string = {"
                    + custom.asText()
                    + "}\n",
                "albers")
            .georeferencing()
            .orElseThrow()
            .crs();
    assertEquals(0, albers.epsg());
    grids.put(
        "albers", new Georeferencing(albers, GeoTransform.ofGdal(northUp(-2000000, 2500000, 30))));
    EnviHeader h =
        EnviHeader.of(6, 4, 1, DataType.UINT8, Interleave.BSQ, ByteOrder.LITTLE_ENDIAN).toBuilder()
            .georeferencing(grids.get("albers"))
            .build();
    files.add(write("albers", h.toText()).toString());

    JsonNode gdal = read(files);
    List<String[]> pairs = new ArrayList<>();
    for (var e : grids.entrySet()) {
      JsonNode g = gdal.get(dir.resolve(e.getKey() + ".img").toString());
      assertTransform(g.get("gt"), e.getValue().transform(), e.getKey());
      if (e.getValue().crs().epsg() > 0)
        assertEquals(e.getValue().crs().epsg(), g.get("epsg").asInt(), e.getKey());
      pairs.add(new String[] {crsText(e.getValue().crs()), g.get("wkt").asText()});
    }
    assertAllSame(pairs, List.copyOf(grids.keySet()));
  }

  // ------------------------------------------------------------------ helpers

  static Georeferencing geo(Crs crs, double[] gt) {
    return new Georeferencing(crs, GeoTransform.ofGdal(gt));
  }

  JsonNode create(List<Case> cases) {
    return Gdal.python(
        script("envi_oracle.py"),
        Map.of("dir", dir.toString(), "create", cases.stream().map(Case::json).toList()));
  }

  JsonNode read(List<String> files) {
    return Gdal.python(script("envi_oracle.py"), Map.of("dir", dir.toString(), "read", files));
  }

  Path write(String name, String headerText) throws IOException {
    Files.writeString(dir.resolve(name + ".hdr"), headerText, StandardCharsets.US_ASCII);
    Path img = dir.resolve(name + ".img");
    EnviHeader h = EnviHeader.parse(headerText, name);
    Files.write(img, new byte[(int) h.expectedObjectSize()]);
    return img;
  }

  static EnviHeader parse(Path img) throws IOException {
    Path hdr = img.resolveSibling(img.getFileName().toString().replace(".img", ".hdr"));
    return EnviHeader.parse(Files.readString(hdr, StandardCharsets.US_ASCII), hdr.toString());
  }

  static String crsText(Crs crs) {
    return crs.epsg() > 0 ? "EPSG:" + crs.epsg() : crs.wkt();
  }

  static void assertAllSame(List<String[]> pairs, List<String> names) {
    JsonNode same = Gdal.python(script("same_crs.py"), pairs);
    for (int i = 0; i < pairs.size(); i++)
      assertTrue(
          same.get(i).asBoolean(),
          names.get(i)
              + ": GDAL does not consider "
              + pairs.get(i)[0]
              + " the same as "
              + pairs.get(i)[1]);
  }

  static void assertTransform(JsonNode gdalGt, GeoTransform ours, String what) {
    assertNotNull(gdalGt, what + ": GDAL found no geotransform");
    double[] g = new double[6];
    for (int i = 0; i < 6; i++) g[i] = gdalGt.get(i).asDouble();
    assertTransform(g, ours, what);
  }

  /** Equal to a few ulps: both sides evaluate the same formula on the same header text. */
  static void assertTransform(double[] expected, GeoTransform ours, String what) {
    double[] o = ours.toGdal();
    for (int i = 0; i < 6; i++) {
      double tolerance = Math.ulp(Math.max(Math.abs(expected[i]), Math.abs(expected[1]))) * 4;
      assertEquals(
          expected[i],
          o[i],
          tolerance,
          what + ": gt[" + i + "] " + java.util.Arrays.toString(expected) + " vs " + ours);
    }
  }

  static void assertFootprint(JsonNode gdalCorners, Footprint ours, String what) {
    assertNotNull(gdalCorners, what + ": GDAL computed no corners");
    List<LonLat> corners = ours.corners();
    for (int i = 0; i < 4; i++) {
      JsonNode c = gdalCorners.get(i);
      assertEquals(
          c.get(0).asDouble(),
          corners.get(i).lon(),
          FOOTPRINT_TOLERANCE_DEG,
          what + " corner " + i + " lon");
      assertEquals(
          c.get(1).asDouble(),
          corners.get(i).lat(),
          FOOTPRINT_TOLERANCE_DEG,
          what + " corner " + i + " lat");
    }
  }

  static String script(String name) {
    try (InputStream in = EnviGeoreferencingGdalTest.class.getResourceAsStream("/gdal/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
