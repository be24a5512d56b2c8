package dev.hsipipeline.hsi.geo;

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
}
