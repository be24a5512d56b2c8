package dev.hsipipeline.processor;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hsipipeline.hsi.CubeProcessor;
import dev.hsipipeline.hsi.CubeSource;
import dev.hsipipeline.hsi.EnviHeader;
import dev.hsipipeline.hsi.Interleave;
import dev.hsipipeline.hsi.ProductOptions;
import dev.hsipipeline.hsi.QuicklookResult;
import dev.hsipipeline.hsi.cog.CogOptions;
import dev.hsipipeline.hsi.cog.CogResult;
import dev.hsipipeline.hsi.cog.CogWriter;
import dev.hsipipeline.processor.internal.CogLines;
import dev.hsipipeline.processor.internal.ProductJson;
import dev.hsipipeline.processor.internal.ProductRasters;
import dev.hsipipeline.scenes.ProductOutput;
import dev.hsipipeline.scenes.SceneKeys;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The processor's step: streams an ENVI cube once through the product engine and writes the
 * products — the NDI as a float32 COG (streamed while the cube is read), the quicklook as an RGB
 * COG and a PNG thumbnail, the statistics as JSON — all on the scene's grid. The Batch job (S3 in
 * and out) and {@code ./pipeline process} (local files) both call {@link #run}.
 */
public final class SceneProcessing {
  private SceneProcessing() {}

  /**
   * What a run computed and wrote.
   *
   * @param written product name ({@code stats}, {@code ndi}, {@code quicklook}, {@code thumbnail})
   *     → location, in the order written
   * @param ndiCog the NDI COG, or null
   * @param quicklookCog the quicklook COG, or null
   * @param statsJson the stats.json written, or null
   * @param computeNanos time spent streaming the cube (the NDI COG included)
   */
  public record Outcome(
      CubeProcessor.Result result,
      Map<String, String> written,
      CogResult ndiCog,
      CogResult quicklookCog,
      byte[] statsJson,
      long computeNanos) {}

  /**
   * Computes and writes the requested products; a product that fails leaves nothing behind.
   *
   * @param scene where the scene came from (recorded in stats.json)
   * @throws dev.hsipipeline.hsi.TruncatedDataException when the data ends early
   * @throws IllegalArgumentException when a product cannot be computed for this header
   */
  public static Outcome run(
      EnviHeader header,
      CubeSource source,
      String scene,
      ProcessingRequest request,
      ProductOutput out,
      ObjectMapper json)
      throws IOException {
    ProductOptions options = request.options();
    CogOptions cogOptions = CogOptions.defaults().withThreads(options.threads());
    Map<String, String> written = new LinkedHashMap<>();
    long t0 = System.nanoTime();
    CubeProcessor.Result result;
    CogResult ndiCog = null;
    if (options.ndi() == null) {
      result = CubeProcessor.process(header, source, options, null);
    } else {
      int a = band(header, options.ndi().wavelengthA()),
          b = band(header, options.ndi().wavelengthB());
      try (CogWriter ndi =
          CogWriter.open(
              ProductRasters.ndi(header, a, b),
              cogOptions,
              out.cog(SceneKeys.NDI),
              Interleave.BIL,
              ByteOrder.LITTLE_ENDIAN)) {
        CogLines lines = new CogLines(ndi, header.samples() * 4, 1 << 20);
        result = CubeProcessor.process(header, source, options, lines);
        lines.flush();
        if (lines.pending() != 0)
          throw new IllegalStateException("the NDI ended inside a line: " + lines.pending());
        ndiCog = ndi.finish();
      }
      written.put("ndi", out.location(SceneKeys.NDI));
    }
    long computeNanos = System.nanoTime() - t0;
    CogResult quicklookCog = null;
    if (result.quicklook() != null) {
      quicklookCog = quicklook(header, result.quicklook(), cogOptions, out);
      written.put("quicklook", out.location(SceneKeys.QUICKLOOK));
      out.write(SceneKeys.THUMBNAIL, result.quicklook().png(), "image/png");
      written.put("thumbnail", out.location(SceneKeys.THUMBNAIL));
    }
    byte[] stats = null;
    if (result.stats() != null) {
      stats =
          ProductJson.stats(json, scene, header, result.stats()).getBytes(StandardCharsets.UTF_8);
      out.write(SceneKeys.STATS, stats, "application/json");
      written.put("stats", out.location(SceneKeys.STATS));
    }
    return new Outcome(result, written, ndiCog, quicklookCog, stats, computeNanos);
  }

  private static CogResult quicklook(
      EnviHeader header, QuicklookResult q, CogOptions cogOptions, ProductOutput out)
      throws IOException {
    try (CogWriter w =
        CogWriter.open(
            ProductRasters.quicklook(header, q),
            cogOptions.withInterleave(CogOptions.Interleave.PIXEL),
            out.cog(SceneKeys.QUICKLOOK),
            Interleave.BIP,
            ByteOrder.LITTLE_ENDIAN)) {
      w.write(ProductRasters.quicklookRgb(q), 0, q.height());
      return w.finish();
    }
  }

  /** The band the engine picks for a wavelength, with the engine's message when there is none. */
  private static int band(EnviHeader header, double nm) {
    try {
      return header.nearestGoodBand(nm);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("ndi: " + e.getMessage(), e);
    }
  }
}
