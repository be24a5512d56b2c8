package dev.hsipipeline.hsi.geo.internal;

import dev.hsipipeline.hsi.geo.Crs;
import java.util.Locale;
import java.util.Optional;

/**
 * A CRS the pipeline identifies by EPSG code: geographic on a {@link Datum}, or UTM on one. Its WKT
 * is WKT1 with EPSG authorities, the text GDAL exports for the code, so GDAL, PROJ and the GeoTIFF
 * writer read it back as that code.
 *
 * @param datum the datum
 * @param zone UTM zone 1–60, or 0 for the geographic CRS
 * @param north UTM hemisphere (true for the geographic CRS)
 */
public record KnownCrs(Datum datum, int zone, boolean north) {
  private static final double UTM_SCALE = 0.9996;
  private static final double UTM_FALSE_EASTING = 500_000;
  private static final double UTM_FALSE_NORTHING_SOUTH = 10_000_000;

  /** Validates. */
  public KnownCrs {
    if (zone < 0 || zone > 60) throw new IllegalArgumentException("UTM zone must be 1..60");
  }

  /** The geographic (longitude/latitude in degrees) CRS of a datum. */
  public static KnownCrs geographic(Datum datum) {
    return new KnownCrs(datum, 0, true);
  }

  /** UTM zone {@code zone} (1–60), northern or southern hemisphere. */
  public static KnownCrs utm(Datum datum, int zone, boolean north) {
    if (zone < 1) throw new IllegalArgumentException("UTM zone must be 1..60, got " + zone);
    return new KnownCrs(datum, zone, north);
  }

  /** The known CRS with this EPSG code, or empty. */
  public static Optional<KnownCrs> ofEpsg(int code) {
    for (Datum d : Datum.values()) {
      if (code == d.geographicEpsg) return Optional.of(geographic(d));
      for (int zone = 1; zone <= 60; zone++) {
        if (code == d.utmEpsg(zone, true)) return Optional.of(utm(d, zone, true));
        if (code == d.utmEpsg(zone, false)) return Optional.of(utm(d, zone, false));
      }
    }
    return Optional.empty();
  }

  /** True for the geographic CRS. */
  public boolean isGeographic() {
    return zone == 0;
  }

  /** The central meridian of the UTM zone, in degrees. */
  public double centralMeridian() {
    return -183 + 6.0 * zone;
  }

  /** EPSG code, or 0 when the registry has none (e.g. NAD83 UTM zone 30). */
  public int epsg() {
    return isGeographic() ? datum.geographicEpsg : datum.utmEpsg(zone, north);
  }

  /** The CRS: its EPSG code (or 0) and its WKT1. */
  public Crs toCrs() {
    return new Crs(epsg(), wkt());
  }

  /** WKT1 as GDAL exports it; with EPSG authorities where the registry has the code. */
  public String wkt() {
    String geogcs =
        "GEOGCS[\""
            + datum.geogcsName
            + "\",DATUM[\""
            + datum.datumName
            + "\",SPHEROID[\""
            + datum.spheroidName
            + "\","
            + num(datum.semiMajor)
            + ","
            + num(datum.inverseFlattening)
            + authority(datum.spheroidCode)
            + "]"
            + authority(datum.datumCode)
            + "],PRIMEM[\"Greenwich\",0,AUTHORITY[\"EPSG\",\"8901\"]],"
            + "UNIT[\"degree\",0.0174532925199433,AUTHORITY[\"EPSG\",\"9122\"]]";
    if (isGeographic()) {
      return geogcs
          + ",AXIS[\"Latitude\",NORTH],AXIS[\"Longitude\",EAST]"
          + authority(datum.geographicEpsg)
          + "]";
    }
    int code = epsg();
    return "PROJCS[\""
        + datum.geogcsName
        + " / UTM zone "
        + zone
        + (north ? "N" : "S")
        + "\","
        + geogcs
        + authority(datum.geographicEpsg)
        + "],PROJECTION[\"Transverse_Mercator\"],PARAMETER[\"latitude_of_origin\",0],"
        + "PARAMETER[\"central_meridian\","
        + num(centralMeridian())
        + "],PARAMETER[\"scale_factor\","
        + num(UTM_SCALE)
        + "],PARAMETER[\"false_easting\","
        + num(UTM_FALSE_EASTING)
        + "],PARAMETER[\"false_northing\","
        + num(north ? 0 : UTM_FALSE_NORTHING_SOUTH)
        + "],UNIT[\"metre\",1,AUTHORITY[\"EPSG\",\"9001\"]],"
        + "AXIS[\"Easting\",EAST],AXIS[\"Northing\",NORTH]"
        + (code == 0 ? "" : authority(code))
        + "]";
  }

  /** Is this a UTM projection's parameter set? Used to identify a WKT's projection. */
  static boolean isUtm(
      double latitudeOfOrigin,
      double centralMeridian,
      double scale,
      double falseEasting,
      double falseNorthing) {
    return latitudeOfOrigin == 0
        && scale == UTM_SCALE
        && falseEasting == UTM_FALSE_EASTING
        && (falseNorthing == 0 || falseNorthing == UTM_FALSE_NORTHING_SOUTH)
        && utmZone(centralMeridian) > 0;
  }

  /** The UTM zone whose central meridian this is, or 0. */
  static int utmZone(double centralMeridian) {
    double z = (centralMeridian + 183) / 6;
    return z == Math.rint(z) && z >= 1 && z <= 60 ? (int) z : 0;
  }

  private static String authority(int code) {
    return ",AUTHORITY[\"EPSG\",\"" + code + "\"]";
  }

  private static String num(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
    return String.format(Locale.ROOT, "%s", v);
  }
}
