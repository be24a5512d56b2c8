package dev.hsipipeline.hsi;

/**
 * What {@link CubeProcessor} computes and how.
 *
 * @param stats per-band statistics
 * @param ndi the normalized difference index, or null
 * @param quicklook the RGB quicklook, or null
 * @param threads worker threads; 1 = everything on the calling thread (the reference path)
 * @param blockBytes target bytes of cube data per work block (memory ≈ (2 × threads + 1) blocks)
 */
public record ProductOptions(
    boolean stats, Ndi ndi, Quicklook quicklook, int threads, int blockBytes) {

  /**
   * Default block size: 1 MiB. Large enough that per-block overhead is noise, small enough that the
   * pipeline fills and drains quickly and the pooled buffers stay out of the way of a small young
   * generation (ADR 0044: 4 MiB blocks cost a fresh job JVM GC copying and ~10 % throughput).
   */
  public static final int DEFAULT_BLOCK_BYTES = 1 << 20;

  /** Validates. */
  public ProductOptions {
    if (threads < 1) throw new IllegalArgumentException("threads must be >= 1");
    if (blockBytes < 1) throw new IllegalArgumentException("blockBytes must be >= 1");
  }

  /** All products with their defaults, one thread per available processor. */
  public static ProductOptions all() {
    return new ProductOptions(
        true,
        Ndi.DEFAULT,
        Quicklook.DEFAULT,
        Runtime.getRuntime().availableProcessors(),
        DEFAULT_BLOCK_BYTES);
  }

  /** Same products, another thread count. */
  public ProductOptions withThreads(int n) {
    return new ProductOptions(stats, ndi, quicklook, n, blockBytes);
  }

  /** Same products, another block size. */
  public ProductOptions withBlockBytes(int n) {
    return new ProductOptions(stats, ndi, quicklook, threads, n);
  }

  /** Index wavelengths (nm): a = NIR, b = red by default (an NDVI). */
  public record Ndi(double wavelengthA, double wavelengthB) {
    /** NIR ~860 nm vs red ~650 nm. */
    public static final Ndi DEFAULT = new Ndi(860, 650);
  }

  /** Quicklook wavelengths (nm), the maximum side in pixels and the stretch percentiles. */
  public record Quicklook(
      double red,
      double green,
      double blue,
      int maxSize,
      double lowPercentile,
      double highPercentile) {
    /** ~640/550/470 nm, 1024 px, 2–98 %. */
    public static final Quicklook DEFAULT = new Quicklook(640, 550, 470, 1024, 2, 98);

    /** Validates. */
    public Quicklook {
      if (maxSize < 1) throw new IllegalArgumentException("quicklook maxSize must be >= 1");
      if (!(lowPercentile >= 0 && lowPercentile < highPercentile && highPercentile <= 100)) {
        throw new IllegalArgumentException(
            "quicklook percentiles must satisfy 0 <= low < high <= 100");
      }
    }
  }
}
