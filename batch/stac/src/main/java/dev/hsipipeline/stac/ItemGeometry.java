package dev.hsipipeline.stac;

import java.util.ArrayList;
import java.util.List;

/**
 * An item's {@code geometry} and {@code bbox}: the WGS 84 footprint polygon of a georeferenced
 * raster (its four outer corners reprojected from the raster's CRS — for a rotated grid the rotated
 * corners, not their envelope), or none for a scene that is not georeferenced (then the item says
 * {@code hsi:georeferenced: false} and carries no invented geometry).
 *
 * @param corners longitude/latitude of the corners in raster order (upper left, upper right, lower
 *     right, lower left); empty when not georeferenced
 */
public record ItemGeometry(List<double[]> corners) {
  /** Validates: none or four finite corners with |lat| ≤ 90. */
  public ItemGeometry {
    corners = corners == null ? List.of() : List.copyOf(corners);
    if (!corners.isEmpty() && corners.size() != 4)
      throw new IllegalArgumentException("a footprint has 4 corners, got " + corners.size());
    for (double[] c : corners) {
      if (c.length != 2 || !Double.isFinite(c[0]) || !Double.isFinite(c[1]) || Math.abs(c[1]) > 90)
        throw new IllegalArgumentException(
            "not a longitude/latitude pair: " + java.util.Arrays.toString(c));
    }
  }

  /** No geometry: the scene is not georeferenced. */
  public static ItemGeometry none() {
    return new ItemGeometry(List.of());
  }

  /** A footprint from its four corners ({@code [lon, lat]} each, raster order). */
  public static ItemGeometry ofCorners(List<double[]> corners) {
    return new ItemGeometry(corners);
  }

  /** True when there is a footprint. */
  public boolean isPresent() {
    return !corners.isEmpty();
  }

  /**
   * The exterior ring as RFC 7946 wants it: counter-clockwise, first position repeated (five
   * positions).
   */
  public List<double[]> ring() {
    if (corners.isEmpty()) return List.of();
    List<double[]> ring = new ArrayList<>(corners);
    double area = 0;
    for (int i = 0; i < 4; i++) {
      double[] p = ring.get(i), q = ring.get((i + 1) % 4);
      area += p[0] * q[1] - q[0] * p[1];
    }
    if (area < 0) java.util.Collections.reverse(ring);
    ring.add(ring.get(0));
    return List.copyOf(ring);
  }

  /** {@code [west, south, east, north]} of the corners, or null when there is no footprint. */
  public double[] bbox() {
    if (corners.isEmpty()) return null;
    double w = Double.POSITIVE_INFINITY, s = Double.POSITIVE_INFINITY;
    double e = Double.NEGATIVE_INFINITY, n = Double.NEGATIVE_INFINITY;
    for (double[] c : corners) {
      w = Math.min(w, c[0]);
      e = Math.max(e, c[0]);
      s = Math.min(s, c[1]);
      n = Math.max(n, c[1]);
    }
    return new double[] {w, s, e, n};
  }
}
