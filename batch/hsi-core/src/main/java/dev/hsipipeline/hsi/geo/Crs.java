package dev.hsipipeline.hsi.geo;

import dev.hsipipeline.hsi.geo.internal.KnownCrs;
import dev.hsipipeline.hsi.geo.internal.Wkt2;
import dev.hsipipeline.hsi.geo.internal.WktCrs;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * A coordinate reference system: an EPSG code where one identifies it (e.g. 32611 for WGS 84 / UTM
 * zone 11N, 4326 for geographic WGS 84), and always a WKT text (WKT1 as GDAL's ENVI driver writes
 * it in {@code coordinate system string}, or generated for an EPSG code).
 *
 * @param epsg the EPSG code, or 0 when the CRS has none (user-defined, written from the WKT)
 * @param wkt the CRS as WKT; never blank
 */
public record Crs(int epsg, String wkt) {
  /** Validates. */
  public Crs {
    Objects.requireNonNull(wkt, "wkt");
    if (epsg < 0) throw new IllegalArgumentException("epsg must be >= 0, got " + epsg);
    if (wkt.isBlank()) throw new IllegalArgumentException("wkt must not be blank");
  }

  /**
   * The CRS of an EPSG code the pipeline knows the WKT of: geographic and UTM (north and south) on
   * WGS 84 and WGS 72, geographic and UTM north on NAD83 and NAD27 (e.g. 4326, 32611, 32733,
   * 26911).
   *
   * @throws IllegalArgumentException for any other code (use {@link #ofWkt(String)})
   */
  public static Crs ofEpsg(int code) {
    return KnownCrs.ofEpsg(code)
        .map(KnownCrs::toCrs)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "EPSG:"
                        + code
                        + " is not one of the CRSs known by code (geographic and UTM on WGS 84,"
                        + " WGS 72, NAD83, NAD27); give its WKT"));
  }

  /**
   * The CRS a WKT (WKT1 in OGC or ESRI form, or WKT2) describes, with its EPSG code where it names
   * one ({@code AUTHORITY["EPSG", ...]}) or is geographic / UTM on a known datum.
   *
   * @throws IllegalArgumentException when it is not WKT of a geographic or projected CRS
   */
  public static Crs ofWkt(String wkt) {
    try {
      return WktCrs.parse(wkt);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the WKT " + e.getMessage(), e);
    }
  }

  /** The EPSG code when there is one. */
  public OptionalInt epsgCode() {
    return epsg > 0 ? OptionalInt.of(epsg) : OptionalInt.empty();
  }

  /**
   * This CRS as WKT2 (ISO 19162:2019, on one line), as STAC's {@code proj:wkt2} wants it: EPSG
   * method and parameter names, a Cartesian or ellipsoidal CS with its unit, read by GDAL/PROJ as
   * the same CRS as {@link #wkt()}.
   *
   * @throws IllegalArgumentException naming why the CRS cannot be written as standard WKT2 (a
   *     projection method without an EPSG or GeoTIFF definition, e.g. ESRI's Equidistant_Conic),
   *     rather than a WKT2 that would be read as another CRS
   */
  public String wkt2() {
    try {
      return Wkt2.of(wkt);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the CRS " + e.getMessage(), e);
    }
  }

  /** True for a geographic (latitude/longitude) CRS, false for a projected one. */
  public boolean isGeographic() {
    String head = wkt.stripLeading();
    return head.startsWith("GEOGCS") || head.startsWith("GEOGCRS") || head.startsWith("GEODCRS");
  }
}
