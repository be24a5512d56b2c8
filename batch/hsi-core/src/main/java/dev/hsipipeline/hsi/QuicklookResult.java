package dev.hsipipeline.hsi;

/**
 * An RGB quicklook PNG (no-data pixels transparent), box-averaged by {@code factor} so its longer
 * side is at most the requested size, with a per-channel percentile stretch.
 *
 * @param bands band indices used for red, green, blue
 * @param low per channel value mapped to 0 (the low percentile)
 * @param high per channel value mapped to 255 (the high percentile)
 * @param png the encoded image
 * @param argb the image's pixels, row by row, as non-premultiplied ARGB; alpha 0 marks no data
 */
public record QuicklookResult(
    int width,
    int height,
    int factor,
    int[] bands,
    double[] low,
    double[] high,
    byte[] png,
    int[] argb) {}
