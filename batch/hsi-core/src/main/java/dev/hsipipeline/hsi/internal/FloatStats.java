package dev.hsipipeline.hsi.internal;

import dev.hsipipeline.hsi.BandStats;
import dev.hsipipeline.hsi.EnviHeader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Statistics of float32 data: a two-pass (count, mean, M2) per band of each line, combined in line
 * order with Chan et al.'s pairwise formula. NaN, ±Inf and the ignore value are not counted. Loops
 * are split into small methods for the reason given in {@link IntegerStats}.
 */
final class FloatStats implements BandStatistics<FloatStats.Part> {
  private final EnviHeader header;
  private final boolean[] good;
  private final int samples;
  private final IgnoreValue ignore;
  private final long[] count;
  private final double[] mean;
  private final double[] m2;
  private final float[] min;
  private final float[] max;

  FloatStats(EnviHeader header, IgnoreValue ignore) {
    this.header = header;
    this.good = BandStatistics.goodBands(header);
    this.samples = header.samples();
    this.ignore = ignore;
    int bands = header.bands();
    count = new long[bands];
    mean = new double[bands];
    m2 = new double[bands];
    min = new float[bands];
    max = new float[bands];
    Arrays.fill(min, Float.POSITIVE_INFINITY);
    Arrays.fill(max, Float.NEGATIVE_INFINITY);
  }

  /** Partials of one block, indexed {@code [lineInBlock * bands.length + k]} for band {@code k}. */
  static final class Part {
    final int lineCount;
    final int[] bands;
    final long[] count;
    final double[] mean;
    final double[] m2;
    final float[] min;
    final float[] max;

    Part(int lineCount, int[] bands) {
      this.lineCount = lineCount;
      this.bands = bands;
      int size = lineCount * bands.length;
      count = new long[size];
      mean = new double[size];
      m2 = new double[size];
      min = new float[size];
      max = new float[size];
    }
  }

  @Override
  public Part compute(BlockDecoder decoder) {
    Part p = new Part(decoder.block().lineCount(), BandStatistics.bandsIn(decoder.block(), good));
    float[] values = new float[samples];
    double[] acc = new double[5];
    for (int k = 0; k < p.bands.length; k++) band(decoder, k, p, values, acc);
    return p;
  }

  private void band(BlockDecoder decoder, int k, Part p, float[] values, double[] acc) {
    for (int li = 0; li < p.lineCount; li++) line(decoder, li, k, p, values, acc);
  }

  private void line(BlockDecoder decoder, int li, int k, Part p, float[] values, double[] acc) {
    decoder.floats(p.bands[k], li, values);
    Kernels.floatStats(values, samples, ignore.matches(), ignore.asFloat(), acc);
    int idx = li * p.bands.length + k;
    p.count[idx] = (long) acc[0];
    p.mean[idx] = acc[1];
    p.m2[idx] = acc[2];
    p.min[idx] = (float) acc[3];
    p.max[idx] = (float) acc[4];
  }

  @Override
  public void fold(Part p) {
    // Band by band, lines in order within each band (see IntegerStats.fold).
    for (int k = 0; k < p.bands.length; k++) foldBand(p, k);
  }

  private void foldBand(Part p, int k) {
    int nb = p.bands.length;
    int band = p.bands[k];
    for (int li = 0; li < p.lineCount; li++) {
      int idx = li * nb + k;
      long n = p.count[idx];
      if (n == 0) continue;
      if (p.min[idx] < min[band]) min[band] = p.min[idx];
      if (p.max[idx] > max[band]) max[band] = p.max[idx];
      if (count[band] == 0) {
        count[band] = n;
        mean[band] = p.mean[idx];
        m2[band] = p.m2[idx];
      } else {
        // Chan et al. pairwise combination of (count, mean, M2).
        long total = count[band] + n;
        double delta = p.mean[idx] - mean[band];
        mean[band] += delta * ((double) n / total);
        m2[band] += p.m2[idx] + delta * delta * ((double) count[band] * n / total);
        count[band] = total;
      }
    }
  }

  @Override
  public List<BandStats> result() {
    List<BandStats> out = new ArrayList<>(good.length);
    for (int b = 0; b < good.length; b++) {
      long n = count[b];
      if (!good[b] || n == 0) {
        out.add(BandStatistics.empty(header, b, good[b]));
        continue;
      }
      double std = Math.sqrt(m2[b] / n);
      out.add(new BandStats(b, header.wavelengthNm(b), true, n, min[b], max[b], mean[b], std));
    }
    return out;
  }
}
