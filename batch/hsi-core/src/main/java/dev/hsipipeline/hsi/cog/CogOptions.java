package dev.hsipipeline.hsi.cog;

/**
 * How a Cloud-Optimized GeoTIFF is encoded. The defaults match {@code gdal_translate -of COG -co
 * COMPRESS=DEFLATE -co PREDICTOR=YES -co RESAMPLING=AVERAGE} (512 px tiles, DEFLATE level 6,
 * predictor by data type, internal overviews) except for the interleave: band interleave ({@link
 * Interleave#BAND}, docs/adr/0106).
 *
 * @param tileSize tile width and height in pixels: a multiple of 16 in [16, 4096]
 * @param level DEFLATE level, 1 (fastest) to 9 (smallest)
 * @param predictor the TIFF predictor applied before compression
 * @param interleave pixel interleave (PlanarConfiguration 1) or band interleave (2)
 * @param bigTiff classic TIFF unless the file needs 64-bit offsets, or always BigTIFF
 * @param overviews true to write internal overviews (halving until both sides fit one tile)
 * @param threads compression threads (&ge; 1); the caller's thread reads and writes besides
 */
public record CogOptions(
    int tileSize,
    int level,
    Predictor predictor,
    Interleave interleave,
    BigTiff bigTiff,
    boolean overviews,
    int threads) {

  /** The TIFF predictor (tag 317). */
  public enum Predictor {
    /** Horizontal differencing for integer samples, floating point for float32 (GDAL's YES). */
    AUTO,
    /** No predictor (1). */
    NONE,
    /** Horizontal differencing (2). */
    HORIZONTAL,
    /** Floating point byte-plane differencing (3); float32 only. */
    FLOATING_POINT
  }

  /** Sample organisation of the tiles. */
  public enum Interleave {
    /** All bands of a pixel together: one tile holds every band (PlanarConfiguration 1). */
    PIXEL,
    /**
     * One tile per band (PlanarConfiguration 2), the bands of a tile position stored one after the
     * other (GDAL's COG {@code INTERLEAVE=TILE} order).
     */
    BAND
  }

  /** Classic TIFF or BigTIFF. */
  public enum BigTiff {
    /** Classic TIFF when every offset fits in 32 bits, else BigTIFF (decided on the real size). */
    AUTO,
    /** Always BigTIFF. */
    ALWAYS
  }

  /** Validates. */
  public CogOptions {
    if (tileSize < 16 || tileSize > 4096 || tileSize % 16 != 0)
      throw new IllegalArgumentException(
          "tileSize must be a multiple of 16 between 16 and 4096, got " + tileSize);
    if (level < 1 || level > 9)
      throw new IllegalArgumentException("level must be between 1 and 9, got " + level);
    if (predictor == null || interleave == null || bigTiff == null)
      throw new IllegalArgumentException("predictor, interleave and bigTiff are required");
    if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
  }

  /** 512 px tiles, level 6, predictor by type, band interleave, automatic BigTIFF, overviews. */
  public static CogOptions defaults() {
    return new CogOptions(
        512,
        6,
        Predictor.AUTO,
        Interleave.BAND,
        BigTiff.AUTO,
        true,
        Math.max(1, Runtime.getRuntime().availableProcessors()));
  }

  /** With another tile size. */
  public CogOptions withTileSize(int v) {
    return new CogOptions(v, level, predictor, interleave, bigTiff, overviews, threads);
  }

  /** With another DEFLATE level. */
  public CogOptions withLevel(int v) {
    return new CogOptions(tileSize, v, predictor, interleave, bigTiff, overviews, threads);
  }

  /** With another predictor. */
  public CogOptions withPredictor(Predictor v) {
    return new CogOptions(tileSize, level, v, interleave, bigTiff, overviews, threads);
  }

  /** With another interleave. */
  public CogOptions withInterleave(Interleave v) {
    return new CogOptions(tileSize, level, predictor, v, bigTiff, overviews, threads);
  }

  /** With another BigTIFF mode. */
  public CogOptions withBigTiff(BigTiff v) {
    return new CogOptions(tileSize, level, predictor, interleave, v, overviews, threads);
  }

  /** With or without overviews. */
  public CogOptions withOverviews(boolean v) {
    return new CogOptions(tileSize, level, predictor, interleave, bigTiff, v, threads);
  }

  /** With another number of compression threads. */
  public CogOptions withThreads(int v) {
    return new CogOptions(tileSize, level, predictor, interleave, bigTiff, overviews, v);
  }
}
