package dev.hsipipeline.hsi.cog.internal;

import dev.hsipipeline.hsi.DataType;

/**
 * One overview level computed as GDAL 3.6 computes {@code AVERAGE} overviews
 * (GDALRegenerateOverviewsMultiBand → GDALResampleChunk32R_AverageT): each destination pixel
 * averages the source window {@code [floor(i·r), ceil((i+1)·r))} of the next larger level with
 * fractional edge weights when the ratio {@code r} is not 2, skipping no-data samples; integer
 * results are rounded as GDAL rounds them (uint8/uint16 in integer arithmetic, int16 and float32
 * through float). Rows stream in one at a time and leave once their window is complete, so the
 * memory is a few rows whatever the raster's height.
 */
final class Reducer {
  private static final int RING = 6;
  private static final float FLT_EPSILON = Math.ulp(1.0f);

  /** Receives each finished destination row, all bands, values already rounded to the type. */
  interface RowSink {
    void row(int dstRow, float[][] bands);
  }

  private final int srcW, srcH, dstW, dstH, bands;
  private final double rx, ry;
  private final Samples.Kind kind;
  private final boolean hasNodata;
  private final float nodata;
  private final boolean nodataNan;
  private final int nodataInt;
  private final boolean nodataIntValid;
  private final float replacement;
  private final int[] x0, x1;
  private final double[] wLeft, wRight, wLine;
  private final boolean[] twoWide; // per destination column: in a chunk GDAL averages 2x2 fast
  private final boolean[] unitColumns; // per destination column: two source columns, weights 1
  private final float[][][] ring;
  private final int[] ringRow;
  private final float[][] out;
  private final RowSink sink;
  private int next;

  Reducer(
      int srcW,
      int srcH,
      int dstW,
      int dstH,
      int bands,
      DataType type,
      Double nodataValue,
      RowSink sink) {
    this.srcW = srcW;
    this.srcH = srcH;
    this.dstW = dstW;
    this.dstH = dstH;
    this.bands = bands;
    this.sink = sink;
    this.rx = (double) srcW / dstW;
    this.ry = (double) srcH / dstH;
    this.kind = Samples.kind(type);
    this.hasNodata = nodataValue != null && nodataInRange(type, nodataValue);
    this.nodata = hasNodata ? (float) nodataValue.doubleValue() : 0f;
    this.nodataNan = hasNodata && Float.isNaN(nodata);
    this.nodataInt = hasNodata && !nodataNan ? (int) nodataValue.doubleValue() : 0;
    this.nodataIntValid = hasNodata && type.isInteger();
    this.replacement = hasNodata ? replacement(type, nodata) : 0f;
    x0 = new int[dstW];
    x1 = new int[dstW];
    wLeft = new double[dstW];
    wRight = new double[dstW];
    wLine = new double[dstW];
    for (int i = 0; i < dstW; i++) {
      double s0 = i * rx;
      int a = (int) (s0 + 1e-8);
      double s1 = (i + 1) * rx;
      int b = (int) Math.ceil(s1 - 1e-8);
      if (b == a) b++;
      if (b > srcW) b = srcW;
      x0[i] = a;
      x1[i] = b;
      wLeft[i] = b == a + 1 ? 1.0 : 1 - (s0 - a);
      wRight[i] = 1 - (b - s1);
      wLine[i] = wLeft[i];
      if (a + 1 < b) wLine[i] += b - a - 2 + wRight[i];
    }
    twoWide = chunkFastColumns(bands);
    unitColumns = new boolean[dstW];
    for (int i = 0; i < dstW; i++)
      unitColumns[i] = x1[i] - x0[i] == 2 && wLeft[i] == 1.0 && wRight[i] == 1.0;
    ring = new float[RING][bands][srcW];
    ringRow = new int[RING];
    java.util.Arrays.fill(ringRow, -1);
    out = new float[bands][dstW];
  }

  /**
   * GDAL decides its 2×2 fast path per chunk of destination columns (all windows in the chunk two
   * wide and adjacent); the chunk width is the temporary overview file's 128 px block, doubled
   * while the source chunk stays within 10 MB (GDAL_OVR_CHUNK_MAX_SIZE).
   */
  private boolean[] chunkFastColumns(int nBands) {
    int chunk = 128;
    int yChunk = 2 + (int) (chunk * ry);
    while (chunk < dstW) {
      long xChunk = 2 + (long) (2 * chunk * rx);
      if (xChunk * yChunk * nBands * 4L > 10_485_760L) break;
      chunk *= 2;
    }
    chunk = Math.min(chunk, dstW);
    boolean[] fast = new boolean[dstW];
    for (int c0 = 0; c0 < dstW; c0 += chunk) {
      int c1 = Math.min(dstW, c0 + chunk);
      boolean two = true;
      for (int i = c0; i < c1 && two; i++) {
        if (x1[i] - x0[i] != 2 || (i > c0 && x1[i - 1] != x0[i])) two = false;
      }
      for (int i = c0; i < c1; i++) fast[i] = two;
    }
    return fast;
  }

  private static boolean nodataInRange(DataType t, double v) {
    if (Double.isNaN(v)) return t == DataType.FLOAT32;
    return switch (t) {
      case UINT8 -> v >= 0 && v <= 255;
      case INT16 -> v >= Short.MIN_VALUE && v <= Short.MAX_VALUE;
      case UINT16 -> v >= 0 && v <= 65535;
      case FLOAT32 -> Double.isInfinite(v) || Math.abs(v) <= Float.MAX_VALUE;
    };
  }

  /** GDAL's GetReplacementValueIfNoData: an average equal to no-data is nudged off it. */
  private static float replacement(DataType t, float nd) {
    return switch (t) {
      case UINT8 -> nd == 255 ? 254 : nd + 1;
      case UINT16 -> nd == 65535 ? 65534 : nd + 1;
      case INT16 -> nd == 32767 ? 32766 : nd + 1;
      case FLOAT32 -> nd == 0 ? Float.MIN_NORMAL : (float) (nd + 1e-7 * nd);
    };
  }

  /** Destination width. */
  int dstWidth() {
    return dstW;
  }

  /** The arrays to fill with source row {@code y} (one per band), then call {@link #pushed}. */
  float[][] slot(int y) {
    return ring[y % RING];
  }

  /** Source row {@code y} is in its slot: emits every destination row whose window is complete. */
  void pushed(int y) {
    ringRow[y % RING] = y;
    while (next < dstH && rowEnd(next) - 1 <= y) {
      computeRow(next);
      sink.row(next, out);
      next++;
    }
  }

  private int rowStart(int i) {
    return (int) (i * ry + 1e-8);
  }

  private int rowEnd(int i) {
    int a = rowStart(i);
    int b = (int) Math.ceil((i + 1) * ry - 1e-8);
    if (b == a) b++;
    return Math.min(b, srcH);
  }

  private float[][] row(int y) {
    float[][] r = ring[y % RING];
    if (ringRow[y % RING] != y) throw new IllegalStateException("overview row " + y + " lost");
    return r;
  }

  private void computeRow(int i) {
    int a = rowStart(i), b = rowEnd(i);
    double s0 = i * ry, s1 = (i + 1) * ry;
    double wBottom = a + 1 == b ? 1.0 : 1.0 - (s0 - a);
    double wTop = 1.0 - (b - s1);
    double wColumn = wBottom;
    if (a + 1 < b) wColumn += b - a - 2 + wTop;
    boolean twoRows = b == a + 2;
    boolean unitRows = twoRows && wBottom == 1.0 && wTop == 1.0;
    float[][] rows = new float[b - a][];
    for (int band = 0; band < bands; band++) {
      for (int y = a; y < b; y++) rows[y - a] = row(y)[band];
      float[] dst = out[band];
      for (int x = 0; x < dstW; x++) {
        if (twoRows && twoWide[x] && !hasNodata) {
          dst[x] = fast2x2(rows[0], rows[1], x0[x]);
        } else if (unitRows && unitColumns[x]) {
          dst[x] = masked2x2(rows[0], rows[1], x0[x]);
        } else {
          dst[x] = weighted(rows, a, b, wBottom, wTop, wColumn, x);
        }
      }
    }
  }

  private float fast2x2(float[] top, float[] bottom, int sx) {
    float p = top[sx], q = top[sx + 1], r = bottom[sx], s = bottom[sx + 1];
    return switch (kind) {
      case UINT -> (float) (((long) p + (long) q + (long) r + (long) s + 2) / 4);
      // GDAL's SSE2 path: vertical sums first, then horizontal, times 0.25f
      case INT16 -> Samples.roundInt16(0.25f * ((p + r) + (q + s)));
      case FLOAT -> 0.25f * ((p + r) + (q + s));
    };
  }

  /** {@link #weighted} for a 2×2 window of unit weights, in the same order of operations. */
  private float masked2x2(float[] top, float[] bottom, int sx) {
    float p = top[sx], q = top[sx + 1], r = bottom[sx], s = bottom[sx + 1];
    int count = 0;
    double line0 = 0, line1 = 0;
    if (valid(p)) {
      count++;
      line0 = p;
    }
    if (valid(q)) {
      count++;
      line0 += q;
    }
    if (valid(r)) {
      count++;
      line1 = r;
    }
    if (valid(s)) {
      count++;
      line1 += s;
    }
    if (count == 0) return kind == Samples.Kind.INT16 ? Samples.roundInt16(nodata) : nodata;
    return finish(line0 + line1, count);
  }

  private float weighted(
      float[][] rows, int a, int b, double wBottom, double wTop, double wColumn, int x) {
    return hasNodata
        ? weightedMasked(rows, b - a, wBottom, wTop, x)
        : weightedPlain(rows, b - a, wBottom, wTop, wColumn, x);
  }

  private float weightedPlain(
      float[][] rows, int n, double wBottom, double wTop, double wColumn, int x) {
    int sx0 = x0[x], sx1 = x1[x];
    double wl = wLeft[x], wr = wRight[x];
    double total = 0;
    for (int k = 0; k < n; k++) {
      float[] src = rows[k];
      double line = src[sx0] * wl;
      if (sx0 + 1 < sx1) {
        for (int c = sx0 + 1; c + 1 < sx1; c++) line += src[c];
        line += src[sx1 - 1] * wr;
      }
      total += line * (k == 0 ? wBottom : k + 1 == n ? wTop : 1.0);
    }
    return finish(total, wLine[x] * wColumn);
  }

  private float weightedMasked(float[][] rows, int n, double wBottom, double wTop, int x) {
    int sx0 = x0[x], sx1 = x1[x];
    double wl = wLeft[x], wr = wRight[x];
    double total = 0, totalWeight = 0;
    int count = 0;
    for (int k = 0; k < n; k++) {
      float[] src = rows[k];
      double line = 0, lineWeight = 0;
      float v = src[sx0];
      if (valid(v)) {
        count++;
        lineWeight = wl;
        line = v * wl;
      }
      if (sx0 + 1 < sx1) {
        for (int c = sx0 + 1; c + 1 < sx1; c++) {
          v = src[c];
          if (valid(v)) {
            count++;
            lineWeight += 1;
            line += v;
          }
        }
        v = src[sx1 - 1];
        if (valid(v)) {
          count++;
          lineWeight += wr;
          line += v * wr;
        }
      }
      double wy = k == 0 ? wBottom : k + 1 == n ? wTop : 1.0;
      total += line * wy;
      totalWeight += lineWeight * wy;
    }
    if (count == 0) return kind == Samples.Kind.INT16 ? Samples.roundInt16(nodata) : nodata;
    return finish(total, totalWeight);
  }

  /** GDAL's rounding of an average to the type, avoiding the no-data value. */
  private float finish(double total, double totalWeight) {
    if (kind == Samples.Kind.UINT) {
      float v = (float) (long) (total / totalWeight + 0.5);
      return hasNodata && v == nodata ? replacement : v;
    }
    float v = (float) (total / totalWeight);
    if (hasNodata && v == nodata) v = replacement;
    return kind == Samples.Kind.INT16 ? Samples.roundInt16(v) : v;
  }

  /** GDAL's no-data mask: integer equality, float near-equality (ARE_REAL_EQUAL) or NaN. */
  private boolean valid(float v) {
    if (nodataIntValid) return (int) v != nodataInt;
    if (nodataNan) return !Float.isNaN(v);
    return !(v == nodata || Math.abs(v - nodata) < FLT_EPSILON * Math.abs(v + nodata) * 2);
  }
}
