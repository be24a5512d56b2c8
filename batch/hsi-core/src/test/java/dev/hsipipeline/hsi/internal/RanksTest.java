package dev.hsipipeline.hsi.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RanksTest {

  /** What the quicklook stretch did before: sort, then interpolate between closest ranks. */
  static double sortedPercentile(float[] vals, int n, double pct) {
    float[] sorted = Arrays.copyOf(vals, n);
    Arrays.sort(sorted);
    double pos = pct / 100 * (n - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(n - 1, lo + 1);
    return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
  }

  @Test
  void selectedRanksEqualTheSortedArrayIncludingSignedZerosDuplicatesAndExtremes() {
    SplittableRandom rnd = new SplittableRandom(42);
    float[] special = {
      0f,
      -0f,
      Float.MIN_VALUE,
      -Float.MIN_VALUE,
      Float.MAX_VALUE,
      -Float.MAX_VALUE,
      Float.POSITIVE_INFINITY,
      Float.NEGATIVE_INFINITY,
      1f,
      -1f
    };
    for (int trial = 0; trial < 200; trial++) {
      int n = 1 + rnd.nextInt(trial < 100 ? 50 : 5000);
      float[] v = new float[n + 3]; // slack past n must be ignored
      for (int i = 0; i < v.length; i++) {
        v[i] =
            switch (rnd.nextInt(4)) {
              case 0 -> special[rnd.nextInt(special.length)];
              case 1 -> (float) rnd.nextInt(5); // many duplicates
              case 2 -> (float) (rnd.nextGaussian() * 1e-3);
              default ->
                  Float.intBitsToFloat(
                      rnd.nextInt() & 0x7F7FFFFF | (rnd.nextBoolean() ? 0x80000000 : 0));
            };
      }
      float[] sorted = Arrays.copyOf(v, n);
      Arrays.sort(sorted);
      int[] ranks = {0, n - 1, rnd.nextInt(n), rnd.nextInt(n), n / 2};
      float[] got = Ranks.select(v, n, ranks);
      for (int j = 0; j < ranks.length; j++) {
        assertEquals(
            Float.floatToRawIntBits(sorted[ranks[j]]),
            Float.floatToRawIntBits(got[j]),
            "rank " + ranks[j] + " of " + n + " (trial " + trial + ")");
      }
    }
  }

  @Test
  void percentilesMatchSortAndInterpolate() {
    SplittableRandom rnd = new SplittableRandom(7);
    for (int trial = 0; trial < 50; trial++) {
      int n = 1 + rnd.nextInt(20000);
      float[] v = new float[n];
      for (int i = 0; i < n; i++) v[i] = (float) (0.05 + 0.5 * rnd.nextDouble());
      double[] got = Ranks.percentiles(v, n, 2, 98, 0, 100, 50);
      double[] pct = {2, 98, 0, 100, 50};
      for (int j = 0; j < pct.length; j++) {
        assertEquals(
            Double.doubleToRawLongBits(sortedPercentile(v, n, pct[j])),
            Double.doubleToRawLongBits(got[j]),
            "p" + pct[j]);
      }
    }
    assertEquals(Double.NaN, Ranks.percentiles(new float[0], 0, 2)[0]);
  }

  @Test
  void keysOrderLikeFloatCompareAndInvert() {
    float[] v = {
      Float.NEGATIVE_INFINITY,
      -3.5f,
      -Float.MIN_VALUE,
      -0f,
      0f,
      Float.MIN_VALUE,
      2f,
      Float.POSITIVE_INFINITY
    };
    for (int i = 0; i < v.length; i++) {
      assertEquals(
          Float.floatToRawIntBits(v[i]), Float.floatToRawIntBits(Ranks.fromKey(Ranks.key(v[i]))));
      if (i > 0)
        assertEquals(
            -1,
            Integer.compareUnsigned(Ranks.key(v[i - 1]), Ranks.key(v[i])),
            v[i - 1] + " < " + v[i]);
    }
  }
}
