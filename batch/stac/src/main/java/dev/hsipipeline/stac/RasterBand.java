package dev.hsipipeline.stac;

/**
 * One {@code raster:bands} entry of an asset.
 *
 * @param dataType raster extension data type ({@code int16}, {@code float32}, …)
 * @param nodata the no-data value, NaN for "nan", or null when there is none
 * @param unit unit of the values (e.g. {@code "1"} for an index), or null
 * @param spatialResolution pixel size in CRS units, or NaN when not georeferenced
 * @param statistics statistics of the valid pixels, or null
 */
public record RasterBand(
    String dataType, Double nodata, String unit, double spatialResolution, Statistics statistics) {

  /**
   * {@code raster:bands[].statistics}.
   *
   * @param minimum smallest valid value
   * @param maximum largest valid value
   * @param mean mean of the valid values
   * @param stddev population standard deviation of the valid values
   * @param validPercent share of valid pixels in percent
   */
  public record Statistics(
      double minimum, double maximum, double mean, double stddev, double validPercent) {}

  /** This band with {@code statistics} set, e.g. once the processor has computed them. */
  public RasterBand withStatistics(Statistics s) {
    return new RasterBand(dataType, nodata, unit, spatialResolution, s);
  }
}
