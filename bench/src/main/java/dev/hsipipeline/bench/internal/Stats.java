package dev.hsipipeline.bench.internal;

import java.util.Arrays;
import java.util.List;

/** Order statistics of measured samples. */
public final class Stats {
  private Stats() {}

  /** The median (mean of the two middle values for an even count); NaN when empty. */
  public static double median(List<Double> samples) {
    return percentile(samples, 50);
  }

  /**
   * The p-th percentile with linear interpolation between closest ranks (p in [0, 100]); NaN when
   * empty.
   */
  public static double percentile(List<Double> samples, double p) {
    if (samples.isEmpty()) {
      return Double.NaN;
    }
    double[] s = samples.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(s);
    double rank = p / 100.0 * (s.length - 1);
    int lo = (int) Math.floor(rank);
    int hi = (int) Math.ceil(rank);
    return s[lo] + (s[hi] - s[lo]) * (rank - lo);
  }
}
