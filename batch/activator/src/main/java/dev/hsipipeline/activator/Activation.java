package dev.hsipipeline.activator;

import dev.hsipipeline.hsi.CubeSource;
import dev.hsipipeline.hsi.EnviHeader;
import dev.hsipipeline.hsi.cog.CogOptions;
import dev.hsipipeline.hsi.cog.CogResult;
import dev.hsipipeline.hsi.cog.CogSink;
import dev.hsipipeline.hsi.cog.EnviToCog;
import java.io.IOException;

/**
 * The activator's conversion step: an ENVI scene to its activated Cloud-Optimized GeoTIFF, every
 * band with identical samples, the data ignore value as nodata, band names and wavelengths, and the
 * header's georeferencing. The Batch job (S3 in, multipart upload out) and {@code ./pipeline cog}
 * (local files) both call {@link #toCog}, so a local run shows exactly what the job writes.
 */
public final class Activation {
  private Activation() {}

  /**
   * How the activated scene is encoded: 512 px tiles, DEFLATE level 6 with the data type's
   * predictor, band interleave (an index or a quicklook reads only its bands, ADR 0106), internal
   * overviews, BigTIFF when needed.
   */
  public static CogOptions cogOptions(int threads) {
    return CogOptions.defaults().withThreads(threads);
  }

  /**
   * Converts; the sink is aborted if anything fails.
   *
   * @throws dev.hsipipeline.hsi.TruncatedDataException when the data ends early
   */
  public static CogResult toCog(EnviHeader header, CubeSource source, CogSink sink, int threads)
      throws IOException {
    return EnviToCog.convert(header, source, cogOptions(threads), sink);
  }
}
