package dev.hsipipeline.hsi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The products of fixed cubes, bit for bit, against digests recorded from the engine before its
 * split into per-product accumulators (issue 14): statistics (every field's bits), the NDI summary
 * and cube, and the quicklook's stretch and decoded pixels (pixels rather than PNG bytes, which
 * depend on the JDK's zlib). A change to any product's arithmetic or fold order fails here, even
 * when every path of the engine changes alike (which the cross-path comparisons in {@link
 * CubeProcessorTest} cannot see).
 */
class ProductGoldenTest {
  static final int SAMPLES = 257, LINES = 193, BANDS = 24;

  /** Digests recorded from the engine of commit d21932c. */
  static final Map<DataType, String> EXPECTED =
      Map.of(
          DataType.UINT8, "28a651010fa9a442aff7ead800b528ee",
          DataType.INT16, "7f8d717f32a816436592316f7c47c061",
          DataType.UINT16, "cfa1979120aab444293487440dcbd72c",
          DataType.FLOAT32, "ea8d78109eea1d798e0967c5946624f4");

  @ParameterizedTest
  @EnumSource(DataType.class)
  void productsAreBitIdenticalToTheRecordedEngine(DataType type) throws IOException {
    for (Interleave il : Interleave.values()) {
      for (int threads : new int[] {1, 2}) {
        EnviHeader h = header(type, il);
        ProductOptions o =
            new ProductOptions(
                true,
                new ProductOptions.Ndi(860, 650),
                new ProductOptions.Quicklook(640, 550, 470, 60, 2, 98),
                threads,
                threads == 1 ? 1 << 20 : 40_000);
        ByteArrayOutputStream ndi = new ByteArrayOutputStream();
        CubeProcessor.Result r =
            CubeProcessor.process(h, CubeSource.ofBytes(encode(type, il)), o, ndi);
        assertEquals(
            EXPECTED.get(type), digest(r, ndi.toByteArray()), type + " " + il + " " + threads);
        assertCubeExercisesEveryPath(r);
      }
    }
  }

  /** The cube is not degenerate: no-data, bad bands, box averaging and a real NDI range. */
  static void assertCubeExercisesEveryPath(CubeProcessor.Result r) {
    assertEquals(5, r.quicklook().factor(), "257 px into 60 → box factor 5");
    assertFalse(r.stats().get(13).good(), "band 14 is marked bad");
    long full = (long) SAMPLES * LINES;
    assertTrue(r.stats().get(0).count() < full, "no-data pixels are left out");
    assertTrue(r.stats().get(0).count() > full * 9 / 10, "most pixels are valid");
    assertTrue(r.ndi().min() < 0 && r.ndi().max() > 0, "NDI spans both signs: " + r.ndi());
  }

  static EnviHeader header(DataType type, Interleave il) {
    StringBuilder wl = new StringBuilder();
    StringBuilder bbl = new StringBuilder();
    for (int b = 0; b < BANDS; b++) {
      if (b > 0) {
        wl.append(", ");
        bbl.append(", ");
      }
      wl.append(String.format(Locale.ROOT, "%.2f", 400 + b * 2100.0 / (BANDS - 1)));
      bbl.append(b == 13 || b == 14 ? 0 : 1);
    }
    String text =
        "ENVI\nsamples = "
            + SAMPLES
            + "\nlines = "
            + LINES
            + "\nbands = "
            + BANDS
            + "\nheader offset = 0\ndata type = "
            + type.code()
            + "\ninterleave = "
            + il.label()
            + "\nbyte order = 1\ndata ignore value = "
            + ignore(type)
            + "\nwavelength units = Nanometers\nwavelength = {"
            + wl
            + "}\nbbl = {"
            + bbl
            + "}\n";
    return EnviHeader.parse(text, "golden-" + type);
  }

  static int ignore(DataType type) {
    return switch (type) {
      case UINT8 -> 0;
      case INT16, FLOAT32 -> -9999;
      case UINT16 -> 65535;
    };
  }

  /** A deterministic value with spatial structure, noise, no-data pixels and (float) NaN/±Inf. */
  static float value(DataType type, int x, int y, int b) {
    int hash = (x * 73_856_093) ^ (y * 19_349_663) ^ (b * 83_492_791);
    hash ^= hash >>> 13;
    hash *= 0x5bd1e995;
    hash ^= hash >>> 15;
    int noise = Math.floorMod(hash, 1000);
    if (Math.floorMod(hash >>> 7, 97) == 0) return ignore(type);
    double smooth = Math.sin(x / 23.0 + b / 5.0) * Math.cos(y / 17.0 - b / 7.0);
    return switch (type) {
      case UINT8 -> (float) (1 + Math.floorMod((int) (120 + 100 * smooth) + noise / 40, 255));
      case INT16 -> (float) (int) (smooth * 12_000 + noise * 7 - 3_000);
      case UINT16 -> (float) (int) (30_000 + smooth * 20_000 + noise * 15);
      case FLOAT32 -> {
        int special = Math.floorMod(hash >>> 3, 211);
        if (special == 1) yield Float.NaN;
        if (special == 2) yield Float.POSITIVE_INFINITY;
        yield (float) (smooth * 0.8 + noise / 3_000.0 - 0.1);
      }
    };
  }

  static byte[] encode(DataType type, Interleave il) {
    ByteBuffer buf =
        ByteBuffer.allocate(SAMPLES * LINES * BANDS * type.bytes()).order(ByteOrder.BIG_ENDIAN);
    for (int i = 0; i < SAMPLES * LINES * BANDS; i++) {
      int x, y, b;
      switch (il) {
        case BSQ -> {
          b = i / (SAMPLES * LINES);
          y = i / SAMPLES % LINES;
          x = i % SAMPLES;
        }
        case BIL -> {
          y = i / (SAMPLES * BANDS);
          b = i / SAMPLES % BANDS;
          x = i % SAMPLES;
        }
        default -> {
          y = i / (SAMPLES * BANDS);
          x = i / BANDS % SAMPLES;
          b = i % BANDS;
        }
      }
      float v = value(type, x, y, b);
      switch (type) {
        case UINT8 -> buf.put((byte) (int) v);
        case INT16, UINT16 -> buf.putShort((short) (int) v);
        case FLOAT32 -> buf.putFloat(v);
      }
    }
    return buf.array();
  }

  static String digest(CubeProcessor.Result r, byte[] ndiCube) throws IOException {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    ByteBuffer buf = ByteBuffer.allocate(64);
    for (BandStats s : r.stats()) {
      buf.clear();
      buf.putInt(s.band()).put((byte) (s.good() ? 1 : 0)).putLong(s.count());
      for (double d : new double[] {s.wavelengthNm(), s.min(), s.max(), s.mean(), s.std()}) {
        buf.putLong(Double.doubleToRawLongBits(d));
      }
      md.update(buf.array(), 0, buf.position());
    }
    NdiResult n = r.ndi();
    md.update(
        (n.bandA()
                + " "
                + n.bandB()
                + " "
                + n.validCount()
                + " "
                + bits(n.min())
                + " "
                + bits(n.max())
                + " "
                + bits(n.mean()))
            .getBytes());
    md.update(ndiCube);
    QuicklookResult q = r.quicklook();
    md.update(
        (q.width()
                + " "
                + q.height()
                + " "
                + q.factor()
                + " "
                + q.bands()[0]
                + q.bands()[1]
                + q.bands()[2])
            .getBytes());
    for (int c = 0; c < 3; c++) md.update((bits(q.low()[c]) + " " + bits(q.high()[c])).getBytes());
    BufferedImage img = ImageIO.read(new ByteArrayInputStream(q.png()));
    int[] argb = img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
    ByteBuffer pixels = ByteBuffer.allocate(argb.length * 4);
    pixels.asIntBuffer().put(argb);
    md.update(pixels.array());
    return HexFormat.of().formatHex(md.digest(), 0, 16);
  }

  static String bits(double d) {
    return Long.toHexString(Double.doubleToRawLongBits(d));
  }
}
