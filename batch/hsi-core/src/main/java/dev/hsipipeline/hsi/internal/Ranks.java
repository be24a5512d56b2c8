package dev.hsipipeline.hsi.internal;

/**
 * Order statistics without sorting: the quicklook stretch needs 4 ranks of up to 1024² values per
 * channel. A two-level radix select (16 + 16 bits of an order-preserving integer key) finds each
 * exactly in a few linear passes; the values are those a sort would put at the ranks, so the
 * stretch is what sorting gave.
 *
 * <p>Why not {@code Arrays.sort}: in a fresh job JVM a sort of 3 × 262 144 floats ran interpreted
 * at first and then made C2 compile the partitioning loops (~0.5 s of compiler time on a 2-vCPU
 * box). The passes here are row-sized kernel calls, compiled after a few hundred rows, and the
 * first pass runs row by row while the cube is still streaming ({@link #addHigh}).
 */
final class Ranks {
  /** Histogram size of each level. */
  static final int BUCKETS = 1 << 16;

  private Ranks() {}

  /** Unsigned-comparable key in {@link Float#compare} order (−0.0 before +0.0); not for NaN. */
  static int key(float f) {
    int bits = Float.floatToRawIntBits(f);
    return bits < 0 ? ~bits : bits | 0x80000000;
  }

  static float fromKey(int key) {
    return Float.intBitsToFloat(key < 0 ? key & 0x7FFFFFFF : ~key);
  }

  /**
   * Counts the non-NaN values of {@code v[off, off + n)} by the top 16 bits of their key; returns
   * how many.
   */
  static int addHigh(float[] v, int off, int n, int[] high) {
    int c = 0;
    for (int i = off; i < off + n; i++) {
      float f = v[i];
      if (f != f) continue;
      high[key(f) >>> 16]++;
      c++;
    }
    return c;
  }

  /**
   * Counts the non-NaN values of {@code v[off, off + n)} in high bucket {@code bucket} by the low
   * 16 bits.
   */
  static void addLow(float[] v, int off, int n, int bucket, int[] low) {
    for (int i = off; i < off + n; i++) {
      float f = v[i];
      if (f != f) continue;
      int k = key(f);
      if (k >>> 16 == bucket) low[k & 0xFFFF]++;
    }
  }

  /**
   * The values at {@code ranks} (0-based, ascending {@link Float#compare} order, as {@code
   * Arrays.sort} places them) among the non-NaN values of {@code v[0, len)}, given the {@link
   * #addHigh} histogram of exactly those values and their count; passes go {@code chunk} values at
   * a time.
   */
  static float[] select(float[] v, int len, int chunk, int[] high, int count, int... ranks) {
    int[] low = new int[BUCKETS];
    int lowBucket = -1;
    float[] out = new float[ranks.length];
    for (int j = 0; j < ranks.length; j++) {
      int r = ranks[j];
      if (r < 0 || r >= count)
        throw new IllegalArgumentException("rank " + r + " outside [0, " + count + ")");
      int b = 0, before = 0;
      while (before + high[b] <= r) before += high[b++];
      if (b != lowBucket) {
        java.util.Arrays.fill(low, 0);
        for (int off = 0; off < len; off += chunk)
          addLow(v, off, Math.min(chunk, len - off), b, low);
        lowBucket = b;
      }
      int l = 0;
      while (before + low[l] <= r) before += low[l++];
      out[j] = fromKey(b << 16 | l);
    }
    return out;
  }

  /** {@link #select} over all non-NaN values of {@code v[0, n)}, building the histogram first. */
  static float[] select(float[] v, int n, int... ranks) {
    int[] high = new int[BUCKETS];
    int count = 0;
    for (int off = 0; off < n; off += 4096) count += addHigh(v, off, Math.min(4096, n - off), high);
    return select(v, n, 4096, high, count, ranks);
  }

  /**
   * Percentiles (linear interpolation between closest ranks, numpy's default) of the non-NaN values
   * of {@code v[0, len)}, given their {@link #addHigh} histogram and count; NaN when none.
   */
  static double[] percentiles(
      float[] v, int len, int chunk, int[] high, int count, double... pcts) {
    double[] out = new double[pcts.length];
    if (count == 0) {
      java.util.Arrays.fill(out, Double.NaN);
      return out;
    }
    int[] ranks = new int[2 * pcts.length];
    double[] frac = new double[pcts.length];
    for (int j = 0; j < pcts.length; j++) {
      double pos = pcts[j] / 100 * (count - 1);
      int lo = (int) Math.floor(pos);
      ranks[2 * j] = lo;
      ranks[2 * j + 1] = Math.min(count - 1, lo + 1);
      frac[j] = pos - lo;
    }
    float[] s = select(v, len, chunk, high, count, ranks);
    for (int j = 0; j < pcts.length; j++) {
      float lo = s[2 * j], hi = s[2 * j + 1];
      out[j] = lo + frac[j] * (hi - lo);
    }
    return out;
  }

  /**
   * {@link #percentiles(float[], int, int, int[], int, double...)} building the histogram first.
   */
  static double[] percentiles(float[] v, int n, double... pcts) {
    int[] high = new int[BUCKETS];
    int count = 0;
    for (int off = 0; off < n; off += 4096) count += addHigh(v, off, Math.min(4096, n - off), high);
    return percentiles(v, n, 4096, high, count, pcts);
  }
}
