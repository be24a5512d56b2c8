package dev.hsipipeline.hsi.geo.internal;

import dev.hsipipeline.hsi.geo.Crs;
import dev.hsipipeline.hsi.geo.LonLat;
import org.locationtech.proj4j.CRSFactory;
import org.locationtech.proj4j.CoordinateReferenceSystem;
import org.locationtech.proj4j.CoordinateTransform;
import org.locationtech.proj4j.CoordinateTransformFactory;
import org.locationtech.proj4j.ProjCoordinate;
import org.locationtech.proj4j.datum.Datum;
import org.locationtech.proj4j.datum.Ellipsoid;

/**
 * Map coordinates of a {@link Crs} → WGS 84 longitude/latitude with proj4j (ADR 0102): an EPSG code
 * through proj4j's EPSG registry, any other CRS through its WKT (read by NGA's WKT parser into
 * proj4j parameters). A datum with no known shift to WGS 84 is refused rather than treated as WGS
 * 84: a footprint would be off by up to hundreds of metres without saying so.
 */
public final class ToWgs84 {
  private static final CRSFactory CRS_FACTORY = new CRSFactory();
  private static final CoordinateTransformFactory TRANSFORMS = new CoordinateTransformFactory();

  private final CoordinateTransform transform;

  private ToWgs84(CoordinateTransform transform) {
    this.transform = transform;
  }

  /**
   * The transformation from {@code crs}.
   *
   * @throws IllegalArgumentException naming the CRS when proj4j cannot represent it or no datum
   *     shift to WGS 84 is known
   */
  public static ToWgs84 from(Crs crs) {
    CoordinateReferenceSystem source = proj4j(crs);
    requireDatumShift(source, crs);
    CoordinateReferenceSystem wgs84 = CRS_FACTORY.createFromName("EPSG:4326");
    return new ToWgs84(TRANSFORMS.createTransform(source, wgs84));
  }

  /** Longitude/latitude of map position (x, y). */
  public LonLat apply(double x, double y) {
    ProjCoordinate out = new ProjCoordinate();
    try {
      transform.transform(new ProjCoordinate(x, y), out);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "cannot transform (" + x + ", " + y + ") to WGS 84: " + e.getMessage(), e);
    }
    return new LonLat(out.x, out.y);
  }

  private static CoordinateReferenceSystem proj4j(Crs crs) {
    if (crs.epsg() > 0) {
      try {
        return CRS_FACTORY.createFromName("EPSG:" + crs.epsg());
      } catch (RuntimeException e) {
        // Not in proj4j's registry: the WKT below still describes it.
      }
    }
    try {
      return mil.nga.proj.CRSParser.parse(crs.wkt());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "proj4j cannot represent the CRS " + describe(crs) + ": " + e.getMessage(), e);
    }
  }

  private static void requireDatumShift(CoordinateReferenceSystem source, Crs crs) {
    Datum d = source.getDatum();
    int type = d.getTransformType();
    if (type == Datum.TYPE_3PARAM || type == Datum.TYPE_7PARAM) return;
    Ellipsoid e = d.getEllipsoid();
    // WGS 84 itself, and datums on the GRS 80 ellipsoid (NAD83, ETRS89, GDA94, ...) that PROJ
    // also relates to WGS 84 with a null transformation at the metre level.
    boolean wgs84Like =
        Math.abs(e.getEquatorRadius() - 6378137) < 1e-3
            && (Math.abs(e.getEccentricitySquared() - Ellipsoid.WGS84.getEccentricitySquared())
                    < 1e-12
                || Math.abs(e.getEccentricitySquared() - Ellipsoid.GRS80.getEccentricitySquared())
                    < 1e-12);
    if (wgs84Like && type != Datum.TYPE_GRIDSHIFT) return;
    throw new IllegalArgumentException(
        "no transformation from datum '"
            + d.getName()
            + "' of "
            + describe(crs)
            + " to WGS 84 is known without grid files (give a TOWGS84 in the WKT)");
  }

  private static String describe(Crs crs) {
    if (crs.epsg() > 0) return "EPSG:" + crs.epsg();
    String w = crs.wkt();
    return w.length() <= 60 ? w : w.substring(0, 57) + "...";
  }
}
