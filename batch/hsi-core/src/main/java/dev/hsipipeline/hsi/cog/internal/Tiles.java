package dev.hsipipeline.hsi.cog.internal;

/** Gathers the rows of one tile from a strip: little endian, padded with the fill value. */
final class Tiles {
  private Tiles() {}

  /**
   * The rows of the tile at column {@code tx} of {@code s}: every band per pixel when {@code plane}
   * is negative (pixel interleave), else band {@code plane} alone.
   *
   * @param fillRow one full tile row of fill samples (no-data or 0), little endian
   */
  static TileCodec.Rows of(Strip s, int tx, int plane, int tileSize, byte[] fillRow) {
    int x0 = tx * tileSize;
    int n = Math.min(tileSize, s.width - x0);
    int bps = s.bps;
    if (plane >= 0) {
      return (r, dst, off) -> {
        if (r >= s.lines) {
          System.arraycopy(fillRow, 0, dst, off, tileSize * bps);
          return;
        }
        Samples.copyToLe(
            s.data, s.offset(r, plane, x0), s.sampleStride(), s.bigEndian, dst, off, 1, n, bps);
        if (n < tileSize) System.arraycopy(fillRow, 0, dst, off + n * bps, (tileSize - n) * bps);
      };
    }
    int bands = s.bands;
    return (r, dst, off) -> {
      if (r >= s.lines) {
        System.arraycopy(fillRow, 0, dst, off, tileSize * bands * bps);
        return;
      }
      if (s.sampleStride() == bands) {
        Samples.copyToLe(s.data, s.offset(r, 0, x0), 1, s.bigEndian, dst, off, 1, n * bands, bps);
      } else {
        for (int b = 0; b < bands; b++) {
          Samples.copyToLe(
              s.data, s.offset(r, b, x0), 1, s.bigEndian, dst, off + b * bps, bands, n, bps);
        }
      }
      if (n < tileSize)
        System.arraycopy(fillRow, 0, dst, off + n * bands * bps, (tileSize - n) * bands * bps);
    };
  }

  /** One tile row of {@code samples} samples all equal to {@code fill}, little endian. */
  static byte[] fillRow(dev.hsipipeline.hsi.DataType type, int samples, Double fill) {
    float v = 0;
    if (fill != null) {
      double f = fill;
      boolean representable =
          switch (type) {
            case UINT8 -> f == Math.rint(f) && f >= 0 && f <= 255;
            case INT16 -> f == Math.rint(f) && f >= Short.MIN_VALUE && f <= Short.MAX_VALUE;
            case UINT16 -> f == Math.rint(f) && f >= 0 && f <= 65535;
            case FLOAT32 -> true;
          };
      if (representable) v = (float) f;
    }
    float[] values = new float[samples];
    java.util.Arrays.fill(values, v);
    byte[] row = new byte[samples * type.bytes()];
    Samples.encodeLe(type, values, samples, row, 0);
    return row;
  }
}
