package dev.hsipipeline.hsi;

import static org.junit.jupiter.api.Assertions.*;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Products of a small cube checked against values computed here, independently of the engine: exact
 * BigDecimal statistics, per-pixel NDI, and a percentile stretch done by hand.
 */
class CubeProcessorTest {
  static final int S = 7, L = 5, B = 6;
  static final List<Double> WL = List.of(450.0, 550.0, 650.0, 750.0, 860.0, 1400.0);
  static final List<Boolean> BBL = List.of(true, true, true, true, true, false);

  /** Test values in [band][line][sample]; ignore value at x == y, one NaN for float32. */
  static float[][][] values(DataType t) {
    float[][][] v = new float[B][L][S];
    for (int b = 0; b < B; b++)
      for (int y = 0; y < L; y++)
        for (int x = 0; x < S; x++) {
          int base = (y * 31 + x * 17 + b * 101) % 2000;
          float val =
              switch (t) {
                case INT16 -> base - 500;
                case UINT16 -> base + 30000;
                case UINT8 -> base % 250 + 1;
                case FLOAT32 -> (base - 500) / 7.0f;
              };
          if (x == y) val = (float) ignore(t);
          if (t == DataType.FLOAT32 && x == 6 && y == 0) val = Float.NaN;
          v[b][y][x] = val;
        }
    return v;
  }

  static double ignore(DataType t) {
    return switch (t) {
      case INT16, FLOAT32 -> -9999;
      case UINT16 -> 65535;
      case UINT8 -> 0;
    };
  }

  static EnviHeader header(DataType t, Interleave il, ByteOrder o, long offset) {
    return EnviHeader.builder()
        .size(S, L, B)
        .headerOffset(offset)
        .dataType(t)
        .interleave(il)
        .byteOrder(o)
        .wavelengthsNm(WL)
        .dataIgnoreValue(ignore(t))
        .goodBands(BBL)
        .build();
  }

  /** The test's own encoder: plain nested loops in file order. */
  static byte[] encode(float[][][] v, DataType t, Interleave il, ByteOrder o, int offset) {
    ByteBuffer buf = ByteBuffer.allocate(offset + S * L * B * t.bytes()).order(o);
    for (int i = 0; i < offset; i++) buf.put((byte) 0x7F);
    switch (il) {
      case BSQ -> {
        for (int b = 0; b < B; b++)
          for (int y = 0; y < L; y++) for (int x = 0; x < S; x++) put(buf, t, v[b][y][x]);
      }
      case BIL -> {
        for (int y = 0; y < L; y++)
          for (int b = 0; b < B; b++) for (int x = 0; x < S; x++) put(buf, t, v[b][y][x]);
      }
      case BIP -> {
        for (int y = 0; y < L; y++)
          for (int x = 0; x < S; x++) for (int b = 0; b < B; b++) put(buf, t, v[b][y][x]);
      }
    }
    return buf.array();
  }

  static void put(ByteBuffer buf, DataType t, float v) {
    switch (t) {
      case UINT8 -> buf.put((byte) (int) v);
      case INT16, UINT16 -> buf.putShort((short) (int) v);
      case FLOAT32 -> buf.putFloat(v);
    }
  }

  static ProductOptions options(int threads, int blockBytes) {
    return new ProductOptions(
        true,
        ProductOptions.Ndi.DEFAULT,
        new ProductOptions.Quicklook(640, 550, 470, 1024, 2, 98),
        threads,
        blockBytes);
  }

  record Run(CubeProcessor.Result result, byte[] ndi) {}

  static Run run(EnviHeader h, byte[] data, ProductOptions o) throws IOException {
    ByteArrayOutputStream ndi = new ByteArrayOutputStream();
    CubeProcessor.Result r = CubeProcessor.process(h, CubeSource.ofBytes(data), o, ndi);
    return new Run(r, ndi.toByteArray());
  }

  static boolean valid(DataType t, float x) {
    return Float.isFinite(x) && x != (float) ignore(t);
  }

  @ParameterizedTest
  @EnumSource(DataType.class)
  void statisticsMatchExactIndependentComputation(DataType t) throws IOException {
    float[][][] v = values(t);
    Run run =
        run(
            header(t, Interleave.BSQ, ByteOrder.LITTLE_ENDIAN, 0),
            encode(v, t, Interleave.BSQ, ByteOrder.LITTLE_ENDIAN, 0),
            options(1, 1 << 20));
    List<BandStats> stats = run.result().stats();
    assertEquals(B, stats.size());
    MathContext mc = new MathContext(50);
    for (int b = 0; b < B; b++) {
      BandStats s = stats.get(b);
      assertEquals(b, s.band());
      assertEquals(WL.get(b), s.wavelengthNm());
      if (!BBL.get(b)) {
        assertFalse(s.good());
        assertEquals(0, s.count());
        assertTrue(Double.isNaN(s.mean()));
        continue;
      }
      BigDecimal sum = BigDecimal.ZERO;
      long n = 0;
      double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
      for (int y = 0; y < L; y++)
        for (int x = 0; x < S; x++) {
          float val = v[b][y][x];
          if (!valid(t, val)) continue;
          n++;
          sum = sum.add(new BigDecimal(val));
          min = Math.min(min, val);
          max = Math.max(max, val);
        }
      BigDecimal mean = sum.divide(BigDecimal.valueOf(n), mc);
      BigDecimal ss = BigDecimal.ZERO;
      for (int y = 0; y < L; y++)
        for (int x = 0; x < S; x++) {
          float val = v[b][y][x];
          if (!valid(t, val)) continue;
          BigDecimal d = new BigDecimal(val).subtract(mean);
          ss = ss.add(d.multiply(d));
        }
      double expectedStd = ss.divide(BigDecimal.valueOf(n), mc).sqrt(mc).doubleValue();
      int expectedCount =
          S * L - L - (t == DataType.FLOAT32 ? 1 : 0); // diagonal x == y has L pixels
      assertEquals(expectedCount, s.count(), "band " + b);
      assertEquals(n, s.count());
      assertEquals(min, s.min());
      assertEquals(max, s.max());
      if (t.isInteger()) {
        assertEquals(
            mean.doubleValue(), s.mean(), "integer mean is exact to float64 rounding, band " + b);
        assertEquals(expectedStd, s.std(), "integer std is exact to float64 rounding, band " + b);
      } else {
        assertEquals(
            mean.doubleValue(),
            s.mean(),
            Math.abs(mean.doubleValue()) * 1e-14 + 1e-12,
            "band " + b);
        assertEquals(expectedStd, s.std(), expectedStd * 1e-13, "band " + b);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(DataType.class)
  void ndiMatchesPerPixelFormula(DataType t) throws IOException {
    float[][][] v = values(t);
    Run run =
        run(
            header(t, Interleave.BIP, ByteOrder.BIG_ENDIAN, 3),
            encode(v, t, Interleave.BIP, ByteOrder.BIG_ENDIAN, 3),
            options(1, 1 << 20));
    NdiResult ndi = run.result().ndi();
    assertEquals(4, ndi.bandA(), "860 nm");
    assertEquals(2, ndi.bandB(), "650 nm");
    ByteBuffer out = ByteBuffer.wrap(run.ndi()).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(S * L * 4, run.ndi().length);
    long validCount = 0;
    double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
    for (int y = 0; y < L; y++)
      for (int x = 0; x < S; x++) {
        float a = v[4][y][x], b = v[2][y][x];
        float expected = Float.NaN;
        if (valid(t, a) && valid(t, b) && a + b != 0)
          expected = (float) (((double) a - b) / ((double) a + b));
        float actual = out.getFloat((y * S + x) * 4);
        assertEquals(
            Float.floatToIntBits(expected),
            Float.floatToIntBits(actual),
            "pixel " + x + "," + y + " expected " + expected + " got " + actual);
        if (!Float.isNaN(expected)) {
          validCount++;
          min = Math.min(min, expected);
          max = Math.max(max, expected);
        }
      }
    assertEquals(validCount, ndi.validCount());
    assertEquals(min, ndi.min(), "smallest valid NDI pixel");
    assertEquals(max, ndi.max(), "largest valid NDI pixel");
  }

  @Test
  void quicklookIsAPercentileStretchOfTheRgbBands() throws IOException {
    DataType t = DataType.INT16;
    float[][][] v = values(t);
    Run run =
        run(
            header(t, Interleave.BIL, ByteOrder.LITTLE_ENDIAN, 0),
            encode(v, t, Interleave.BIL, ByteOrder.LITTLE_ENDIAN, 0),
            options(1, 1 << 20));
    QuicklookResult q = run.result().quicklook();
    assertArrayEquals(new int[] {2, 1, 0}, q.bands(), "640/550/470 nm → bands 650/550/450");
    assertEquals(1, q.factor());
    BufferedImage img = ImageIO.read(new ByteArrayInputStream(q.png()));
    assertEquals(S, img.getWidth());
    assertEquals(L, img.getHeight());
    for (int c = 0; c < 3; c++) {
      int band = q.bands()[c];
      List<Float> vals = new ArrayList<>();
      for (int y = 0; y < L; y++)
        for (int x = 0; x < S; x++) if (valid(t, v[band][y][x])) vals.add(v[band][y][x]);
      float[] sorted = new float[vals.size()];
      for (int i = 0; i < sorted.length; i++) sorted[i] = vals.get(i);
      Arrays.sort(sorted);
      double lo = pct(sorted, 2), hi = pct(sorted, 98);
      assertEquals(lo, q.low()[c], 1e-9);
      assertEquals(hi, q.high()[c], 1e-9);
      for (int y = 0; y < L; y++)
        for (int x = 0; x < S; x++) {
          int argb = img.getRGB(x, y);
          if (x == y) {
            assertEquals(0, argb >>> 24, "no-data pixel is transparent");
            continue;
          }
          int expected =
              (int) Math.max(0, Math.min(255, Math.round((v[band][y][x] - lo) * 255 / (hi - lo))));
          assertEquals(
              expected, (argb >> (16 - 8 * c)) & 0xFF, "channel " + c + " at " + x + "," + y);
        }
    }
  }

  static double pct(float[] sorted, double p) {
    double pos = p / 100 * (sorted.length - 1);
    int i = (int) Math.floor(pos);
    int j = Math.min(sorted.length - 1, i + 1);
    return sorted[i] + (pos - i) * (sorted[j] - sorted[i]);
  }

  @ParameterizedTest
  @EnumSource(DataType.class)
  void everyInterleaveByteOrderOffsetBlockSizeAndThreadCountGivesIdenticalProducts(DataType t)
      throws IOException {
    float[][][] v = values(t);
    Run reference =
        run(
            header(t, Interleave.BSQ, ByteOrder.LITTLE_ENDIAN, 0),
            encode(v, t, Interleave.BSQ, ByteOrder.LITTLE_ENDIAN, 0),
            options(1, 1 << 20));
    for (Interleave il : Interleave.values())
      for (ByteOrder o : List.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN))
        for (int offset : new int[] {0, 5})
          for (int threads : new int[] {1, 3})
            for (int block : new int[] {1, 37, 1 << 20}) {
              String what =
                  il + " " + o + " offset " + offset + " threads " + threads + " block " + block;
              Run r =
                  run(
                      header(t, il, o, offset),
                      encode(v, t, il, o, offset),
                      options(threads, block));
              assertSame(reference, r, what);
            }
  }

  static void assertSame(Run expected, Run actual, String what) {
    assertEquals(expected.result().stats(), actual.result().stats(), what + ": stats");
    assertEquals(expected.result().ndi(), actual.result().ndi(), what + ": ndi summary");
    assertArrayEquals(expected.ndi(), actual.ndi(), what + ": ndi cube");
    assertArrayEquals(
        expected.result().quicklook().png(),
        actual.result().quicklook().png(),
        what + ": quicklook");
  }

  @Test
  void truncatedDataReportsExpectedAndActualBytes() {
    DataType t = DataType.INT16;
    byte[] full = encode(values(t), t, Interleave.BIL, ByteOrder.LITTLE_ENDIAN, 0);
    byte[] cut = Arrays.copyOf(full, full.length - 10);
    for (int threads : new int[] {1, 2}) {
      TruncatedDataException e =
          assertThrows(
              TruncatedDataException.class,
              () ->
                  run(
                      header(t, Interleave.BIL, ByteOrder.LITTLE_ENDIAN, 0),
                      cut,
                      options(threads, 100)));
      assertEquals(full.length, e.expectedBytes());
      assertEquals(cut.length, e.actualBytes());
      assertTrue(e.getMessage().contains("expected " + full.length + " bytes"), e.getMessage());
    }
  }

  @Test
  void productNeedingWavelengthsFailsClearlyWithoutThem() {
    EnviHeader h = EnviHeader.of(S, L, B, DataType.INT16, Interleave.BSQ, ByteOrder.LITTLE_ENDIAN);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> run(h, new byte[S * L * B * 2], options(1, 1000)));
    assertTrue(e.getMessage().contains("no 'wavelength' list"), e.getMessage());
  }
}
