package dev.hsipipeline.hsi.cog;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hsipipeline.hsi.CubeSource;
import dev.hsipipeline.hsi.DataType;
import dev.hsipipeline.hsi.EnviHeader;
import dev.hsipipeline.hsi.Interleave;
import dev.hsipipeline.hsi.testdata.Placement;
import dev.hsipipeline.hsi.testdata.SyntheticScene;
import dev.hsipipeline.testkit.gdal.EnabledIfGdal;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * GDAL is the oracle: it opens an ENVI scene and the COG we write from it, and must read identical
 * pixels, the same CRS and geotransform, nodata, band descriptions and wavelengths; GDAL's COG
 * validator must accept the file (full check, no warning); and our overviews must be GDAL's own
 * AVERAGE overviews ({@code gdal_translate -of COG -co RESAMPLING=AVERAGE}) within rounding.
 */
@EnabledIfGdal
class CogGdalTest {
  @TempDir Path dir;

  /** How the test scene is georeferenced in its ENVI header. */
  enum Geo {
    /** UTM zone 11N, north-up: an EPSG code (32611). */
    UTM_NORTH_UP(
        "map info = {UTM, 1, 1, 500000, 4000000, 15, 15, 11, North, WGS-84, units=Meters}\n"),
    /** Geographic WGS 84, north-up: EPSG 4326. */
    GEOGRAPHIC("map info = {Geographic Lat/Lon, 1, 1, -117.5, 36.25, 0.0002, 0.0002, WGS-84}\n"),
    /** A user-defined Lambert azimuthal CRS (no EPSG code), rotated 30°. */
    CUSTOM_ROTATED(
        "map info = {Lambert Azimuthal Equal Area, 1, 1, 1000, 2000, 15, 15, WGS-84,"
            + " units=Meters, rotation=30}\n"
            + "coordinate system string = {PROJCS[\"Custom_LAEA\",GEOGCS[\"GCS_WGS_1984\","
            + "DATUM[\"D_WGS_1984\",SPHEROID[\"WGS_1984\",6378137.0,298.257223563]],"
            + "PRIMEM[\"Greenwich\",0.0],UNIT[\"Degree\",0.0174532925199433]],"
            + "PROJECTION[\"Lambert_Azimuthal_Equal_Area\"],PARAMETER[\"False_Easting\",0.0],"
            + "PARAMETER[\"False_Northing\",0.0],PARAMETER[\"Central_Meridian\",-117.5],"
            + "PARAMETER[\"Latitude_Of_Origin\",36.2],UNIT[\"Meter\",1.0]]}\n"),
    /** No georeferencing at all. */
    NONE("");

    final String headerLines;

    Geo(String headerLines) {
      this.headerLines = headerLines;
    }
  }

  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    Interleave[] sources = Interleave.values();
    ByteOrder[] orders = {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN};
    int i = 0;
    for (DataType t : DataType.values()) {
      for (CogOptions.Interleave il : CogOptions.Interleave.values()) {
        for (Geo g : new Geo[] {Geo.UTM_NORTH_UP, Geo.CUSTOM_ROTATED}) {
          out.add(Arguments.of(t, il, g, sources[i % 3], orders[(i / 3) % 2]));
          i++;
        }
      }
    }
    out.add(
        Arguments.of(
            DataType.INT16,
            CogOptions.Interleave.BAND,
            Geo.GEOGRAPHIC,
            Interleave.BIL,
            ByteOrder.LITTLE_ENDIAN));
    out.add(
        Arguments.of(
            DataType.FLOAT32,
            CogOptions.Interleave.PIXEL,
            Geo.NONE,
            Interleave.BSQ,
            ByteOrder.LITTLE_ENDIAN));
    return out.stream();
  }

  @ParameterizedTest(name = "{0} {1} {2} from {3} {4}")
  @MethodSource("cases")
  void gdalReadsTheCogAsItReadsTheSourceAndTheValidatorAcceptsIt(
      DataType type, CogOptions.Interleave il, Geo geo, Interleave source, ByteOrder order)
      throws Exception {
    // 301 x 271 with 128 px tiles: partial edge tiles, two overview levels (150x135, 75x67) whose
    // odd source sizes take GDAL's weighted (non 2x2) averaging path
    SyntheticScene scene =
        SyntheticScene.of(
            SyntheticScene.Spec.defaults()
                .withSize(301, 271, 5)
                .withDataType(type)
                .withInterleave(source)
                .withByteOrder(order));
    CogOptions options = CogOptions.defaults().withTileSize(128).withInterleave(il);
    JsonNode r = convertAndCompare(scene, geo, options);

    assertEquals("GTiff", r.get("driver").asText());
    assertTrue(r.get("pixels_identical").asBoolean(), "pixels differ: " + r);
    assertTrue(r.get("crs_same").asBoolean(), "CRS differs: " + r.get("crs_cog"));
    assertGeoTransform(r.get("gt_src"), r.get("gt_cog"));
    assertBands(r.get("src_bands"), r.get("cog_bands"));
    assertEquals(
        il == CogOptions.Interleave.PIXEL ? "PIXEL" : "BAND", r.get("interleave").asText());
    assertEquals("DEFLATE", r.get("compression").asText());
    assertEquals(128, r.get("block").get(0).asInt());
    assertFalse(r.get("bigtiff").asBoolean(), "a small file is classic TIFF");
    assertValid(r);
    assertOverviewsMatchGdal(r, type);
  }

  @Test
  void pixelInterleavedTilesOfHundredsOfBandsAreCompressedInPiecesThatGdalReadsAsOneTile()
      throws Exception {
    // 530 x 40 x 224 int16: a 512 px pixel-interleaved tile row is 229 KB, so a tile is cut into
    // pieces of ~4 MiB compressed on both cores and joined into one zlib stream
    SyntheticScene scene = SyntheticScene.of(SyntheticScene.Spec.defaults().withSize(530, 40, 224));
    JsonNode r =
        convertAndCompare(
            scene,
            Geo.UTM_NORTH_UP,
            CogOptions.defaults().withInterleave(CogOptions.Interleave.PIXEL));
    assertTrue(r.get("pixels_identical").asBoolean(), "pixels differ");
    assertEquals("PIXEL", r.get("interleave").asText());
    assertValid(r);
    assertOverviewsMatchGdal(r, DataType.INT16);
  }

  @Test
  void anRgbQuicklookWrittenLineByLineIsAnRgbCogGdalReads() throws Exception {
    // a quicklook as the processor makes it: 3 x uint8, pixel interleaved, pushed as BIP lines
    int w = 700, h = 530;
    byte[] rgb = new byte[w * h * 3];
    for (int y = 0; y < h; y++)
      for (int x = 0; x < w; x++)
        for (int c = 0; c < 3; c++) rgb[(y * w + x) * 3 + c] = (byte) ((x * (c + 1) + y) & 0xFF);
    SyntheticScene scene =
        SyntheticScene.of(
            SyntheticScene.Spec.defaults()
                .withSize(w, h, 3)
                .withDataType(DataType.UINT8)
                .withInterleave(Interleave.BIP)
                .withPlacement(Placement.NONE)); // the map info is appended below
    Path hdr = scene.writeTo(dir, "scene");
    Files.write(dir.resolve("scene.img"), rgb);
    Files.writeString(
        hdr, Files.readString(hdr) + Geo.UTM_NORTH_UP.headerLines, StandardCharsets.US_ASCII);
    EnviHeader eh = EnviHeader.parse(Files.readString(hdr), hdr.toString());
    CogRaster raster =
        new CogRaster(
            w,
            h,
            DataType.UINT8,
            CogRaster.Photometric.RGB,
            List.of(
                CogRaster.Band.named("red"),
                CogRaster.Band.named("green"),
                CogRaster.Band.named("blue")),
            null,
            eh.georeferencing());
    Path cog = dir.resolve("scene.tif");
    try (CogWriter wr =
        CogWriter.open(
            raster,
            CogOptions.defaults().withInterleave(CogOptions.Interleave.PIXEL),
            CogSinks.file(cog),
            Interleave.BIP,
            ByteOrder.LITTLE_ENDIAN)) {
      for (int y = 0; y < h; y += 100) wr.write(rgb, y * w * 3, Math.min(100, h - y));
      wr.finish();
    }
    JsonNode r =
        GdalOracle.run(
            dir,
            "compare",
            dir.resolve("scene.img").toString(),
            cog.toString(),
            dir.resolve("gdal.tif").toString());
    assertTrue(r.get("pixels_identical").asBoolean());
    assertTrue(r.get("crs_same").asBoolean());
    assertEquals("PIXEL", r.get("interleave").asText());
    List<String> colors = new ArrayList<>();
    for (JsonNode b : r.get("cog_bands")) colors.add(b.get("color").asText());
    assertEquals(List.of("Red", "Green", "Blue"), colors);
    assertEquals("red", r.get("cog_bands").get(0).get("description").asText());
    assertValid(r);
  }

  @Test
  void aForcedBigTiffIsBigTiffAndStillAValidCog() throws Exception {
    SyntheticScene scene = SyntheticScene.of(SyntheticScene.Spec.defaults().withSize(200, 150, 3));
    JsonNode r =
        convertAndCompare(
            scene,
            Geo.UTM_NORTH_UP,
            CogOptions.defaults().withTileSize(64).withBigTiff(CogOptions.BigTiff.ALWAYS));
    assertTrue(r.get("bigtiff").asBoolean());
    assertTrue(r.get("pixels_identical").asBoolean());
    assertTrue(r.get("crs_same").asBoolean());
    assertValid(r);
    assertOverviewsMatchGdal(r, DataType.INT16);
  }

  private JsonNode convertAndCompare(SyntheticScene scene, Geo geo, CogOptions options)
      throws Exception {
    // The Geo case supplies the map info: the scene itself is written without one.
    Path hdr = SyntheticScene.of(scene.spec().withPlacement(Placement.NONE)).writeTo(dir, "scene");
    Files.writeString(
        hdr,
        Files.readString(hdr, StandardCharsets.US_ASCII) + geo.headerLines,
        StandardCharsets.US_ASCII);
    Path img = dir.resolve("scene.img");
    // the pipeline's path: the header, now with map info, parsed by EnviHeader (GDAL's ENVI
    // driver is the reference for that georeferencing, so GDAL must read the same from both)
    EnviHeader h =
        EnviHeader.parse(Files.readString(hdr, StandardCharsets.US_ASCII), hdr.toString());
    Path cog = dir.resolve("scene.tif");
    CogResult result = EnviToCog.convert(h, CubeSource.ofFile(img), options, CogSinks.file(cog));
    assertEquals(Files.size(cog), result.bytes());
    return GdalOracle.run(
        dir, "compare", img.toString(), cog.toString(), dir.resolve("gdal.tif").toString());
  }

  static void assertGeoTransform(JsonNode src, JsonNode cog) {
    if (src.isNull()) {
      assertTrue(cog.isNull() || isIdentity(cog), "no georeferencing expected: " + cog);
      return;
    }
    for (int i = 0; i < 6; i++)
      assertEquals(src.get(i).asDouble(), cog.get(i).asDouble(), 1e-9, "geotransform term " + i);
  }

  private static boolean isIdentity(JsonNode gt) {
    return gt.get(0).asDouble() == 0 && gt.get(1).asDouble() == 1 && gt.get(5).asDouble() == 1;
  }

  static void assertBands(JsonNode src, JsonNode cog) {
    assertEquals(src.size(), cog.size());
    for (int i = 0; i < src.size(); i++) {
      JsonNode s = src.get(i), c = cog.get(i);
      assertEquals(s.get("type").asText(), c.get("type").asText(), "band " + (i + 1) + " type");
      assertEquals(s.get("nodata").asDouble(), c.get("nodata").asDouble(), 0, "nodata");
      assertEquals(
          s.get("wavelength").asDouble(), c.get("wavelength").asDouble(), 1e-9, "wavelength");
      assertEquals("Nanometers", c.get("wavelength_units").asText());
      assertEquals(s.get("description").asText(), c.get("description").asText());
    }
  }

  static void assertValid(JsonNode r) {
    assertEquals(
        0, r.get("validator_errors").size(), "validator errors: " + r.get("validator_errors"));
    assertEquals(
        0,
        r.get("validator_warnings").size(),
        "validator warnings: " + r.get("validator_warnings"));
  }

  static void assertOverviewsMatchGdal(JsonNode r, DataType type) {
    JsonNode levels = r.get("overviews");
    assertTrue(levels.size() > 0, "overviews expected");
    for (JsonNode l : levels) {
      assertFalse(l.has("missing"), "overview count differs from GDAL's: " + levels);
      assertEquals(l.get("ref_size"), l.get("size"), "overview size");
      assertEquals(0, l.get("nodata_mismatch").asInt(), "no-data pixels differ: " + l);
      if (type == DataType.FLOAT32) assertTrue(l.get("max_rel").asDouble() <= 1e-6, "float: " + l);
      else assertTrue(l.get("max_abs").asDouble() <= 1, "integer overviews within rounding: " + l);
    }
  }
}
