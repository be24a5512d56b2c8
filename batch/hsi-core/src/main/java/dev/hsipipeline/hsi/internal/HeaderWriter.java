package dev.hsipipeline.hsi.internal;

import dev.hsipipeline.hsi.EnviHeader;
import dev.hsipipeline.hsi.geo.Crs;
import dev.hsipipeline.hsi.geo.GeoTransform;
import dev.hsipipeline.hsi.geo.Georeferencing;
import dev.hsipipeline.hsi.geo.internal.KnownCrs;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@link EnviHeader} → ENVI header text. Georeferencing is written as GDAL's ENVI driver writes it:
 * {@code map info} with reference pixel (1, 1), pixel sizes and {@code rotation=}, and the CRS in
 * {@code coordinate system string}, which GDAL (and {@link HeaderParser}) read in preference to the
 * projection fields of {@code map info}.
 */
public final class HeaderWriter {
  /** The header key of the affine georeferencing. */
  public static final String MAP_INFO = MapInfoParser.MAP_INFO;

  /** The header key of the CRS as WKT. */
  public static final String COORDINATE_SYSTEM_STRING = MapInfoParser.CSS;

  private static final Pattern PROJECTION = Pattern.compile("PROJECTION\\[\"([^\"]+)\"");

  private HeaderWriter() {}

  /** See {@link EnviHeader#toText()}. */
  public static String write(EnviHeader h) {
    StringBuilder sb = new StringBuilder("ENVI\n");
    if (h.description() != null) sb.append("description = {").append(h.description()).append("}\n");
    sb.append("samples = ").append(h.samples()).append('\n');
    sb.append("lines = ").append(h.lines()).append('\n');
    sb.append("bands = ").append(h.bands()).append('\n');
    sb.append("header offset = ").append(h.headerOffset()).append('\n');
    sb.append("file type = ENVI Standard\n");
    sb.append("data type = ").append(h.dataType().code()).append('\n');
    sb.append("interleave = ").append(h.interleave().label()).append('\n');
    sb.append("byte order = ").append(h.byteOrder() == ByteOrder.BIG_ENDIAN ? 1 : 0).append('\n');
    h.georeferencing().ifPresent(g -> writeGeoreferencing(g, sb));
    if (h.dataIgnoreValue() != null)
      sb.append("data ignore value = ").append(number(h.dataIgnoreValue())).append('\n');
    if (!h.bandNames().isEmpty())
      sb.append("band names = {").append(String.join(", ", h.bandNames())).append("}\n");
    if (!h.wavelengthsNm().isEmpty()) {
      // Always written in nanometres: the values are held in nm.
      sb.append("wavelength units = Nanometers\n");
      sb.append("wavelength = {").append(numbers(h.wavelengthsNm())).append("}\n");
    }
    if (!h.fwhmNm().isEmpty()) sb.append("fwhm = {").append(numbers(h.fwhmNm())).append("}\n");
    if (!h.goodBands().isEmpty()) {
      List<String> flags = new ArrayList<>(h.goodBands().size());
      for (Boolean g : h.goodBands()) flags.add(g ? "1" : "0");
      sb.append("bbl = {").append(String.join(", ", flags)).append("}\n");
    }
    h.extra().forEach((k, v) -> sb.append(k).append(" = ").append(v).append('\n'));
    return sb.toString();
  }

  /**
   * Checks that {@code map info} can express the transform (pixel sizes and one rotation angle, or
   * GDAL's south-up {@code rotation=180}); a sheared or mirrored grid cannot be written.
   *
   * @throws IllegalArgumentException when it cannot
   */
  public static void requireRepresentable(Georeferencing g) {
    MapInfoGrid.of(g.transform());
  }

  private static void writeGeoreferencing(Georeferencing g, StringBuilder sb) {
    GeoTransform t = g.transform();
    MapInfoGrid grid = MapInfoGrid.of(t);
    StringBuilder mi = new StringBuilder("{");
    Crs crs = g.crs();
    Optional<KnownCrs> known = KnownCrs.ofEpsg(crs.epsg());
    String location =
        ", 1, 1, "
            + number(t.originX())
            + ", "
            + number(t.originY())
            + ", "
            + number(grid.sizeX())
            + ", "
            + number(grid.sizeY());
    if (known.isPresent() && !known.get().isGeographic()) {
      KnownCrs k = known.get();
      mi.append("UTM")
          .append(location)
          .append(", ")
          .append(k.zone())
          .append(k.north() ? ", North, " : ", South, ")
          .append(k.datum().enviName);
    } else if (known.isPresent()) {
      mi.append("Geographic Lat/Lon")
          .append(location)
          .append(", ")
          .append(known.get().datum().enviName);
    } else if (crs.isGeographic()) {
      mi.append("Geographic Lat/Lon").append(location);
    } else {
      Matcher m = PROJECTION.matcher(crs.wkt());
      mi.append(m.find() ? m.group(1).replace(',', ' ') : "Projected").append(location);
    }
    if (grid.rotationDeg() != 0) mi.append(", rotation=").append(number(grid.rotationDeg()));
    sb.append(MAP_INFO).append(" = ").append(mi).append("}\n");
    sb.append(COORDINATE_SYSTEM_STRING).append(" = {").append(crs.wkt()).append("}\n");
  }

  /** Shortest text that parses back to the same double, without an exponent. */
  static String number(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
    if (Double.isNaN(v) || Double.isInfinite(v)) return Double.toString(v);
    return BigDecimal.valueOf(v).toPlainString();
  }

  private static String numbers(List<Double> values) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) sb.append(", ");
      sb.append(number(values.get(i)));
    }
    return sb.toString();
  }

  private static double significant15(double v) {
    return new BigDecimal(v).round(new MathContext(15)).doubleValue();
  }

  /** The map info view of a transform: pixel sizes and rotation in degrees. */
  private record MapInfoGrid(double sizeX, double sizeY, double rotationDeg) {
    static MapInfoGrid of(GeoTransform t) {
      double sizeX = Math.hypot(t.pixelWidth(), t.rowRotation());
      double sizeY = Math.hypot(t.colRotation(), t.pixelHeight());
      MapInfoGrid grid;
      if (t.isNorthUp() && t.pixelWidth() > 0 && t.pixelHeight() > 0) {
        grid = new MapInfoGrid(sizeX, sizeY, 180); // GDAL's south-up convention
      } else {
        double r1 = Math.toDegrees(Math.atan2(t.rowRotation(), t.pixelWidth()));
        double r2 = Math.toDegrees(Math.atan2(t.colRotation(), -t.pixelHeight()));
        double r = t.isNorthUp() && t.pixelWidth() > 0 ? 0 : (r1 + r2) / 2;
        if (r != 0) {
          // Sizes and angle of a rotated grid are derived (hypot, atan2) and carry rounding noise
          // in their last bits (15 m → 14.999999999999998): 15 significant digits, as GDAL writes.
          sizeX = significant15(sizeX);
          sizeY = significant15(sizeY);
          r = significant15(r);
        }
        grid = new MapInfoGrid(sizeX, sizeY, Math.abs(r) == 180 ? Double.NaN : r);
      }
      GeoTransform back =
          Double.isNaN(grid.rotationDeg)
              ? null
              : MapInfoParser.transform(
                  1, 1, t.originX(), t.originY(), sizeX, sizeY, grid.rotationDeg);
      double tolerance = 1e-9 * Math.max(sizeX, sizeY);
      if (back == null
          || Math.abs(back.pixelWidth() - t.pixelWidth()) > tolerance
          || Math.abs(back.rowRotation() - t.rowRotation()) > tolerance
          || Math.abs(back.colRotation() - t.colRotation()) > tolerance
          || Math.abs(back.pixelHeight() - t.pixelHeight()) > tolerance) {
        throw new IllegalArgumentException(
            "the geotransform "
                + java.util.Arrays.toString(t.toGdal())
                + " is sheared or mirrored: ENVI map info can only express pixel sizes and a"
                + " rotation");
      }
      return grid;
    }
  }
}
