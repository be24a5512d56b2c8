package dev.hsipipeline.hsi.geo;

import java.util.ArrayList;
import java.util.List;

/**
 * Where a georeferenced raster lies on the Earth: the WGS 84 longitude/latitude of its four outer
 * corners (the pixel edges, not pixel centres), reprojected from its CRS. For a rotated grid these
 * are the rotated corners, not an envelope. Edges between corners are straight in longitude and
 * latitude, as a STAC item's footprint polygon draws them.
 *
 * @param upperLeft corner of pixel (0, 0)
 * @param upperRight far corner of the first line's last pixel
 * @param lowerRight far corner of the last pixel
 * @param lowerLeft far corner of the last line's first pixel
 */
public record Footprint(LonLat upperLeft, LonLat upperRight, LonLat lowerRight, LonLat lowerLeft) {

  /** The corners in raster order: upper left, upper right, lower right, lower left. */
  public List<LonLat> corners() {
    return List.of(upperLeft, upperRight, lowerRight, lowerLeft);
  }

  /**
   * The footprint polygon's exterior ring as GeoJSON (RFC 7946) wants it: counter-clockwise, first
   * position repeated at the end (five positions).
   */
  public List<LonLat> ring() {
    List<LonLat> ring = new ArrayList<>(corners());
    if (signedArea(ring) < 0) java.util.Collections.reverse(ring);
    ring.add(ring.get(0));
    return List.copyOf(ring);
  }

  /** GeoJSON Polygon coordinates: {@code [[[lon, lat], ...]]}, the one ring of {@link #ring()}. */
  public double[][][] polygonCoordinates() {
    List<LonLat> ring = ring();
    double[][] positions = new double[ring.size()][];
    for (int i = 0; i < positions.length; i++)
      positions[i] = new double[] {ring.get(i).lon(), ring.get(i).lat()};
    return new double[][][] {positions};
  }

  /** The bounding box {@code [west, south, east, north]} of the corners, in degrees. */
  public double[] bbox() {
    double w = Double.POSITIVE_INFINITY, s = Double.POSITIVE_INFINITY;
    double e = Double.NEGATIVE_INFINITY, n = Double.NEGATIVE_INFINITY;
    for (LonLat p : corners()) {
      w = Math.min(w, p.lon());
      e = Math.max(e, p.lon());
      s = Math.min(s, p.lat());
      n = Math.max(n, p.lat());
    }
    return new double[] {w, s, e, n};
  }

  private static double signedArea(List<LonLat> ring) {
    double a = 0;
    for (int i = 0; i < ring.size(); i++) {
      LonLat p = ring.get(i), q = ring.get((i + 1) % ring.size());
      a += p.lon() * q.lat() - q.lon() * p.lat();
    }
    return a / 2;
  }
}
