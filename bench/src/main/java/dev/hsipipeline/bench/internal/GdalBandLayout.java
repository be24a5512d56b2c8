package dev.hsipipeline.bench.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The size reference at equal layout: GDAL 3.6's COG driver writes pixel interleave only, so the
 * band-interleaved comparison is GDAL's own tiled GeoTIFF with {@code INTERLEAVE=BAND}, the same
 * DEFLATE level, predictor and block size, and internal AVERAGE overviews written with the same
 * settings ({@code gdaladdo}). Not a COG (GDAL puts overviews last), but the same tiles.
 */
final class GdalBandLayout {
  private GdalBandLayout() {}

  /** The benchmark note: our band-interleaved COG's size against GDAL's at the same layout. */
  static String note(Path img, Path dir, int tile, int level, int width, int height, long ours)
      throws IOException {
    long gdal = bytes(img, dir, tile, level, factors(width, height, tile));
    return String.format(
        Locale.ROOT,
        "size at equal layout: ours band interleave %.1f MB vs GDAL's band-interleaved tiled"
            + " GeoTIFF with the same DEFLATE level, predictor, block size and AVERAGE overviews"
            + " (gdal_translate INTERLEAVE=BAND + gdaladdo) %.1f MB = %.3fx",
        ours / 1e6,
        gdal / 1e6,
        (double) ours / gdal);
  }

  /** The overview factors of our COG: halve until the level fits in one tile. */
  static List<Integer> factors(int width, int height, int tile) {
    List<Integer> factors = new ArrayList<>();
    for (int f = 1; ceilDiv(width, f) > tile || ceilDiv(height, f) > tile; ) {
      f *= 2;
      factors.add(f);
    }
    return factors;
  }

  private static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }

  /**
   * Writes the reference for {@code img} into {@code dir} and returns its size in bytes.
   *
   * @param factors the overview factors of our COG (e.g. [2] for one level)
   */
  static long bytes(Path img, Path dir, int tile, int level, List<Integer> factors)
      throws IOException {
    Path out = dir.resolve("gdal-band.tif");
    Files.deleteIfExists(out);
    List<String> translate =
        List.of(
            "gdal_translate",
            "-q",
            "-of",
            "GTiff",
            "-co",
            "TILED=YES",
            "-co",
            "BLOCKXSIZE=" + tile,
            "-co",
            "BLOCKYSIZE=" + tile,
            "-co",
            "COMPRESS=DEFLATE",
            "-co",
            "PREDICTOR=2",
            "-co",
            "ZLEVEL=" + level,
            "-co",
            "INTERLEAVE=BAND",
            "-co",
            "NUM_THREADS=ALL_CPUS",
            img.toString(),
            out.toString());
    ChildRun.of(translate, Map.of(), dir.resolve("gdal-band.log"), 1800);
    if (!factors.isEmpty()) {
      // Without GDAL_NUM_THREADS: GDAL 3.6's threaded overview writer reports "Bad value ... for
      // ExtraSamples" on a band-interleaved file of this many bands.
      List<String> addo =
          new ArrayList<>(
              List.of(
                  "gdaladdo",
                  "-q",
                  "--config",
                  "COMPRESS_OVERVIEW",
                  "DEFLATE",
                  "--config",
                  "PREDICTOR_OVERVIEW",
                  "2",
                  "--config",
                  "ZLEVEL_OVERVIEW",
                  Integer.toString(level),
                  "--config",
                  "GDAL_TIFF_OVR_BLOCKSIZE",
                  Integer.toString(tile),
                  "--config",
                  "INTERLEAVE_OVERVIEW",
                  "BAND",
                  "-r",
                  "average",
                  out.toString()));
      for (int f : factors) addo.add(Integer.toString(f));
      ChildRun.of(addo, Map.of(), dir.resolve("gdal-band-overviews.log"), 1800);
    }
    long bytes = Files.size(out);
    Files.delete(out);
    return bytes;
  }
}
