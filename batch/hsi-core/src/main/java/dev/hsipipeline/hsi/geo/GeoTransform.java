package dev.hsipipeline.hsi.geo;

/**
 * The affine transform from pixel/line space to map coordinates, in GDAL's order and convention:
 * {@code x = originX + col * pixelWidth + row * rowRotation} and {@code y = originY + col *
 * colRotation + row * pixelHeight}, where (col, row) = (0, 0) is the <em>top-left corner</em> of
 * the top-left pixel (not its centre). North-up rasters have both rotation terms 0 and a negative
 * {@code pixelHeight}.
 *
 * @param originX map x of the top-left corner
 * @param pixelWidth x step per column (GDAL gt[1])
 * @param rowRotation x step per row (GDAL gt[2])
 * @param originY map y of the top-left corner
 * @param colRotation y step per column (GDAL gt[4])
 * @param pixelHeight y step per row (GDAL gt[5]); negative for north-up
 */
public record GeoTransform(
    double originX,
    double pixelWidth,
    double rowRotation,
    double originY,
    double colRotation,
    double pixelHeight) {

  /** Validates: finite terms and an invertible matrix. */
  public GeoTransform {
    for (double v :
        new double[] {originX, pixelWidth, rowRotation, originY, colRotation, pixelHeight}) {
      if (!Double.isFinite(v))
        throw new IllegalArgumentException("geotransform terms must be finite, got " + v);
    }
    if (pixelWidth * pixelHeight - rowRotation * colRotation == 0)
      throw new IllegalArgumentException("geotransform is not invertible (determinant 0)");
  }

  /** From GDAL's six-term array {@code [gt0..gt5]}. */
  public static GeoTransform ofGdal(double[] gt) {
    if (gt.length != 6)
      throw new IllegalArgumentException("a GDAL geotransform has 6 terms, got " + gt.length);
    return new GeoTransform(gt[0], gt[1], gt[2], gt[3], gt[4], gt[5]);
  }

  /** GDAL's six-term array. */
  public double[] toGdal() {
    return new double[] {originX, pixelWidth, rowRotation, originY, colRotation, pixelHeight};
  }

  /** True when both rotation terms are 0 (a north-up, axis-aligned grid). */
  public boolean isNorthUp() {
    return rowRotation == 0 && colRotation == 0;
  }

  /** Map x of pixel/line position (col, row); (0, 0) is the top-left corner. */
  public double x(double col, double row) {
    return originX + col * pixelWidth + row * rowRotation;
  }

  /** Map y of pixel/line position (col, row); (0, 0) is the top-left corner. */
  public double y(double col, double row) {
    return originY + col * colRotation + row * pixelHeight;
  }

  /**
   * The transform of a raster resampled by integer factors (an overview): the same corners, pixels
   * {@code factorX} × {@code factorY} times larger.
   */
  public GeoTransform scaled(double factorX, double factorY) {
    return new GeoTransform(
        originX,
        pixelWidth * factorX,
        rowRotation * factorY,
        originY,
        colRotation * factorX,
        pixelHeight * factorY);
  }
}
