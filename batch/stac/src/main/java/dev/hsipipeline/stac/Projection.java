package dev.hsipipeline.stac;

import dev.hsipipeline.hsi.geo.GeoTransform;
import dev.hsipipeline.hsi.geo.Georeferencing;
import java.util.Objects;

/**
 * The projection extension's fields of a raster on a grid: {@code proj:epsg} (null when the CRS has
 * no EPSG code), {@code proj:wkt2}, {@code proj:shape} ({@code [rows, columns]}), {@code
 * proj:transform} (the 6 affine terms in rasterio/Affine order {@code [a, b, c, d, e, f]} = GDAL's
 * {@code [gt1, gt2, gt0, gt4, gt5, gt3]}) and {@code proj:bbox} (the corners' envelope in the CRS).
 *
 * <p>The headers GDAL's ENVI driver writes carry WKT1 ({@code coordinate system string}); STAC's
 * {@code proj:wkt2} must be WKT2, which nothing here can produce without GDAL/PROJ, so a CRS
 * without an EPSG code writes {@code proj:epsg: null} and keeps its WKT1 in {@code hsi:wkt1} (ADR
 * 0160).
 *
 * @param epsg EPSG code, or null
 * @param wkt1 the CRS's WKT1 text (written as {@code hsi:wkt1} when there is no EPSG code)
 * @param rows raster height
 * @param columns raster width
 * @param transform pixel-to-map transform (GDAL convention)
 */
public record Projection(Integer epsg, String wkt1, int rows, int columns, GeoTransform transform) {
  /** Validates. */
  public Projection {
    Objects.requireNonNull(transform, "transform");
    if (rows <= 0 || columns <= 0)
      throw new IllegalArgumentException("raster size must be positive: " + columns + " x " + rows);
  }

  /** The projection of a {@code columns} × {@code rows} raster on this georeferencing. */
  public static Projection of(Georeferencing g, int columns, int rows) {
    Integer epsg = g.crs().epsgCode().isPresent() ? g.crs().epsgCode().getAsInt() : null;
    return new Projection(epsg, g.crs().wkt(), rows, columns, g.transform());
  }

  /** {@code proj:transform}: the first two rows of the affine matrix, row-major. */
  public double[] stacTransform() {
    GeoTransform t = transform;
    return new double[] {
      t.pixelWidth(), t.rowRotation(), t.originX(), t.colRotation(), t.pixelHeight(), t.originY()
    };
  }

  /** {@code proj:bbox}: {@code [minX, minY, maxX, maxY]} of the four outer corners in the CRS. */
  public double[] bbox() {
    double[] xs = {0, columns, columns, 0}, ys = {0, 0, rows, rows};
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

  /**
   * Ground sample distance: the pixel size in CRS units (for {@code gsd}, metres when projected).
   */
  public double pixelSize() {
    return Math.hypot(transform.pixelWidth(), transform.colRotation());
  }
}
