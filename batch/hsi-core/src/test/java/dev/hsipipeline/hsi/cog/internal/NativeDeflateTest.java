package dev.hsipipeline.hsi.cog.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Locale;
import java.util.Random;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;

class NativeDeflateTest {

  @Test
  void theNativeDeflaterLoadsOnLinuxX86_64() {
    assumeTrue(
        System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux")
            && System.getProperty("os.arch").matches("amd64|x86_64"),
        "GKL bundles its library for Linux x86_64 (and macOS) only");
    assertTrue(NativeDeflate.available(), "IntelDeflater did not load: tiles fall back to zlib");
  }

  @Test
  void aNativelyCompressedTileInflatesToItsBytesAtZlibsSize() throws DataFormatException {
    assumeTrue(NativeDeflate.available());
    byte[] tile = predictedNoise(512 * 512 * 2);
    Deflater d = NativeDeflate.create(6);
    assertNotNull(d);
    try {
      byte[] out = new byte[NativeDeflate.bound(tile.length)];
      int n = NativeDeflate.compress(d, tile, tile.length, out);
      assertTrue(n > 0);
      assertArrayEquals(tile, inflate(out, n, tile.length));
      int zlib = zlibLength(tile, 6);
      assertTrue(n <= zlib * 1.02, "native " + n + " bytes vs zlib " + zlib);
    } finally {
      d.end();
    }
  }

  @Test
  void aTileThatDoesNotFitTheBufferIsReportedSoZlibDoesIt() {
    assumeTrue(NativeDeflate.available());
    byte[] tile = predictedNoise(64 * 1024);
    Deflater d = NativeDeflate.create(6);
    try {
      assertEquals(-1, NativeDeflate.compress(d, tile, tile.length, new byte[64]));
    } finally {
      d.end();
    }
  }

  @Test
  void levelsWithoutANativeZlibWrapperUseZlib() {
    assertNull(NativeDeflate.create(1));
    assertNull(NativeDeflate.create(2));
  }

  @Test
  void aCodecTileIsTheSameWithOrWithoutTheNativeDeflater() throws DataFormatException {
    assumeTrue(NativeDeflate.available());
    byte[] samples = predictedNoise(64 * 64 * 2);
    TileCodec codec = new TileCodec(64, 1, 2, Predictors.HORIZONTAL);
    TileCodec.Rows rows = (r, dst, off) -> System.arraycopy(samples, r * 128, dst, off, 128);
    try (TileCodec.Scratch s = new TileCodec.Scratch(6)) {
      assertNotNull(s.fast);
      TileCodec.Piece nativePiece = codec.compress(rows, 0, s);
      byte[] fromNative = inflate(nativePiece.data(), nativePiece.length(), samples.length);
      Deflater zlib = new Deflater(6);
      zlib.setInput(predictedWithCodec(samples));
      zlib.finish();
      byte[] z = new byte[samples.length * 2];
      int n = zlib.deflate(z);
      zlib.end();
      assertArrayEquals(inflate(z, n, samples.length), fromNative);
    }
  }

  private static byte[] predictedWithCodec(byte[] samples) {
    byte[] copy = samples.clone();
    short[] shorts = new short[64];
    for (int r = 0; r < 64; r++)
      Predictors.apply(Predictors.HORIZONTAL, copy, r * 128, 64, 2, 1, new byte[0], shorts);
    return copy;
  }

  /** Smooth values plus noise, differenced: what a predictor leaves of a hyperspectral band. */
  private static byte[] predictedNoise(int bytes) {
    Random random = new Random(7);
    byte[] b = new byte[bytes];
    for (int i = 0; i < bytes; i += 2) {
      int v = (int) Math.round(random.nextGaussian() * 40);
      b[i] = (byte) v;
      b[i + 1] = (byte) (v >> 8);
    }
    return b;
  }

  private static byte[] inflate(byte[] in, int length, int size) throws DataFormatException {
    Inflater inf = new Inflater();
    try {
      inf.setInput(in, 0, length);
      byte[] out = new byte[size];
      int n = inf.inflate(out);
      assertEquals(size, n);
      assertTrue(inf.finished());
      return out;
    } finally {
      inf.end();
    }
  }

  private static int zlibLength(byte[] in, int level) {
    Deflater d = new Deflater(level);
    try {
      d.setInput(in);
      d.finish();
      byte[] out = new byte[in.length * 2];
      return d.deflate(out);
    } finally {
      d.end();
    }
  }
}
