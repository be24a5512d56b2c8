package dev.hsipipeline.hsi;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteOrder;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EnviHeaderParserTest {
  static final String SRC = "s3://hsi-data/scenes/t.hdr";

  static final String VALID =
      """
            ENVI
            description = {test
              scene}
            samples = 4
            lines   = 3
            bands   = 3
            header offset = 16
            file type = ENVI Standard
            data type = 2
            interleave = BIL
            byte order = 1
            data ignore value = -9999
            wavelength units = Micrometers
            wavelength = { 0.45, 0.65,
                0.86 }
            fwhm = {0.01, 0.01, 0.01}
            bbl = {1, 0, 1}
            band names = {blue, red, nir}
            sensor type = test rig
            """;

  @Test
  void parsesEveryKeyAndConvertsMicrometresToNanometres() {
    EnviHeader h = EnviHeader.parse(VALID, SRC);
    assertEquals(4, h.samples());
    assertEquals(3, h.lines());
    assertEquals(3, h.bands());
    assertEquals(16, h.headerOffset());
    assertEquals(DataType.INT16, h.dataType());
    assertEquals(Interleave.BIL, h.interleave());
    assertEquals(ByteOrder.BIG_ENDIAN, h.byteOrder());
    assertEquals(-9999.0, h.dataIgnoreValue());
    assertEquals(450.0, h.wavelengthNm(0), 1e-9);
    assertEquals(860.0, h.wavelengthNm(2), 1e-9);
    assertEquals(10.0, h.fwhmNm().get(0), 1e-9);
    assertEquals(List.of(true, false, true), h.goodBands());
    assertEquals(List.of("blue", "red", "nir"), h.bandNames());
    assertEquals("test\n  scene", h.description());
    assertEquals("test rig", h.extra().get("sensor type"));
    assertEquals(16 + 4 * 3 * 3 * 2, h.expectedObjectSize());
    assertFalse(h.isGoodBand(1));
    assertEquals(2, h.nearestGoodBand(700), "band 1 (650 nm) is bad, so 700 nm picks 860 nm");
  }

  @Test
  void writerOutputParsesBackToAnEqualHeader() {
    EnviHeader h = EnviHeader.parse(VALID, SRC);
    assertEquals(h, EnviHeader.parse(h.toText(), "round-trip"));
    EnviHeader georeferenced =
        EnviHeader.parse(
            VALID + "map info = {UTM, 1, 1, 5e5, 4e6, 15, 15, 11, South, WGS-84, rotation=7.5}\n",
            SRC);
    EnviHeader back = EnviHeader.parse(georeferenced.toText(), "round-trip");
    assertEquals(georeferenced.georeferencing().get().crs(), back.georeferencing().get().crs());
    assertArrayEquals(
        georeferenced.georeferencing().get().transform().toGdal(),
        back.georeferencing().get().transform().toGdal(),
        1e-9,
        "a rotated grid round-trips to within rounding of its angle");
  }

  @Test
  void acceptsCrlfCommentsCaseAndDefaults() {
    String text =
        "ENVI\r\n; a comment\r\nSAMPLES = 2\r\nLines=2\r\nbands = 1\r\nData  Type = 1\r\ninterleave = bsq\r\n";
    EnviHeader h = EnviHeader.parse(text, SRC);
    assertEquals(0, h.headerOffset());
    assertEquals(DataType.UINT8, h.dataType());
    assertEquals(ByteOrder.LITTLE_ENDIAN, h.byteOrder(), "single-byte data may omit byte order");
    assertFalse(h.hasWavelengths());
    assertTrue(h.isGoodBand(0));
  }

  @Test
  void wavelengthsWithoutUnitsBelow100AreMicrometres() {
    String text = base().replace("bands = 3", "bands = 2") + "wavelength = {0.5, 2.4}\n";
    EnviHeader h = EnviHeader.parse(text, SRC);
    assertEquals(500, h.wavelengthNm(0), 1e-9);
    assertEquals(2400, h.wavelengthNm(1), 1e-9);
  }

  @Test
  void nanIgnoreValueIsAllowed() {
    assertTrue(
        EnviHeader.parse(base() + "data ignore value = NaN\n", SRC).dataIgnoreValue().isNaN());
  }

  static String base() {
    return "ENVI\nsamples = 4\nlines = 3\nbands = 3\ndata type = 2\ninterleave = bsq\nbyte order = 0\n";
  }

  static Stream<Arguments> malformed() {
    return Stream.of(
        Arguments.of("not ENVI", "ENVX\nsamples = 1\n", null, "first line must be 'ENVI'"),
        Arguments.of("empty", "", null, "first line must be 'ENVI'"),
        Arguments.of("binary", "ENVI\n\0\0\0", null, "NUL bytes"),
        Arguments.of(
            "missing samples",
            base().replace("samples = 4\n", ""),
            "samples",
            "required key is missing"),
        Arguments.of(
            "missing lines", base().replace("lines = 3\n", ""), "lines", "required key is missing"),
        Arguments.of(
            "missing bands", base().replace("bands = 3\n", ""), "bands", "required key is missing"),
        Arguments.of(
            "missing data type",
            base().replace("data type = 2\n", ""),
            "data type",
            "required key is missing"),
        Arguments.of(
            "missing interleave",
            base().replace("interleave = bsq\n", ""),
            "interleave",
            "required key is missing"),
        Arguments.of(
            "missing byte order (int16)",
            base().replace("byte order = 0\n", ""),
            "byte order",
            "required key is missing"),
        Arguments.of(
            "samples not a number",
            base().replace("samples = 4", "samples = four"),
            "samples",
            "expected an integer, got 'four'"),
        Arguments.of(
            "samples fractional",
            base().replace("samples = 4", "samples = 4.5"),
            "samples",
            "expected an integer"),
        Arguments.of(
            "samples empty",
            base().replace("samples = 4", "samples ="),
            "samples",
            "value is empty"),
        Arguments.of(
            "samples zero",
            base().replace("samples = 4", "samples = 0"),
            "samples",
            "must be a positive integer, got 0"),
        Arguments.of(
            "lines negative",
            base().replace("lines = 3", "lines = -3"),
            "lines",
            "must be a positive integer, got -3"),
        Arguments.of(
            "bands too large",
            base().replace("bands = 3", "bands = 99999999999"),
            "bands",
            "too large"),
        Arguments.of(
            "size overflows",
            base()
                .replace("samples = 4", "samples = 2000000000")
                .replace("lines = 3", "lines = 2000000000")
                .replace("bands = 3", "bands = 2000000000"),
            "samples",
            "overflows"),
        Arguments.of(
            "negative header offset",
            base() + "header offset = -1\n",
            "header offset",
            "must be >= 0"),
        Arguments.of(
            "float64 data type",
            base().replace("data type = 2", "data type = 5"),
            "data type",
            "unsupported value 5 (float64)"),
        Arguments.of(
            "unknown data type",
            base().replace("data type = 2", "data type = 7"),
            "data type",
            "unsupported value 7; supported: 1 (uint8)"),
        Arguments.of(
            "unknown interleave",
            base().replace("interleave = bsq", "interleave = bsx"),
            "interleave",
            "unknown value 'bsx'"),
        Arguments.of(
            "byte order 2",
            base().replace("byte order = 0", "byte order = 2"),
            "byte order",
            "expected 0 (little endian) or 1 (big endian), got 2"),
        Arguments.of(
            "wavelength count",
            base() + "wavelength = {400, 500}\n",
            "wavelength",
            "has 2 entries but bands = 3"),
        Arguments.of(
            "wavelength entry",
            base() + "wavelength = {400, abc, 600}\n",
            "wavelength",
            "entry 2 'abc' is not a number"),
        Arguments.of(
            "wavelength negative",
            base() + "wavelength = {400, -5, 600}\n",
            "wavelength",
            "entry 2 (-5.0) is not a positive number"),
        Arguments.of(
            "wavelength not a list",
            base() + "wavelength = 400\n",
            "wavelength",
            "expected a {...} list"),
        Arguments.of(
            "wavelength unclosed",
            base() + "wavelength = {400, 500,\n600\n",
            "wavelength",
            "is never closed"),
        Arguments.of(
            "text after list",
            base() + "wavelength = {400, 500, 600} nm\n",
            "wavelength",
            "unexpected text after the closing '}'"),
        Arguments.of(
            "wavelength units",
            base() + "wavelength units = furlongs\nwavelength = {1, 2, 3}\n",
            "wavelength units",
            "unsupported units 'furlongs'"),
        Arguments.of(
            "fwhm count", base() + "fwhm = {1, 2}\n", "fwhm", "has 2 entries but bands = 3"),
        Arguments.of(
            "bbl value",
            base() + "bbl = {1, 2, 1}\n",
            "bbl",
            "entry 2 is 2; expected 0 (bad) or 1 (good)"),
        Arguments.of("bbl count", base() + "bbl = {1, 1}\n", "bbl", "has 2 entries but bands = 3"),
        Arguments.of(
            "band names count",
            base() + "band names = {a, b}\n",
            "band names",
            "has 2 entries but bands = 3"),
        Arguments.of(
            "ignore value",
            base() + "data ignore value = none\n",
            "data ignore value",
            "expected a number, got 'none'"),
        Arguments.of(
            "duplicate key", base() + "Samples = 5\n", "samples", "appears more than once"),
        Arguments.of(
            "no equals sign", base() + "this line is junk\n", null, "line 8 is not 'key = value'"),
        Arguments.of("empty key", base() + " = 5\n", null, "line 8 has an empty key"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void rejectsMalformedHeaderNamingKeyAndProblem(
      String name, String text, String key, String problem) {
    EnviHeaderException e =
        assertThrows(EnviHeaderException.class, () -> EnviHeader.parse(text, SRC));
    assertEquals(key, e.key(), e.getMessage());
    assertTrue(
        e.getMessage().contains(problem),
        () -> "message '" + e.getMessage() + "' should contain '" + problem + "'");
    assertTrue(e.getMessage().startsWith(SRC + ": "), "names the source");
    if (key != null) assertTrue(e.getMessage().contains("key '" + key + "'"), e.getMessage());
  }
}
