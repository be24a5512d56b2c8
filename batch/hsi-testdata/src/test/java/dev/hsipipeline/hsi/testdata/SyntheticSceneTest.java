package dev.hsipipeline.hsi.testdata;

import static org.junit.jupiter.api.Assertions.*;

import dev.hsipipeline.hsi.CubeProcessor;
import dev.hsipipeline.hsi.CubeSource;
import dev.hsipipeline.hsi.DataType;
import dev.hsipipeline.hsi.EnviHeader;
import dev.hsipipeline.hsi.Interleave;
import dev.hsipipeline.hsi.NdiResult;
import dev.hsipipeline.hsi.ProductOptions;
import dev.hsipipeline.hsi.QuicklookResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The synthetic scene's bytes: deterministic, AVIRIS-like bands, the same cube in any layout. */
class SyntheticSceneTest {
  @TempDir Path dir;

  @Test
  void sameSpecGivesSameBytesAndTheSeedChangesThem() throws IOException {
    SyntheticScene.Spec spec =
        SyntheticScene.Spec.defaults()
            .withSize(20, 10, 30)
            .withDataType(DataType.FLOAT32)
            .withHeaderOffset(7);
    byte[] a = SyntheticScene.of(spec).openData().readAllBytes();
    byte[] b = SyntheticScene.of(spec).openData().readAllBytes();
    assertArrayEquals(a, b);
    assertEquals(7 + 20 * 10 * 30 * 4, a.length);
    assertEquals(SyntheticScene.of(spec).dataObjectSize(), a.length);
    assertFalse(Arrays.equals(a, SyntheticScene.of(spec.withSeed(2)).openData().readAllBytes()));
  }

  @Test
  void defaultBandsAreAvirisLike224From380To2510Nm() {
    EnviHeader h = SyntheticScene.of(SyntheticScene.Spec.defaults().withSize(4, 4, 224)).header();
    assertEquals(224, h.bands());
    assertEquals(380.0, h.wavelengthNm(0), 1e-9);
    assertEquals(2510.0, h.wavelengthNm(223), 1e-9);
    assertEquals(2130.0 / 223, h.wavelengthNm(1) - h.wavelengthNm(0), 0.01, "evenly spaced");
    assertFalse(h.isGoodBand(bandNearest(h, 1400)), "1400 nm water absorption is flagged in bbl");
    assertFalse(h.isGoodBand(bandNearest(h, 1880)), "1880 nm water absorption is flagged in bbl");
    assertTrue(h.isGoodBand(bandNearest(h, 860)), "860 nm is good");
    assertEquals(-9999.0, h.dataIgnoreValue());
    assertEquals("synthetic AVIRIS-like", h.extra().get("sensor type"));
  }

  private static int bandNearest(EnviHeader h, double nm) {
    int best = 0;
    for (int b = 1; b < h.bands(); b++)
      if (Math.abs(h.wavelengthNm(b) - nm) < Math.abs(h.wavelengthNm(best) - nm)) best = b;
    return best;
  }

  @Test
  void everyInterleaveAndByteOrderHoldsTheSameEncodedReflectance() throws IOException {
    SyntheticScene.Spec spec = SyntheticScene.Spec.defaults().withSize(17, 13, 9);
    SyntheticScene reference = SyntheticScene.of(spec);
    for (Interleave il : Interleave.values())
      for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
        SyntheticScene scene =
            SyntheticScene.of(spec.withInterleave(il).withByteOrder(order).withHeaderOffset(5));
        ByteBuffer data = ByteBuffer.wrap(scene.openData().readAllBytes()).order(order);
        for (int y = 0; y < 13; y++)
          for (int x = 0; x < 17; x++)
            for (int b = 0; b < 9; b++) {
              long index =
                  switch (il) {
                    case BSQ -> ((long) b * 13 + y) * 17 + x;
                    case BIL -> ((long) y * 9 + b) * 17 + x;
                    case BIP -> ((long) y * 17 + x) * 9 + b;
                  };
              short value = data.getShort((int) (5 + index * 2));
              boolean noData = x + y < 13 / 8;
              long expected =
                  noData
                      ? -9999
                      : Math.min(32767, Math.round(reference.reflectance(y, x, b) * 1e4));
              assertEquals(expected, value, il + " " + order + " y" + y + " x" + x + " b" + b);
            }
      }
  }

  @Test
  void productsAreIdenticalAcrossInterleavesAndThreadsAndShowRiverAndFields() throws IOException {
    SyntheticScene.Spec spec =
        SyntheticScene.Spec.defaults().withSize(96, 80, 60).withHeaderOffset(128);
    ProductOptions base =
        new ProductOptions(
            true,
            ProductOptions.Ndi.DEFAULT,
            new ProductOptions.Quicklook(640, 550, 470, 40, 2, 98),
            1,
            64 << 10);
    Run reference = null;
    for (Interleave il : Interleave.values()) {
      SyntheticScene scene =
          SyntheticScene.of(
              spec.withInterleave(il)
                  .withByteOrder(
                      il == Interleave.BIP ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN));
      byte[] data = scene.openData().readAllBytes();
      for (int threads : new int[] {1, 4}) {
        Run r =
            Run.of(
                scene.header(),
                data,
                base.withThreads(threads).withBlockBytes(threads == 1 ? 64 << 10 : 9_000));
        if (reference == null) reference = r;
        else reference.assertSameAs(r, il + " threads " + threads);
      }
    }
    QuicklookResult q = reference.result().quicklook();
    assertEquals(3, q.factor(), "96 px / 40 → box factor 3");
    assertEquals(32, q.width());
    assertEquals(27, q.height());
    NdiResult ndi = reference.result().ndi();
    assertTrue(ndi.max() > 0.6, "vegetation has a high NDVI: " + ndi);
    assertTrue(ndi.min() < 0, "water has a negative NDVI: " + ndi);
  }

  /** The products of one run and the NDI cube it wrote. */
  private record Run(CubeProcessor.Result result, byte[] ndi) {
    static Run of(EnviHeader h, byte[] data, ProductOptions o) throws IOException {
      ByteArrayOutputStream ndi = new ByteArrayOutputStream();
      CubeProcessor.Result r = CubeProcessor.process(h, CubeSource.ofBytes(data), o, ndi);
      return new Run(r, ndi.toByteArray());
    }

    void assertSameAs(Run other, String what) {
      assertEquals(result.stats(), other.result.stats(), what + ": stats");
      assertEquals(result.ndi(), other.result.ndi(), what + ": ndi summary");
      assertArrayEquals(ndi, other.ndi, what + ": ndi cube");
      assertArrayEquals(
          result.quicklook().png(), other.result.quicklook().png(), what + ": quicklook");
    }
  }

  @Test
  void writeToLeavesAHeaderThatParsesBackAndTheWholeCube() throws IOException {
    SyntheticScene scene =
        SyntheticScene.of(SyntheticScene.Spec.defaults().withSize(12, 8, 5).withHeaderOffset(3));
    Path hdr = scene.writeTo(dir.resolve("out"), "s");
    assertEquals(
        scene.header(),
        EnviHeader.parse(Files.readString(hdr, StandardCharsets.US_ASCII), hdr.toString()));
    assertArrayEquals(
        scene.openData().readAllBytes(), Files.readAllBytes(dir.resolve("out").resolve("s.img")));
  }
}
