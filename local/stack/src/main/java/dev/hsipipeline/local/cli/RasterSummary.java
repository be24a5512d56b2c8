package dev.hsipipeline.local.cli;

import dev.hsipipeline.hsi.EnviHeader;
import dev.hsipipeline.hsi.cog.CogResult;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The rasters a run wrote, one line each: CRS, size, bands and overview levels — read back from the
 * files themselves (the head of each COG), not from what the jobs meant to write. Used at the end
 * of {@code pipeline demo} and by {@code pipeline cog|process}.
 */
final class RasterSummary {
  /** A COG's head is its IFDs; a few MiB hold them for any scene the demo makes. */
  static final int HEAD_BYTES = 4 << 20;

  private RasterSummary() {}

  /** One line for a COG the caller just wrote. */
  static String describe(CogResult r, EnviHeader h) {
    String crs =
        h.georeferencing()
            .map(
                g ->
                    g.crs().epsgCode().isPresent()
                        ? "EPSG:" + g.crs().epsgCode().getAsInt()
                        : "user-defined (WKT)")
            .orElse("not georeferenced");
    List<String> levels = new ArrayList<>();
    for (CogResult.Size s : r.overviews()) levels.add(s.width() + "x" + s.height());
    return String.format(
        Locale.ROOT,
        "%s, %d x %d, %d bands, %d overview levels%s, %,d bytes%s",
        crs,
        r.width(),
        r.height(),
        r.bands(),
        r.overviews().size(),
        levels.isEmpty() ? "" : " (" + String.join(", ", levels) + ")",
        r.bytes(),
        r.bigTiff() ? ", BigTIFF" : "");
  }

  /** One line for a GeoTIFF head. */
  static String describe(TiffHead head) {
    TiffHead.Image full = head.images().get(0);
    List<String> levels = new ArrayList<>();
    for (TiffHead.Image o : head.images().subList(1, head.images().size()))
      levels.add(o.width() + "x" + o.height());
    return String.format(
        Locale.ROOT,
        "%s, %d x %d, %d bands %s, %d overview levels%s",
        head.crs().equals("none") ? "not georeferenced" : head.crs(),
        full.width(),
        full.height(),
        full.samples() > 1 ? full.samples() : 1,
        full.format(),
        levels.size(),
        levels.isEmpty() ? "" : " (" + String.join(", ", levels) + ")");
  }

  /**
   * Prints every object under the prefixes of the bucket; for each {@code .tif} its CRS, size,
   * bands and overview levels as read from its head with one ranged GET.
   */
  static void printBucket(S3Client s3, String bucket, List<String> prefixes, PrintWriter out) {
    List<String> lines = new ArrayList<>();
    for (String prefix : prefixes) {
      for (S3Object o :
          s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents()) {
        String line =
            String.format(Locale.ROOT, "  s3://%s/%s (%,d bytes)", bucket, o.key(), o.size());
        if (o.key().endsWith(".tif")) {
          long n = Math.min(o.size(), HEAD_BYTES);
          byte[] head =
              s3.getObjectAsBytes(b -> b.bucket(bucket).key(o.key()).range("bytes=0-" + (n - 1)))
                  .asByteArray();
          try {
            line += "\n      " + describe(TiffHead.parse(head));
          } catch (IllegalArgumentException e) {
            line += "\n      unreadable GeoTIFF head: " + e.getMessage();
          }
        }
        lines.add(line);
      }
    }
    if (lines.isEmpty()) return;
    out.println("Objects the jobs wrote (rasters: CRS, size, bands, overview levels):");
    lines.forEach(out::println);
    out.println();
  }
}
