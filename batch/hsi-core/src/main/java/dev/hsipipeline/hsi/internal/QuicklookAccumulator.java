package dev.hsipipeline.hsi.internal;

import dev.hsipipeline.hsi.EnviHeader;
import dev.hsipipeline.hsi.ProductOptions;
import dev.hsipipeline.hsi.QuicklookResult;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.IOException;

/**
 * The RGB quicklook: each channel box-averaged by an integer factor so the longer side fits the
 * requested size, then stretched between two percentiles and encoded as PNG. Blocks give per-line
 * box sums; the fold adds them into the current output row and, when a row is complete, stores its
 * means and feeds the first pass of the percentile selection while the cube still streams ({@link
 * Ranks}).
 */
final class QuicklookAccumulator implements Accumulator<QuicklookAccumulator.Part> {
  private final ProductOptions.Quicklook options;
  private final int[] bands;
  private final int samples;
  private final IgnoreValue ignore;
  private final int factor;
  private final int width;
  private final int height;
  private final double[][] rowSum;
  private final int[][] rowCount;
  private int row = -1;
  private final float[][] raster;
  private final int[][] rasterHigh; // per channel: Ranks.addHigh histogram of the finished rows
  private final int[] rasterValid; // per channel: non-NaN values in the finished rows

  /**
   * @param bands red, green and blue band
   */
  QuicklookAccumulator(EnviHeader header, ProductOptions.Quicklook options, int[] bands) {
    this.options = options;
    this.bands = bands.clone();
    this.samples = header.samples();
    this.ignore = IgnoreValue.of(header.dataIgnoreValue(), header.dataType());
    int longer = Math.max(samples, header.lines());
    this.factor = (int) Math.max(1, (longer + (long) options.maxSize() - 1) / options.maxSize());
    this.width = (samples + factor - 1) / factor;
    this.height = (header.lines() + factor - 1) / factor;
    rowSum = new double[3][width];
    rowCount = new int[3][width];
    raster = new float[3][width * height];
    rasterHigh = new int[3][Ranks.BUCKETS];
    rasterValid = new int[3];
  }

  /** One block: per line and channel, the sums and counts of valid samples per output column. */
  static final class Part {
    final int firstLine;
    final int lineCount;
    final double[] sum; // [(lineInBlock * 3 + channel) * width + column]
    final int[] count;

    Part(int firstLine, int lineCount, int width) {
      this.firstLine = firstLine;
      this.lineCount = lineCount;
      sum = new double[lineCount * 3 * width];
      count = new int[lineCount * 3 * width];
    }
  }

  @Override
  public Part compute(BlockDecoder decoder) {
    Part p = new Part(decoder.block().firstLine(), decoder.block().lineCount(), width);
    float[] values = new float[samples];
    for (int li = 0; li < p.lineCount; li++) {
      for (int c = 0; c < 3; c++) {
        decoder.floats(bands[c], li, values);
        Kernels.boxSum(
            values,
            samples,
            factor,
            ignore.matches(),
            ignore.asFloat(),
            p.sum,
            p.count,
            (li * 3 + c) * width);
      }
    }
    return p;
  }

  @Override
  public void fold(Part p) {
    for (int li = 0; li < p.lineCount; li++) {
      int lineRow = (p.firstLine + li) / factor;
      if (lineRow != row) {
        finishRow();
        row = lineRow;
      }
      for (int c = 0; c < 3; c++)
        Kernels.addRow(p.sum, p.count, (li * 3 + c) * width, width, rowSum[c], rowCount[c]);
    }
  }

  private void finishRow() {
    if (row < 0) return;
    for (int c = 0; c < 3; c++) {
      Kernels.rowMeans(rowSum[c], rowCount[c], width, raster[c], row * width);
      rasterValid[c] += Ranks.addHigh(raster[c], row * width, width, rasterHigh[c]);
    }
  }

  /** The stretched, encoded image, once all blocks are folded. */
  QuicklookResult result() throws IOException {
    finishRow();
    double[] low = new double[3], high = new double[3];
    for (int c = 0; c < 3; c++) {
      double[] pct =
          Ranks.percentiles(
              raster[c],
              width * height,
              width,
              rasterHigh[c],
              rasterValid[c],
              options.lowPercentile(),
              options.highPercentile());
      low[c] = pct[0];
      high[c] = pct[1];
    }
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
    // TYPE_INT_ARGB stores non-premultiplied ARGB ints as is: write them straight into its
    // buffer (what setRGB does per pixel through the colour model, at a fraction of the cost).
    int[] pixels = ((DataBufferInt) img.getRaster().getDataBuffer()).getData();
    for (int y = 0; y < height; y++)
      Kernels.stretchRow(raster[0], raster[1], raster[2], y * width, width, low, high, pixels);
    return new QuicklookResult(
        width, height, factor, bands.clone(), low, high, Png.encode(img), pixels);
  }
}
