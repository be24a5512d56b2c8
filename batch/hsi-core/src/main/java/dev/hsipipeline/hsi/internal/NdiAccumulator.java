package dev.hsipipeline.hsi.internal;

import dev.hsipipeline.hsi.EnviHeader;
import dev.hsipipeline.hsi.NdiResult;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.FloatBuffer;

/**
 * The normalized difference index {@code (a − b)/(a + b)}: each block's lines are computed as
 * float32 little endian and written to the output in line order; the summary (valid count, sum,
 * min, max) is folded line by line.
 */
final class NdiAccumulator implements Accumulator<NdiAccumulator.Part> {
  private final EnviHeader header;
  private final int bandA;
  private final int bandB;
  private final int samples;
  private final IgnoreValue ignore;
  private final OutputStream out;
  private long validCount;
  private double sum;
  private float min = Float.POSITIVE_INFINITY;
  private float max = Float.NEGATIVE_INFINITY;

  NdiAccumulator(EnviHeader header, int bandA, int bandB, OutputStream out) {
    this.header = header;
    this.bandA = bandA;
    this.bandB = bandB;
    this.samples = header.samples();
    this.ignore = IgnoreValue.of(header.dataIgnoreValue(), header.dataType());
    this.out = out;
  }

  /** One block: the index as bytes, and per line the summary of its finite values. */
  static final class Part {
    final byte[] index;
    final long[] count;
    final double[] sum;
    final float[] min;
    final float[] max;

    Part(int lineCount, int samples) {
      index = new byte[lineCount * samples * 4];
      count = new long[lineCount];
      sum = new double[lineCount];
      min = new float[lineCount];
      max = new float[lineCount];
    }
  }

  @Override
  public Part compute(BlockDecoder decoder) {
    int lines = decoder.block().lineCount();
    Part p = new Part(lines, samples);
    float[] a = new float[samples], b = new float[samples], index = new float[samples];
    double[] acc = new double[4];
    FloatBuffer dst = Decode.floatsLE(p.index);
    for (int li = 0; li < lines; li++) {
      decoder.floats(bandA, li, a);
      decoder.floats(bandB, li, b);
      Kernels.ndi(a, b, samples, ignore.matches(), ignore.asFloat(), index, acc);
      dst.put(li * samples, index, 0, samples);
      p.count[li] = (long) acc[0];
      p.sum[li] = acc[1];
      p.min[li] = (float) acc[2];
      p.max[li] = (float) acc[3];
    }
    return p;
  }

  @Override
  public void fold(Part p) throws IOException {
    out.write(p.index);
    for (int li = 0; li < p.count.length; li++) {
      if (p.count[li] == 0) continue;
      validCount += p.count[li];
      sum += p.sum[li];
      min = Math.min(min, p.min[li]);
      max = Math.max(max, p.max[li]);
    }
  }

  /** The summary, once all blocks are folded (flushes the output). */
  NdiResult result() throws IOException {
    out.flush();
    boolean none = validCount == 0;
    return new NdiResult(
        bandA,
        bandB,
        header.wavelengthNm(bandA),
        header.wavelengthNm(bandB),
        validCount,
        none ? Double.NaN : min,
        none ? Double.NaN : max,
        none ? Double.NaN : sum / validCount);
  }
}
