package dev.hsipipeline.hsi;

import dev.hsipipeline.hsi.internal.Engine;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * Streams a cube once (twice for BSQ when both statistics and spatial products are wanted) and
 * computes the requested products with memory bounded by the block size and thread count,
 * independent of the number of lines. Results are identical for every thread count, block size,
 * interleave and byte order of the same cube.
 */
public final class CubeProcessor {
  private CubeProcessor() {}

  /**
   * Runs the products.
   *
   * @param header the validated header
   * @param source the data object
   * @param options what to compute
   * @param ndiOut receives the NDI cube (float32, little endian, lines × samples) when requested;
   *     may be null otherwise
   * @throws TruncatedDataException when the object ends early
   * @throws IllegalArgumentException when a product cannot be computed for this header (e.g. no
   *     wavelengths)
   */
  public static Result process(
      EnviHeader header, CubeSource source, ProductOptions options, OutputStream ndiOut)
      throws IOException {
    return new Engine(header, options, ndiOut).run(source);
  }

  /**
   * Starts loading, on a background daemon thread, the code the requested products need that a
   * fresh JVM would otherwise load only after the cube has streamed (today: the PNG encoder of the
   * quicklook, ~60–70 ms). Call it as early as possible, e.g. before fetching the header; it never
   * fails and does not change any product.
   */
  public static void warmUp(ProductOptions options) {
    Engine.warmUp(options);
  }

  /**
   * The header of the NDI product cube (float32 little endian BSQ, one band, NaN = no data), on the
   * scene's grid: it carries the scene's georeferencing.
   */
  public static EnviHeader ndiHeader(EnviHeader scene, NdiResult ndi) {
    String a = "b" + (ndi.bandA() + 1), b = "b" + (ndi.bandB() + 1);
    return EnviHeader.builder()
        .size(scene.samples(), scene.lines(), 1)
        .dataType(DataType.FLOAT32)
        .interleave(Interleave.BSQ)
        .byteOrder(java.nio.ByteOrder.LITTLE_ENDIAN)
        .dataIgnoreValue(Double.NaN)
        .bandNames(List.of("NDI (" + a + " - " + b + ")/(" + a + " + " + b + ")"))
        .description(
            "normalized difference index ("
                + fmt(ndi.wavelengthA())
                + " nm - "
                + fmt(ndi.wavelengthB())
                + " nm)/("
                + fmt(ndi.wavelengthA())
                + " nm + "
                + fmt(ndi.wavelengthB())
                + " nm)")
        .georeferencing(scene.georeferencing().orElse(null))
        .build();
  }

  private static String fmt(double v) {
    return String.format(java.util.Locale.ROOT, "%.1f", v);
  }

  /**
   * Products of one run; absent products are null.
   *
   * @param bytesRead cube bytes streamed from the source
   */
  public record Result(
      List<BandStats> stats, NdiResult ndi, QuicklookResult quicklook, long bytesRead) {}
}
