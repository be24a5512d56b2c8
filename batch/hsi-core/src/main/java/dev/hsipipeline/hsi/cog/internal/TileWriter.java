package dev.hsipipeline.hsi.cog.internal;

import java.io.IOException;
import java.util.List;

/**
 * Writes compressed tiles in GDAL's COG block format: a 4-byte little-endian size leader, the zlib
 * stream, and its last 4 bytes repeated as trailer (BLOCK_LEADER=SIZE_AS_UINT4,
 * BLOCK_TRAILER=LAST_4_BYTES_REPEATED), recording each tile's offset and size.
 */
final class TileWriter {
  /** Destination of tile bytes (the sink's body or a spool). */
  interface Out {
    void write(byte[] b, int off, int len) throws IOException;
  }

  private final byte[] zlibHeader;

  TileWriter(int level) {
    this.zlibHeader = TileCodec.zlibHeader(level);
  }

  /**
   * Writes one tile at {@code position} and returns the bytes written; the tile's data starts at
   * {@code position + 4} and is {@code TileCodec.tileLength(pieces)} long.
   */
  long write(Out out, List<TileCodec.Piece> pieces) throws IOException {
    long length = TileCodec.tileLength(pieces);
    out.write(le(length), 0, 4);
    byte[] last4 = new byte[4];
    if (pieces.size() == 1) {
      TileCodec.Piece p = pieces.get(0);
      out.write(p.data(), 0, p.length());
      System.arraycopy(p.data(), p.length() - 4, last4, 0, 4);
    } else {
      out.write(zlibHeader, 0, 2);
      for (TileCodec.Piece p : pieces) out.write(p.data(), 0, p.length());
      long adler = TileCodec.combinedAdler(pieces);
      last4 =
          new byte[] {
            (byte) (adler >>> 24), (byte) (adler >>> 16), (byte) (adler >>> 8), (byte) adler
          };
      out.write(last4, 0, 4);
    }
    out.write(last4, 0, 4);
    return 4 + length + 4;
  }

  private static byte[] le(long v) {
    return new byte[] {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)};
  }
}
