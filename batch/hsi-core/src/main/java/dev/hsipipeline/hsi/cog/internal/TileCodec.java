package dev.hsipipeline.hsi.cog.internal;

import java.util.Arrays;
import java.util.List;
import java.util.zip.Adler32;
import java.util.zip.Deflater;

/**
 * Predictor + DEFLATE for one tile, optionally split into pieces compressed in parallel. A tile is
 * one zlib stream (TIFF compression 8). Large tiles (pixel interleave of hundreds of bands) are cut
 * at row boundaries into pieces of about {@link #PIECE_BYTES}: each piece is raw DEFLATE primed
 * with the previous 32 KiB as dictionary and ended with a sync flush (the last one finishes), and
 * the pieces are joined between a zlib header and the Adler-32 of the whole tile — pigz's method, a
 * valid zlib stream of practically the same size as a one-piece compression.
 */
final class TileCodec {
  static final int PIECE_BYTES = 4 << 20;
  private static final int WINDOW = 32 * 1024;
  private static final int FEED_BYTES = 256 * 1024;

  /** Writes tile row {@code r}: tileSize × spp little-endian samples, padding included. */
  interface Rows {
    void row(int r, byte[] dst, int off);
  }

  /** Compressed bytes of one piece and the Adler-32 of its uncompressed (predicted) bytes. */
  record Piece(byte[] data, int length, long adler, long rawLength) {}

  /** Per-thread compressors and buffers; {@link #close} frees the native zlib memory. */
  static final class Scratch implements AutoCloseable {
    final Deflater zlib, raw;

    /** The native one-shot deflater for single-piece tiles, or null ({@link NativeDeflate}). */
    final Deflater fast;

    byte[] rows = new byte[0], tmp = new byte[0], dict = new byte[0], out = new byte[0];
    short[] shorts = new short[0];
    final Adler32 adler = new Adler32();

    Scratch(int level) {
      zlib = new Deflater(level, false);
      raw = new Deflater(level, true);
      fast = NativeDeflate.create(level);
    }

    @Override
    public void close() {
      zlib.end();
      raw.end();
      if (fast != null) fast.end();
    }
  }

  final int tileSize, spp, bps, predictor;
  final int rowBytes, rowsPerPiece, pieces;

  TileCodec(int tileSize, int spp, int bps, int predictor) {
    this.tileSize = tileSize;
    this.spp = spp;
    this.bps = bps;
    this.predictor = predictor;
    this.rowBytes = tileSize * spp * bps;
    this.rowsPerPiece = Math.max(1, Math.min(tileSize, PIECE_BYTES / rowBytes));
    this.pieces = (tileSize + rowsPerPiece - 1) / rowsPerPiece;
  }

  /** Compresses piece {@code p} (of {@link #pieces}) of the tile whose rows {@code rows} gives. */
  Piece compress(Rows rows, int p, Scratch s) {
    int r0 = p * rowsPerPiece, r1 = Math.min(tileSize, r0 + rowsPerPiece);
    boolean single = pieces == 1;
    if (single && s.fast != null) {
      Piece piece = compressWhole(rows, s);
      if (piece != null) return piece;
    }
    Deflater d = single ? s.zlib : s.raw;
    d.reset();
    if (!single && p > 0) d.setDictionary(dictionary(rows, r0, s), 0, WINDOW);
    int feedRows = Math.max(1, Math.min(r1 - r0, FEED_BYTES / rowBytes));
    if (s.rows.length < feedRows * rowBytes) s.rows = new byte[feedRows * rowBytes];
    if (predictor == Predictors.FLOATING_POINT && s.tmp.length < rowBytes)
      s.tmp = new byte[rowBytes];
    if (s.shorts.length < tileSize * spp) s.shorts = new short[tileSize * spp];
    s.adler.reset();
    long raw = (long) (r1 - r0) * rowBytes;
    byte[] out = new byte[(int) Math.min(Integer.MAX_VALUE - 16, raw / 3 + 1024)];
    int len = 0;
    for (int r = r0; r < r1; r += feedRows) {
      int n = Math.min(feedRows, r1 - r);
      for (int i = 0; i < n; i++) {
        rows.row(r + i, s.rows, i * rowBytes);
        Predictors.apply(
            predictor, s.rows, i * rowBytes, tileSize * spp, bps, spp, s.tmp, s.shorts);
      }
      if (!single) s.adler.update(s.rows, 0, n * rowBytes);
      d.setInput(s.rows, 0, n * rowBytes);
      while (!d.needsInput()) {
        if (len == out.length) out = Arrays.copyOf(out, grow(out.length));
        len += d.deflate(out, len, out.length - len, Deflater.NO_FLUSH);
      }
    }
    int flush = single || p == pieces - 1 ? -1 : Deflater.SYNC_FLUSH;
    if (flush < 0) {
      d.finish();
      while (!d.finished()) {
        if (len == out.length) out = Arrays.copyOf(out, grow(out.length));
        len += d.deflate(out, len, out.length - len, Deflater.NO_FLUSH);
      }
    } else {
      while (true) {
        if (len == out.length) out = Arrays.copyOf(out, grow(out.length));
        int k = d.deflate(out, len, out.length - len, flush);
        len += k;
        if (len < out.length) break;
      }
    }
    return new Piece(out, len, s.adler.getValue(), raw);
  }

  /**
   * The whole single-piece tile, predicted into one buffer and compressed in one native call; null
   * in the unlikely case the output exceeds its bound (zlib then does the tile).
   */
  private Piece compressWhole(Rows rows, Scratch s) {
    int length = tileSize * rowBytes;
    if (s.rows.length < length) s.rows = new byte[length];
    if (predictor == Predictors.FLOATING_POINT && s.tmp.length < rowBytes)
      s.tmp = new byte[rowBytes];
    if (s.shorts.length < tileSize * spp) s.shorts = new short[tileSize * spp];
    for (int r = 0; r < tileSize; r++) {
      rows.row(r, s.rows, r * rowBytes);
      Predictors.apply(predictor, s.rows, r * rowBytes, tileSize * spp, bps, spp, s.tmp, s.shorts);
    }
    if (s.out.length < NativeDeflate.bound(length)) s.out = new byte[NativeDeflate.bound(length)];
    int n = NativeDeflate.compress(s.fast, s.rows, length, s.out);
    if (n < 0) return null;
    return new Piece(Arrays.copyOf(s.out, n), n, 0, length);
  }

  /** The last 32 KiB of predicted bytes before row {@code r0}. */
  private byte[] dictionary(Rows rows, int r0, Scratch s) {
    int need = (WINDOW + rowBytes - 1) / rowBytes;
    int first = r0 - need;
    if (first < 0) throw new IllegalStateException("a piece boundary within the first 32 KiB");
    if (s.dict.length < need * rowBytes) s.dict = new byte[need * rowBytes];
    if (predictor == Predictors.FLOATING_POINT && s.tmp.length < rowBytes)
      s.tmp = new byte[rowBytes];
    if (s.shorts.length < tileSize * spp) s.shorts = new short[tileSize * spp];
    for (int i = 0; i < need; i++) {
      rows.row(first + i, s.dict, i * rowBytes);
      Predictors.apply(predictor, s.dict, i * rowBytes, tileSize * spp, bps, spp, s.tmp, s.shorts);
    }
    int from = need * rowBytes - WINDOW;
    return Arrays.copyOfRange(s.dict, from, from + WINDOW);
  }

  private static int grow(int n) {
    return (int) Math.min(Integer.MAX_VALUE - 16, n + (n >> 1) + 4096L);
  }

  /** Total bytes of the tile's zlib stream made of these pieces. */
  static long tileLength(List<Piece> pieces) {
    long n = 0;
    for (Piece p : pieces) n += p.length();
    return pieces.size() == 1 ? n : n + 2 + 4;
  }

  /** The zlib header for a multi-piece stream at this level (RFC 1950: CMF, FLG). */
  static byte[] zlibHeader(int level) {
    int flevel = level < 2 ? 0 : level < 6 ? 1 : level == 6 ? 2 : 3;
    int cmf = 0x78, flg = flevel << 6;
    flg += 31 - ((cmf * 256 + flg) % 31);
    return new byte[] {(byte) cmf, (byte) flg};
  }

  /** Adler-32 of the pieces' data joined in order (zlib's adler32_combine). */
  static long combinedAdler(List<Piece> pieces) {
    long a = 1;
    for (Piece p : pieces) a = combine(a, p.adler(), p.rawLength());
    return a;
  }

  static long combine(long adler1, long adler2, long len2) {
    final long base = 65521;
    long rem = len2 % base;
    long sum1 = adler1 & 0xFFFF;
    long sum2 = (rem * sum1) % base;
    sum1 += (adler2 & 0xFFFF) + base - 1;
    sum2 += ((adler1 >> 16) & 0xFFFF) + ((adler2 >> 16) & 0xFFFF) + base - rem;
    if (sum1 >= base) sum1 -= base;
    if (sum1 >= base) sum1 -= base;
    if (sum2 >= (base << 1)) sum2 -= (base << 1);
    if (sum2 >= base) sum2 -= base;
    return sum1 | (sum2 << 16);
  }
}
