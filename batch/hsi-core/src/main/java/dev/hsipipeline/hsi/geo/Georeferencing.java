package dev.hsipipeline.hsi.geo;

import dev.hsipipeline.hsi.geo.internal.ToWgs84;
import java.util.Objects;

/**
 * Where a raster lies on the Earth: its CRS and its pixel-to-map transform. A raster without
 * georeferencing has none of this (callers use {@code Optional<Georeferencing>}); there is no
 * "unknown" instance.
 *
 * @param crs the coordinate reference system of the map coordinates
 * @param transform pixel/line to map coordinates, GDAL convention
 */
public record Georeferencing(Crs crs, GeoTransform transform) {
  /** Validates. */
  public Georeferencing {
    Objects.requireNonNull(crs, "crs");
    Objects.requireNonNull(transform, "transform");
  }

  /**
   * The WGS 84 footprint of a raster of {@code width} × {@code height} pixels on this grid: its
   * four outer corners reprojected from the CRS (rotated corners for a rotated grid).
   *
   * @throws IllegalArgumentException when the size is not positive, or the CRS cannot be
   *     transformed to WGS 84 (the message names the CRS and why)
   */
  public Footprint footprint(int width, int height) {
    if (width <= 0 || height <= 0)
      throw new IllegalArgumentException("raster size must be positive: " + width + " x " + height);
    ToWgs84 toWgs84 = ToWgs84.from(crs);
    return new Footprint(
        corner(toWgs84, 0, 0),
        corner(toWgs84, width, 0),
        corner(toWgs84, width, height),
        corner(toWgs84, 0, height));
  }

  /**
   * The envelope {@code [minX, minY, maxX, maxY]} of the four outer corners in the CRS's own
   * coordinates (STAC's {@code proj:bbox}).
   */
  public double[] bounds(int width, int height) {
    double[] xs = {0, width, width, 0}, ys = {0, 0, height, height};
    double minX = Double.POSITIVE_INFINITY, minY = Double.POSITIVE_INFINITY;
    double maxX = Double.NEGATIVE_INFINITY, maxY = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < 4; i++) {
      double x = transform.x(xs[i], ys[i]), y = transform.y(xs[i], ys[i]);
      minX = Math.min(minX, x);
      maxX = Math.max(maxX, x);
      minY = Math.min(minY, y);
      maxY = Math.max(maxY, y);
    }
    return new double[] {minX, minY, maxX, maxY};
  }

  private LonLat corner(ToWgs84 toWgs84, double col, double row) {
    return toWgs84.apply(transform.x(col, row), transform.y(col, row));
  }
}
