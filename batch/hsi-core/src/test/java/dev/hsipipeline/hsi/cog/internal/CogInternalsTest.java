package dev.hsipipeline.hsi.cog.internal;

import static org.junit.jupiter.api.Assertions.*;

import dev.hsipipeline.hsi.DataType;
import dev.hsipipeline.hsi.Interleave;
import dev.hsipipeline.hsi.cog.CogRaster;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.Adler32;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;

/** The parts of the writer GDAL cannot see directly. */
class CogInternalsTest {
  static Head.Spec spec() {
    return new Head.Spec(CogRaster.gray(100_000, 100_000, 1, DataType.UINT8), 512, 1, 1, 2, 6);
  }

  static List<Level> levels() throws Exception {
    Level full = new Level(100_000, 100_000, 512, 1);
    Level ovr = new Level(50_000, 50_000, 512, 1);
    ovr.spool =
        new Spool(
            new Spool.MemoryBudget(1 << 20), java.nio.file.Files.createTempDirectory("spool"));
    ovr.spool.write(new byte[1000], 0, 1000);
    return List.of(full, ovr);
  }

  @Test
  void overviewSpoolsShareOneMemoryBudgetAndSpillTheRestToAFile() throws Exception {
    java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("spool");
    Spool.MemoryBudget budget = new Spool.MemoryBudget(3000);
    byte[] a = new byte[2500], b = new byte[2500];
    new Random(1).nextBytes(a);
    new Random(2).nextBytes(b);
    try (Spool first = new Spool(budget, dir);
        Spool second = new Spool(budget, dir)) {
      first.write(a, 0, 2000);
      second.write(b, 0, 2000); // 1000 bytes left in the budget: this level goes to a file
      first.write(a, 2000, 500);
      second.write(b, 2000, 500);
      first.seal();
      second.seal();
      try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.list(dir)) {
        assertEquals(1, files.count(), "only the level past the shared budget spilled to a file");
      }
      assertArrayEquals(a, first.open(0, 2500).readAllBytes());
      assertArrayEquals(b, second.open(0, 2500).readAllBytes());
      assertArrayEquals(
          java.util.Arrays.copyOfRange(b, 1500, 2200), second.open(1500, 700).readAllBytes());
    }
    assertTrue(budget.tryTake(3000), "closed spools give their memory back");
  }

  @Test
  void classicTiffIsKeptWhileEveryOffsetFits32BitsAndBigTiffChosenBeyond() throws Exception {
    List<Level> levels = levels();
    long fits = 0xFFFF_FFFFL - 2_000_000; // room for the directories of 40 000 tiles
    assertTrue(Head.fitsClassic(spec(), levels, fits));
    assertFalse(Head.fitsClassic(spec(), levels, 0xFFFF_FFFFL));
    assertFalse(Head.fitsClassic(spec(), levels, 5L << 30));
    Head small = Head.build(spec(), levels, 1000, false);
    assertFalse(small.bigTiff);
    Head big = Head.build(spec(), levels, 5L << 30, false);
    assertTrue(big.bigTiff);
    Head forced = Head.build(spec(), levels, 1000, true);
    assertTrue(forced.bigTiff);
    for (Level l : levels) if (l.spool != null) l.spool.close();
  }

  @Test
  void aTileCompressedInPiecesIsOneValidZlibStreamOfThePredictedRows() throws Exception {
    int tile = 128, spp = 300, bps = 2;
    Random rnd = new Random(7);
    byte[][] rows = new byte[tile][tile * spp * bps];
    for (byte[] r : rows) {
      for (int i = 0; i < r.length; i += 2) {
        int v = 1000 + rnd.nextInt(20);
        r[i] = (byte) v;
        r[i + 1] = (byte) (v >> 8);
      }
    }
    TileCodec codec = new TileCodec(tile, spp, bps, Predictors.HORIZONTAL);
    assertTrue(codec.pieces > 1, "rows of " + codec.rowBytes + " bytes make several pieces");
    TileCodec.Rows source = (r, dst, off) -> System.arraycopy(rows[r], 0, dst, off, rows[r].length);
    List<TileCodec.Piece> pieces = new ArrayList<>();
    try (TileCodec.Scratch s = new TileCodec.Scratch(6)) {
      for (int p = 0; p < codec.pieces; p++) pieces.add(codec.compress(source, p, s));
    }
    ByteArrayOutputStream tileBytes = new ByteArrayOutputStream();
    new TileWriter(6).write(tileBytes::write, pieces);
    byte[] all = tileBytes.toByteArray();
    long length = TileCodec.tileLength(pieces);
    assertEquals(4 + length + 4, all.length);
    assertEquals(length, (all[0] & 0xFF) | (all[1] & 0xFF) << 8 | (all[2] & 0xFF) << 16);
    Inflater inf = new Inflater();
    inf.setInput(all, 4, (int) length);
    byte[] out = new byte[tile * rows[0].length];
    assertEquals(out.length, inf.inflate(out));
    assertTrue(inf.finished(), "the Adler-32 trailer checks out");
    // undo the predictor and compare with the source rows
    for (int r = 0; r < tile; r++) {
      int base = r * rows[0].length;
      for (int i = spp; i < tile * spp; i++) {
        int p = base + 2 * i, q = base + 2 * (i - spp);
        int v = (out[p] & 0xFF | out[p + 1] << 8) + (out[q] & 0xFF | out[q + 1] << 8);
        out[p] = (byte) v;
        out[p + 1] = (byte) (v >> 8);
      }
      byte[] row = java.util.Arrays.copyOfRange(out, base, base + rows[0].length);
      assertArrayEquals(rows[r], row, "row " + r);
    }
    assertArrayEquals(
        java.util.Arrays.copyOfRange(all, all.length - 8, all.length - 4),
        java.util.Arrays.copyOfRange(all, all.length - 4, all.length),
        "trailer repeats the last 4 bytes");
  }

  @Test
  void adlerOfPiecesCombinesToTheAdlerOfTheWhole() {
    byte[] a = new byte[70_000], b = new byte[123_457];
    new Random(1).nextBytes(a);
    new Random(2).nextBytes(b);
    Adler32 x = new Adler32(), y = new Adler32(), all = new Adler32();
    x.update(a);
    y.update(b);
    all.update(a);
    all.update(b);
    assertEquals(all.getValue(), TileCodec.combine(x.getValue(), y.getValue(), b.length));
  }

  @Test
  void theFloatingPointPredictorWritesMostSignificantBytePlanesFirstThenDifferences() {
    // two pixels of one float each: 1.0f = 3F 80 00 00, 2.0f = 40 00 00 00 (big endian)
    byte[] row = {0, 0, (byte) 0x80, 0x3F, 0, 0, 0, 0x40};
    Predictors.apply(Predictors.FLOATING_POINT, row, 0, 2, 4, 1, new byte[8], new short[2]);
    // planes: [3F 40][80 00][00 00][00 00] then each byte minus its predecessor
    byte[] expected = {0x3F, 0x01, 0x40, (byte) 0x80, 0, 0, 0, 0};
    assertArrayEquals(expected, row);
  }

  @Test
  void nodataIsFormattedAsGdalFormatsIt() {
    assertEquals("-9999", GdalMetadata.nodata(-9999));
    assertEquals("65535", GdalMetadata.nodata(65535));
    assertEquals("nan", GdalMetadata.nodata(Double.NaN));
    assertEquals("-inf", GdalMetadata.nodata(Double.NEGATIVE_INFINITY));
    assertEquals("0.100000000000000006", GdalMetadata.nodata(0.1));
    assertEquals("1.00000000000000008e-05", GdalMetadata.nodata(1e-5));
    assertEquals("-3.4028234663852886e+38", GdalMetadata.nodata(-Float.MAX_VALUE));
    assertEquals("1e+20", GdalMetadata.nodata(1e20));
    assertEquals("123.5", GdalMetadata.nodata(123.5));
  }

  @Test
  void overviewsHalveRoundingDownUntilBothSidesFitOneTile() {
    assertEquals(
        List.of(List.of(350, 550), List.of(175, 275)),
        Overviews.sizes(700, 1100, 512).stream().map(s -> List.of(s[0], s[1])).toList());
    assertEquals(List.of(), Overviews.sizes(512, 512, 512));
    assertEquals(
        List.of(List.of(1, 600), List.of(1, 300)),
        Overviews.sizes(3, 1200, 512).stream().map(s -> List.of(s[0], s[1])).toList());
  }

  @Test
  void aStripRefusesGeometriesBeyondAJavaArray() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new Strip(100_000, 500, DataType.FLOAT32, 512, Interleave.BIL, false));
    assertTrue(e.getMessage().contains("smaller tile size"), e.getMessage());
  }
}
