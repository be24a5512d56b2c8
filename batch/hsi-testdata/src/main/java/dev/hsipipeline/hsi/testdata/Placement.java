package dev.hsipipeline.hsi.testdata;

import dev.hsipipeline.hsi.geo.Crs;
import dev.hsipipeline.hsi.geo.GeoTransform;
import dev.hsipipeline.hsi.geo.Georeferencing;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Where a {@link SyntheticScene} lies on the Earth, i.e. the {@code map info} (and {@code
 * coordinate system string}) of its header. Every placement puts the top-left corner in the Owens
 * Valley, California, where AVIRIS has flown for decades, so the footprints are plausible.
 */
public enum Placement {
  /** WGS 84 / UTM zone 11N (EPSG:32611), north-up, 15 m pixels: a classic AVIRIS scene. */
  UTM("WGS 84 / UTM zone 11N (EPSG:32611), 15 m pixels"),
  /**
   * WGS 84 / UTM zone 11N, 15 m pixels, the grid rotated by 18° ({@code rotation=18} in {@code map
   * info}) as AVIRIS-NG flight lines are delivered along the flight track.
   */
  ROTATED("WGS 84 / UTM zone 11N (EPSG:32611), 15 m pixels, grid rotated 18°"),
  /** Geographic WGS 84 (EPSG:4326), north-up, 0.00015° pixels (~15 m). */
  GEOGRAPHIC("WGS 84 longitude/latitude (EPSG:4326), 0.00015° pixels"),
  /** No {@code map info}: a valid scene that is not on a map. */
  NONE("not georeferenced");

  private final String description;

  Placement(String description) {
    this.description = description;
  }

  /**
   * What the placement is, for summaries: e.g. {@code WGS 84 / UTM zone 11N (EPSG:32611), 15 m
   * pixels}.
   */
  public String description() {
    return description;
  }

  /** UTM 11N easting/northing of the top-left corner (36.90° N, 118.32° W). */
  private static final double EASTING = 382_000, NORTHING = 4_085_000;

  /** Pixel size in metres, as AVIRIS flown at low altitude. */
  private static final double PIXEL_METRES = 15;

  /** Degrees per pixel of {@link #GEOGRAPHIC}, about 15 m of latitude. */
  private static final double PIXEL_DEGREES = 0.00015;

  /** Clockwise rotation of {@link #ROTATED}'s grid, in degrees (ENVI's {@code rotation=}). */
  static final double ROTATION_DEGREES = 18;

  /** The georeferencing, or empty for {@link #NONE}. */
  public Optional<Georeferencing> georeferencing() {
    return switch (this) {
      case UTM ->
          Optional.of(
              new Georeferencing(
                  Crs.ofEpsg(32611),
                  new GeoTransform(EASTING, PIXEL_METRES, 0, NORTHING, 0, -PIXEL_METRES)));
      case ROTATED -> {
        // GDAL's ENVI driver: rotation=θ gives gt1 = cos θ·size, gt2 = sin θ·size,
        // gt4 = sin θ·size, gt5 = −cos θ·size (ADR 0100).
        double r = Math.toRadians(ROTATION_DEGREES);
        double c = PIXEL_METRES * Math.cos(r), s = PIXEL_METRES * Math.sin(r);
        yield Optional.of(
            new Georeferencing(
                Crs.ofEpsg(32611), new GeoTransform(EASTING, c, s, NORTHING, s, -c)));
      }
      case GEOGRAPHIC ->
          Optional.of(
              new Georeferencing(
                  Crs.ofEpsg(4326),
                  new GeoTransform(-118.32, PIXEL_DEGREES, 0, 36.91, 0, -PIXEL_DEGREES)));
      case NONE -> Optional.empty();
    };
  }

  /** Lower-case name as the {@code --georef} option spells it ({@code utm}, {@code rotated} …). */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The placement named {@code label} (case-insensitive).
   *
   * @throws IllegalArgumentException naming the value and the accepted ones
   */
  public static Placement parse(String label) {
    for (Placement p : values()) {
      if (label != null && p.label().equals(label.strip().toLowerCase(Locale.ROOT))) return p;
    }
    throw new IllegalArgumentException(
        "unknown georeferencing '"
            + label
            + "' ("
            + Arrays.stream(values()).map(Placement::label).collect(Collectors.joining(", "))
            + ")");
  }
}
