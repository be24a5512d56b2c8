package dev.hsipipeline.hsi.internal;

import dev.hsipipeline.hsi.BandStats;
import dev.hsipipeline.hsi.DataType;
import dev.hsipipeline.hsi.EnviHeader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Statistics of integer data (uint8, int16, uint16) from exact 64-bit sums and 128-bit sums of
 * squares, so the order of addition cannot matter; mean and population std are then rounded
 * correctly to float64 through BigDecimal.
 *
 * <p>The loops are split into small methods (a block, a band of a block, a line of a band): a fresh
 * job JVM compiles a method only after it has been called often enough, and a loop in a method
 * called once per block would run interpreted for most of the scene (ADR 0044).
 */
final class IntegerStats implements BandStatistics<IntegerStats.Part> {
  private static final MathContext MC = new MathContext(40);

  private final EnviHeader header;
  private final boolean[] good;
  private final int samples;
  private final boolean unsigned;
  private final IgnoreValue ignore;
  private final long[] count;
  private final long[] sum;
  private final long[] sumSqHigh;
  private final long[] sumSqLow;
  private final float[] min;
  private final float[] max;

  IntegerStats(EnviHeader header, IgnoreValue ignore) {
    this.header = header;
    this.good = BandStatistics.goodBands(header);
    this.samples = header.samples();
    this.unsigned = header.dataType() == DataType.UINT16;
    this.ignore = ignore;
    int bands = header.bands();
    count = new long[bands];
    sum = new long[bands];
    sumSqHigh = new long[bands];
    sumSqLow = new long[bands];
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
    final long[] sum;
    final long[] sumSq;
    final float[] min;
    final float[] max;

    Part(int lineCount, int[] bands) {
      this.lineCount = lineCount;
      this.bands = bands;
      int size = lineCount * bands.length;
      count = new long[size];
      sum = new long[size];
      sumSq = new long[size];
      min = new float[size];
      max = new float[size];
    }
  }

  @Override
  public Part compute(BlockDecoder decoder) {
    Part p = new Part(decoder.block().lineCount(), BandStatistics.bandsIn(decoder.block(), good));
    short[] raw = new short[samples];
    long[] acc = new long[5];
    for (int k = 0; k < p.bands.length; k++) band(decoder, k, p, raw, acc);
    return p;
  }

  private void band(BlockDecoder decoder, int k, Part p, short[] raw, long[] acc) {
    for (int li = 0; li < p.lineCount; li++) line(decoder, li, k, p, raw, acc);
  }

  /** Band {@code k} of one line. One pass over every sample: see {@link Kernels}. */
  private void line(BlockDecoder decoder, int li, int k, Part p, short[] raw, long[] acc) {
    decoder.rawShorts(p.bands[k], li, raw);
    // Sums include the ignore value, which is then taken back out exactly (integer sums make the
    // order irrelevant); min/max skip it.
    int ignored = 0;
    if (ignore.inType()) {
      Kernels.intStatsIgnoring(raw, samples, ignore.raw(), unsigned, acc);
      ignored = (int) acc[4];
    } else if (unsigned) {
      Kernels.intStatsUnsigned(raw, samples, acc);
    } else {
      Kernels.intStatsSigned(raw, samples, acc);
    }
    long s = acc[0], sq = acc[1];
    if (ignored > 0) {
      long value = ignore.asInt();
      s -= ignored * value;
      sq -= ignored * value * value;
    }
    int valid = samples - ignored;
    int idx = li * p.bands.length + k;
    p.count[idx] = valid;
    p.min[idx] = valid > 0 ? (float) acc[2] : Float.POSITIVE_INFINITY;
    p.max[idx] = valid > 0 ? (float) acc[3] : Float.NEGATIVE_INFINITY;
    p.sum[idx] = s;
    p.sumSq[idx] = sq;
  }

  @Override
  public void fold(Part p) {
    // Band by band, lines in order within each band: every band's totals see the same sequence
    // as a line-major loop (bands are independent), and the per-band method is called often
    // enough to be compiled early, unlike this once-per-block one.
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
      sum[band] += p.sum[idx];
      long low = sumSqLow[band] + p.sumSq[idx];
      if (Long.compareUnsigned(low, sumSqLow[band]) < 0) sumSqHigh[band]++;
      sumSqLow[band] = low;
      count[band] += n;
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
      BigInteger s = BigInteger.valueOf(sum[b]);
      BigInteger q =
          BigInteger.valueOf(sumSqHigh[b])
              .shiftLeft(64)
              .add(new BigInteger(Long.toUnsignedString(sumSqLow[b])));
      BigInteger nn = BigInteger.valueOf(n);
      double mean = new BigDecimal(s).divide(new BigDecimal(nn), MC).doubleValue();
      BigInteger num = nn.multiply(q).subtract(s.multiply(s));
      BigDecimal variance = new BigDecimal(num).divide(new BigDecimal(nn.multiply(nn)), MC);
      double std = variance.sqrt(MC).doubleValue();
      out.add(new BandStats(b, header.wavelengthNm(b), true, n, min[b], max[b], mean, std));
    }
    return out;
  }
}
