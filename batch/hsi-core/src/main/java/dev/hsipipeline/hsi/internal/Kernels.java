package dev.hsipipeline.hsi.internal;

/**
 * The per-sample loops of the engine, one band of one line per call.
 *
 * <p>Why this shape: a Batch job runs in a fresh JVM, and on a ~100 MB scene the work is over
 * before C2 would get round to compiling one large method with all loops inside (its single
 * compiler thread is busy with the AWS SDK's start-up methods first). Each kernel here is a tiny
 * static method with one monomorphic loop over primitive arrays, called ~10⁵ times per scene, so C1
 * compiles it after a few hundred calls (milliseconds into the run), C2 soon after, and C2
 * vectorises it. Results depend only on the sample order within the call, which is fixed, so every
 * caller gets bit-identical sums.
 */
final class Kernels {
  private Kernels() {}

  static boolean valid(float x, boolean ignoreMatches, float ignore) {
    return Float.isFinite(x) && !(ignoreMatches && x == ignore);
  }

  /**
   * Signed 16-bit samples (int16, or uint8 widened): {@code acc} = sum, sum of squares, min, max
   * over all {@code n} samples (no branches: the ignore value is taken out afterwards).
   */
  static void intStatsSigned(short[] v, int n, long[] acc) {
    long s = 0, q = 0;
    int lo = Integer.MAX_VALUE, hi = Integer.MIN_VALUE;
    for (int i = 0; i < n; i++) {
      int x = v[i];
      s += x;
      q += x * x; // |x| <= 32768: the square fits an int
      lo = Math.min(lo, x);
      hi = Math.max(hi, x);
    }
    acc[0] = s;
    acc[1] = q;
    acc[2] = lo;
    acc[3] = hi;
  }

  /** Unsigned 16-bit samples (uint16 bit patterns): as {@link #intStatsSigned}. */
  static void intStatsUnsigned(short[] v, int n, long[] acc) {
    long s = 0, q = 0;
    int lo = Integer.MAX_VALUE, hi = Integer.MIN_VALUE;
    for (int i = 0; i < n; i++) {
      int x = v[i] & 0xFFFF;
      s += x;
      q += (long) x * x;
      lo = Math.min(lo, x);
      hi = Math.max(hi, x);
    }
    acc[0] = s;
    acc[1] = q;
    acc[2] = lo;
    acc[3] = hi;
  }

  /**
   * Like {@link #intStatsSigned} / {@link #intStatsUnsigned} in one pass that also counts the
   * samples with bit pattern {@code raw} into {@code acc[4]} and leaves them out of min and max
   * (sum and sum of squares still include them: the caller takes them out exactly).
   */
  static void intStatsIgnoring(short[] v, int n, short raw, boolean unsigned, long[] acc) {
    // Two samples per iteration with two sum chains: C1 (the job JVM's only compiler, ADR
    // 0044) neither unrolls nor vectorises, and this halves its loop overhead.
    long s0 = 0, s1 = 0, q0 = 0, q1 = 0;
    int lo = Integer.MAX_VALUE, hi = Integer.MIN_VALUE, c = 0;
    int mask = unsigned ? 0xFFFF : -1;
    int i = 0;
    for (; i + 1 < n; i += 2) {
      short ra = v[i], rb = v[i + 1];
      int a = ra & mask, b = rb & mask;
      s0 += a;
      s1 += b;
      q0 += (long) a * a;
      q1 += (long) b * b;
      if (ra == raw) {
        c++;
      } else {
        if (a < lo) lo = a;
        if (a > hi) hi = a;
      }
      if (rb == raw) {
        c++;
      } else {
        if (b < lo) lo = b;
        if (b > hi) hi = b;
      }
    }
    if (i < n) {
      short r = v[i];
      int x = r & mask;
      s0 += x;
      q0 += (long) x * x;
      if (r == raw) {
        c++;
      } else {
        if (x < lo) lo = x;
        if (x > hi) hi = x;
      }
    }
    acc[0] = s0 + s1;
    acc[1] = q0 + q1;
    acc[2] = lo;
    acc[3] = hi;
    acc[4] = c;
  }

  /**
   * Float samples, two-pass: {@code acc} = count, mean, M2 (sum of squared deviations), min, max of
   * the valid samples (finite, not the ignore value).
   */
  static void floatStats(float[] v, int n, boolean ignoreMatches, float ignore, double[] acc) {
    long cnt = 0;
    double s = 0;
    float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      float x = v[i];
      if (!valid(x, ignoreMatches, ignore)) continue;
      cnt++;
      s += x;
      if (x < lo) lo = x;
      if (x > hi) hi = x;
    }
    double mean = cnt == 0 ? 0 : s / cnt;
    double m2 = 0;
    if (cnt > 0) {
      for (int i = 0; i < n; i++) {
        float x = v[i];
        if (!valid(x, ignoreMatches, ignore)) continue;
        double d = x - mean;
        m2 += d * d;
      }
    }
    acc[0] = cnt;
    acc[1] = mean;
    acc[2] = m2;
    acc[3] = lo;
    acc[4] = hi;
  }

  /**
   * {@code (a − b)/(a + b)} per sample into {@code out} (NaN where either is invalid or a + b = 0);
   * {@code acc} = count, sum, min, max of the finite results.
   */
  static void ndi(
      float[] a, float[] b, int n, boolean ignoreMatches, float ignore, float[] out, double[] acc) {
    long cnt = 0;
    double s = 0;
    float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      float x = a[i], y = b[i];
      float r = Float.NaN;
      if (valid(x, ignoreMatches, ignore) && valid(y, ignoreMatches, ignore)) {
        double sum = (double) x + y;
        if (sum != 0) r = (float) (((double) x - y) / sum);
      }
      out[i] = r;
      if (!Float.isNaN(r) && !Float.isInfinite(r)) {
        cnt++;
        s += r;
        if (r < lo) lo = r;
        if (r > hi) hi = r;
      }
    }
    acc[0] = cnt;
    acc[1] = s;
    acc[2] = lo;
    acc[3] = hi;
  }

  /** Adds each valid sample to its quicklook column {@code off + i / factor}. */
  static void boxSum(
      float[] v,
      int n,
      int factor,
      boolean ignoreMatches,
      float ignore,
      double[] sum,
      int[] count,
      int off) {
    for (int i = 0; i < n; i++) {
      float x = v[i];
      if (!valid(x, ignoreMatches, ignore)) continue;
      sum[off + i / factor] += x;
      count[off + i / factor]++;
    }
  }

  /** {@code rowSum[x] += sum[off + x]}, {@code rowCnt[x] += count[off + x]} for x < n. */
  static void addRow(double[] sum, int[] count, int off, int n, double[] rowSum, int[] rowCnt) {
    for (int x = 0; x < n; x++) {
      rowSum[x] += sum[off + x];
      rowCnt[x] += count[off + x];
    }
  }

  /**
   * Box means of a finished quicklook row into {@code dst[off..]} (NaN where empty); clears the
   * sums.
   */
  static void rowMeans(double[] rowSum, int[] rowCnt, int n, float[] dst, int off) {
    for (int x = 0; x < n; x++) {
      dst[off + x] = rowCnt[x] > 0 ? (float) (rowSum[x] / rowCnt[x]) : Float.NaN;
      rowSum[x] = 0;
      rowCnt[x] = 0;
    }
  }

  /** Stretched, opaque ARGB of pixels [off, off + n); transparent where any channel is NaN. */
  static void stretchRow(
      float[] r, float[] g, float[] b, int off, int n, double[] low, double[] high, int[] argb) {
    for (int i = off; i < off + n; i++) {
      float red = r[i], green = g[i], blue = b[i];
      int px = 0; // transparent no-data
      if (!Float.isNaN(red) && !Float.isNaN(green) && !Float.isNaN(blue)) {
        px =
            0xFF000000
                | scale(red, low[0], high[0]) << 16
                | scale(green, low[1], high[1]) << 8
                | scale(blue, low[2], high[2]);
      }
      argb[i] = px;
    }
  }

  static int scale(float v, double lo, double hi) {
    if (!(hi > lo)) return v > lo ? 255 : 0;
    long s = Math.round((v - lo) * 255.0 / (hi - lo));
    return (int) Math.max(0, Math.min(255, s));
  }

  static void widenUnsigned(byte[] d, int off, int n, short[] dst) {
    for (int i = 0; i < n; i++) dst[i] = (short) (d[off + i] & 0xFF);
  }

  static void toFloatSigned(short[] v, int n, float[] dst) {
    for (int i = 0; i < n; i++) dst[i] = v[i];
  }

  static void toFloatUnsigned(short[] v, int n, float[] dst) {
    for (int i = 0; i < n; i++) dst[i] = v[i] & 0xFFFF;
  }
}
