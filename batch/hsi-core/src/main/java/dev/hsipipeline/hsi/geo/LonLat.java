package dev.hsipipeline.hsi.geo;

/**
 * A WGS 84 position in degrees, longitude first (GeoJSON and STAC order).
 *
 * @param lon longitude, east positive
 * @param lat latitude, north positive
 */
public record LonLat(double lon, double lat) {
  /** Validates: finite, latitude within ±90. */
  public LonLat {
    if (!Double.isFinite(lon) || !Double.isFinite(lat) || Math.abs(lat) > 90)
      throw new IllegalArgumentException("not a WGS 84 position: " + lon + ", " + lat);
  }
}
