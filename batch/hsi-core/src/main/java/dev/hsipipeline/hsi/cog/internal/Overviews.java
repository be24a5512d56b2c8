package dev.hsipipeline.hsi.cog.internal;

import dev.hsipipeline.hsi.DataType;
import dev.hsipipeline.hsi.Interleave;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The overview levels, computed while the full resolution streams: rows of each finished strip go
 * through a chain of {@link Reducer}s (each level from the next larger, as GDAL does), each level
 * fills its own one-tile-row strip, and a full level strip is compressed into that level's spool.
 * Called for one strip at a time, in order (the encoder's "overview lane"), so it needs no locks.
 */
final class Overviews {
  /**
   * Compressed overview tiles kept in memory, all levels together; the rest goes to a file. Small:
   * a long scene fills it early and G1 then sizes its heap for it for the rest of the run (a 64 MiB
   * budget cost ~110 MiB of RSS on an 850 MB scene and nothing on a 212 MB one, ADR 0113); small
   * rasters still never touch the disk.
   */
  static final long SPOOL_MEMORY_BYTES = 8L << 20;

  private final List<Level> levels; // [0] = full resolution
  private final int[] source; // per level: index of the level it is computed from
  private final int tileSize, bands, planes;
  private final DataType type;
  private final TileCodec codec;
  private final TileWriter writer;
  private final byte[] fillRow;
  private final Supplier<TileCodec.Scratch> scratch;

  /**
   * The level sizes GDAL's COG driver chooses: halve (rounding down, at least 1) until both sides
   * fit in one tile.
   */
  static List<int[]> sizes(int width, int height, int tileSize) {
    List<int[]> out = new ArrayList<>();
    int w = width, h = height;
    while (w > tileSize || h > tileSize) {
      w = Math.max(1, w / 2);
      h = Math.max(1, h / 2);
      out.add(new int[] {w, h});
    }
    return out;
  }

  Overviews(
      List<Level> levels,
      int tileSize,
      int bands,
      int planes,
      DataType type,
      Double nodata,
      TileCodec codec,
      TileWriter writer,
      byte[] fillRow,
      Path tempDir,
      Supplier<TileCodec.Scratch> scratch) {
    this.levels = levels;
    this.tileSize = tileSize;
    this.bands = bands;
    this.planes = planes;
    this.type = type;
    this.codec = codec;
    this.writer = writer;
    this.fillRow = fillRow;
    this.scratch = scratch;
    source = new int[levels.size()];
    Spool.MemoryBudget spoolBudget = new Spool.MemoryBudget(SPOOL_MEMORY_BYTES);
    for (int i = 1; i < levels.size(); i++) {
      Level l = levels.get(i);
      // GDAL uses the previous overview as source only when it is wider than this one
      source[i] = levels.get(i - 1).width > l.width && i > 1 ? i - 1 : 0;
      Level src = levels.get(source[i]);
      l.strip =
          new Strip(l.width, bands, type, Math.min(tileSize, l.height), Interleave.BSQ, false);
      l.strip.reset(0);
      l.spool = new Spool(spoolBudget, tempDir);
      final int index = i;
      l.reducer =
          new Reducer(
              src.width,
              src.height,
              l.width,
              l.height,
              bands,
              type,
              nodata,
              (row, values) -> emitted(index, row, values));
    }
  }

  /** Feeds the rows of a full-resolution strip to every level computed from it. */
  void accept(Strip s) {
    for (int r = 0; r < s.lines; r++) {
      int y = s.firstLine + r;
      for (int i = 1; i < levels.size(); i++) {
        if (source[i] != 0) continue;
        float[][] slot = levels.get(i).reducer.slot(y);
        for (int b = 0; b < bands; b++) s.decode(r, b, 0, s.width, slot[b]);
        levels.get(i).reducer.pushed(y);
      }
    }
  }

  private void emitted(int i, int row, float[][] values) {
    Level l = levels.get(i);
    Strip st = l.strip;
    int r = row - st.firstLine;
    for (int b = 0; b < bands; b++)
      Samples.encodeLe(type, values[b], l.width, st.data, st.offset(r, b, 0));
    st.lines = r + 1;
    for (int j = i + 1; j < levels.size(); j++) {
      if (source[j] != i) continue;
      float[][] slot = levels.get(j).reducer.slot(row);
      for (int b = 0; b < bands; b++) System.arraycopy(values[b], 0, slot[b], 0, l.width);
      levels.get(j).reducer.pushed(row);
    }
    if (st.lines == tileSize || row == l.height - 1) {
      try {
        compress(l);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      st.reset(row + 1);
    }
  }

  private void compress(Level l) throws IOException {
    int ty = l.strip.firstLine / tileSize;
    TileCodec.Scratch s = scratch.get();
    for (int tx = 0; tx < l.tilesX; tx++) {
      for (int plane = 0; plane < planes; plane++) {
        TileCodec.Rows rows = Tiles.of(l.strip, tx, planes == 1 ? -1 : plane, tileSize, fillRow);
        List<TileCodec.Piece> pieces = new ArrayList<>(codec.pieces);
        for (int p = 0; p < codec.pieces; p++) pieces.add(codec.compress(rows, p, s));
        int index = l.index(ty, tx, plane);
        l.offsets[index] = l.spool.size() + 4;
        l.counts[index] = TileCodec.tileLength(pieces);
        writer.write(l.spool::write, pieces);
      }
    }
  }

  /** True once every level has written all its rows. */
  boolean complete() {
    for (int i = 1; i < levels.size(); i++) {
      Level l = levels.get(i);
      if (l.strip.firstLine < l.height) return false;
    }
    return true;
  }
}
