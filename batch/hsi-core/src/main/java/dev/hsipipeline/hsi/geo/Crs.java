package dev.hsipipeline.hsi.geo;

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

  /** The EPSG code when there is one. */
  public OptionalInt epsgCode() {
    return epsg > 0 ? OptionalInt.of(epsg) : OptionalInt.empty();
  }

  /** True for a geographic (latitude/longitude) CRS, false for a projected one. */
  public boolean isGeographic() {
    String head = wkt.stripLeading();
    return head.startsWith("GEOGCS") || head.startsWith("GEOGCRS") || head.startsWith("GEODCRS");
  }
}
