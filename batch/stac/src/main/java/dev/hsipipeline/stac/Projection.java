package dev.hsipipeline.stac;

import dev.hsipipeline.hsi.geo.Crs;
import dev.hsipipeline.hsi.geo.GeoTransform;
import dev.hsipipeline.hsi.geo.Georeferencing;
import java.util.Objects;

/**
 * The projection extension's fields of a raster on a grid: {@code proj:epsg} (null when the CRS has
 * no EPSG code), {@code proj:wkt2}, {@code proj:shape} ({@code [rows, columns]}), {@code
 * proj:transform} (the 6 affine terms in rasterio/Affine order {@code [a, b, c, d, e, f]} = GDAL's
 * {@code [gt1, gt2, gt0, gt4, gt5, gt3]}) and {@code proj:bbox} (the corners' envelope in the CRS).
 *
 * <p>A CRS without an EPSG code writes {@code proj:epsg: null} and {@code proj:wkt2}, converted
 * from the header's WKT1 by {@link Crs#wkt2()} (ADR 0167). A CRS that has no standard WKT2 (a
 * projection without an EPSG definition, e.g. ESRI's Equidistant_Conic) writes no {@code proj:wkt2}
 * and keeps its WKT text in {@code hsi:wkt1} instead, so nothing is lost (ADR 0160).
 *
 * @param epsg EPSG code, or null
 * @param wkt2 the CRS as WKT2 when it has no EPSG code, else null
 * @param wkt1 the CRS's WKT text when it has neither an EPSG code nor a WKT2, else null
 * @param rows raster height
 * @param columns raster width
 * @param transform pixel-to-map transform (GDAL convention)
 */
public record Projection(
    Integer epsg, String wkt2, String wkt1, int rows, int columns, GeoTransform transform) {
  /** Validates. */
  public Projection {
    Objects.requireNonNull(transform, "transform");
    if ((epsg == null ? 0 : 1) + (wkt2 == null ? 0 : 1) + (wkt1 == null ? 0 : 1) != 1)
      throw new IllegalArgumentException(
          "exactly one of EPSG code, WKT2 and WKT1 identifies the CRS, got "
              + epsg
              + ", "
              + wkt2
              + ", "
              + wkt1);
    if (rows <= 0 || columns <= 0)
      throw new IllegalArgumentException("raster size must be positive: " + columns + " x " + rows);
  }

  /** The projection of a {@code columns} × {@code rows} raster on this georeferencing. */
  public static Projection of(Georeferencing g, int columns, int rows) {
    Crs crs = g.crs();
    if (crs.epsgCode().isPresent())
      return new Projection(crs.epsgCode().getAsInt(), null, null, rows, columns, g.transform());
    String wkt2;
    try {
      wkt2 = crs.wkt2();
    } catch (IllegalArgumentException noStandardWkt2) {
      return new Projection(null, null, crs.wkt(), rows, columns, g.transform());
    }
    return new Projection(null, wkt2, null, rows, columns, g.transform());
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
    return pixelSize(transform);
  }

  /** The pixel size of a grid in CRS units, without building its projection fields (no WKT2). */
  public static double pixelSize(GeoTransform transform) {
    return Math.hypot(transform.pixelWidth(), transform.colRotation());
  }
}
