package dev.hsipipeline.hsi.internal;

import dev.hsipipeline.hsi.BandStats;
import dev.hsipipeline.hsi.EnviHeader;
import java.util.Arrays;
import java.util.List;

/**
 * The per-band statistics product: exact integer sums for integer data ({@link IntegerStats}), mean
 * and M2 partials for float data ({@link FloatStats}). Bands marked bad in {@code bbl} are not
 * computed.
 */
sealed interface BandStatistics<P> extends Accumulator<P> permits IntegerStats, FloatStats {

  /** The statistics for the header's data type. */
  static BandStatistics<?> of(EnviHeader header) {
    IgnoreValue ignore = IgnoreValue.of(header.dataIgnoreValue(), header.dataType());
    return header.dataType().isInteger()
        ? new IntegerStats(header, ignore)
        : new FloatStats(header, ignore);
  }

  /** Every band's statistics, once all blocks are folded. */
  List<BandStats> result();

  /** {@code good[b]}: band {@code b} is computed. */
  static boolean[] goodBands(EnviHeader header) {
    boolean[] good = new boolean[header.bands()];
    for (int b = 0; b < good.length; b++) good[b] = header.isGoodBand(b);
    return good;
  }

  /** The good bands the block holds, ascending. */
  static int[] bandsIn(Block block, boolean[] good) {
    int n = 0;
    int[] bands = new int[good.length];
    for (int b = 0; b < good.length; b++) if (good[b] && block.has(b)) bands[n++] = b;
    return Arrays.copyOf(bands, n);
  }

  /** A band without statistics: bad, or no valid sample. */
  static BandStats empty(EnviHeader header, int band, boolean good) {
    return new BandStats(
        band, header.wavelengthNm(band), good, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
  }
}
