package dev.hsipipeline.hsi.internal;

import dev.hsipipeline.hsi.EnviHeaderException;
import dev.hsipipeline.hsi.geo.Crs;
import dev.hsipipeline.hsi.geo.GeoTransform;
import dev.hsipipeline.hsi.geo.Georeferencing;
import dev.hsipipeline.hsi.geo.internal.Datum;
import dev.hsipipeline.hsi.geo.internal.KnownCrs;
import dev.hsipipeline.hsi.geo.internal.WktCrs;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code map info} + {@code coordinate system string} → {@link Georeferencing}, with the meaning
 * GDAL 3.6's ENVI driver gives every field (ADR 0100). Where GDAL would guess (a missing or unknown
 * datum, a misspelt hemisphere, a non-numeric field read as 0, a {@code rotation = x} it ignores),
 * this parser refuses with an error naming the field instead of producing a different transform.
 */
final class MapInfoParser {
  static final String MAP_INFO = "map info";
  static final String CSS = "coordinate system string";
  private static final String[] POSITIONAL = {
    "projection name",
    "reference pixel x",
    "reference pixel y",
    "easting",
    "northing",
    "x pixel size",
    "y pixel size"
  };

  private final String source;
  private final List<String> fields;
  private final List<String> positional = new ArrayList<>();
  private String units;
  private double rotationDeg;

  private MapInfoParser(String source, List<String> fields) {
    this.source = source;
    this.fields = fields;
  }

  /** The georeferencing of the header fields, or empty when there is no {@code map info}. */
  static Optional<Georeferencing> parse(Map<String, String> header, String source) {
    String raw = header.get(MAP_INFO);
    if (raw == null) return Optional.empty();
    List<String> fields = split(raw, source);
    // ENVI's "Arbitrary" (and pixel-based) map info says the image has no map position: GDAL
    // reads a local, non-Earth CS. Without a WKT that places it, it is a scene that is not
    // georeferenced, like one without map info, and is not refused.
    if (header.get(CSS) == null && noMapPosition(fields.get(0))) return Optional.empty();
    MapInfoParser p = new MapInfoParser(source, fields);
    return Optional.of(p.georeferencing(header.get(CSS)));
  }

  private static boolean noMapPosition(String projection) {
    String p = projection.toLowerCase(Locale.ROOT);
    return p.equals("arbitrary") || p.startsWith("pixel");
  }

  private static List<String> split(String raw, String source) {
    String v = raw.trim();
    if (!v.startsWith("{") || !v.endsWith("}"))
      throw new EnviHeaderException(source, MAP_INFO, "expected a {...} list, got '" + v + "'");
    List<String> out = new ArrayList<>();
    for (String part : v.substring(1, v.length() - 1).split(",", -1)) out.add(part.trim());
    return out;
  }

  private Georeferencing georeferencing(String coordinateSystemString) {
    boolean named = false;
    for (String f : fields) {
      int eq = f.indexOf('=');
      if (eq < 0) {
        if (named)
          fail("'" + f + "': named values (units=, rotation=) must come after the positional ones");
        positional.add(f);
        continue;
      }
      named = true;
      String key = f.substring(0, eq);
      String value = f.substring(eq + 1);
      String name = key.trim().toLowerCase(Locale.ROOT);
      if (!name.equals("rotation") && !name.equals("units")) continue; // GDAL ignores others too
      if (!key.equals(name) || !value.equals(value.trim()))
        fail("'" + f + "': write '" + name + "=" + value.trim() + "' (GDAL ignores this spelling)");
      if (name.equals("rotation")) rotationDeg = number(value, "rotation");
      else units = value;
    }
    if (positional.size() < 7)
      fail(
          "has "
              + positional.size()
              + " positional fields; needs at least 7: "
              + String.join(", ", POSITIONAL));
    if (positional.get(0).isEmpty()) fail("the projection name (field 1) is empty");
    double[] v = new double[7];
    for (int i = 1; i < 7; i++) v[i] = number(positional.get(i), POSITIONAL[i]);
    double refX = v[1], refY = v[2], easting = v[3], northing = v[4], sizeX = v[5], sizeY = v[6];
    if (!(sizeX > 0) || !(sizeY > 0))
      fail("pixel sizes must be positive, got " + positional.get(5) + " and " + positional.get(6));

    Crs crs = coordinateSystemString != null ? fromWkt(coordinateSystemString) : fromMapInfo();
    double unitScale = angularUnitScale(crs);
    checkLinearUnits(crs);
    GeoTransform t = transform(refX, refY, easting, northing, sizeX, sizeY, rotationDeg);
    if (unitScale != 1) t = scaled(t, unitScale);
    return new Georeferencing(crs, t);
  }

  private static GeoTransform scaled(GeoTransform t, double s) {
    return new GeoTransform(
        t.originX() * s,
        t.pixelWidth() * s,
        t.rowRotation() * s,
        t.originY() * s,
        t.colRotation() * s,
        t.pixelHeight() * s);
  }

  /** GDAL's formula (envidataset.cpp, ProcessMapinfo): the reference-pixel offset unrotated. */
  static GeoTransform transform(
      double refX,
      double refY,
      double easting,
      double northing,
      double sizeX,
      double sizeY,
      double rotationDeg) {
    double r = -rotationDeg * Math.PI / 180;
    double originX = easting - (refX - 1) * sizeX;
    double originY = northing + (refY - 1) * sizeY;
    if (Math.abs(rotationDeg) == 180) {
      // GDAL's special case: a south-up image, no numeric approximations.
      return new GeoTransform(originX, sizeX, 0, originY, 0, sizeY);
    }
    return new GeoTransform(
        originX,
        Math.cos(r) * sizeX + 0.0,
        -Math.sin(r) * sizeX + 0.0,
        originY,
        -Math.sin(r) * sizeY + 0.0,
        -Math.cos(r) * sizeY + 0.0);
  }

  private Crs fromWkt(String css) {
    String v = css.trim();
    if (!v.startsWith("{") || !v.endsWith("}"))
      throw new EnviHeaderException(source, CSS, "expected {<WKT>}, got '" + abbreviate(v) + "'");
    try {
      return WktCrs.parse(v.substring(1, v.length() - 1));
    } catch (IllegalArgumentException e) {
      throw new EnviHeaderException(source, CSS, e.getMessage());
    }
  }

  private Crs fromMapInfo() {
    String projection = positional.get(0);
    String p = projection.toLowerCase(Locale.ROOT);
    if (p.startsWith("utm")) {
      if (positional.size() < 9) fail("UTM needs the zone (field 8) and North or South (field 9)");
      int zone = (int) number(positional.get(7), "UTM zone");
      if (zone < 1 || zone > 60 || !positional.get(7).matches("\\d+"))
        fail("UTM zone (field 8) must be an integer 1..60, got '" + positional.get(7) + "'");
      String hemisphere = positional.get(8);
      boolean north = hemisphere.equalsIgnoreCase("North");
      if (!north && !hemisphere.equalsIgnoreCase("South"))
        fail("field 9 must be North or South, got '" + hemisphere + "'");
      if (positional.size() < 10)
        fail(
            "UTM without a datum (field 10) and without a coordinate system string: GDAL"
                + " would assume NAD27; name the datum, e.g. WGS-84");
      return KnownCrs.utm(datum(positional.get(9), 10), zone, north).toCrs();
    }
    if (p.startsWith("geographic lat")) {
      if (positional.size() < 8) {
        if (fields.size() < 8)
          fail(
              "Geographic Lat/Lon without a datum (field 8) and without a coordinate system"
                  + " string: GDAL reads it as a local, non-Earth coordinate system; name the"
                  + " datum, e.g. WGS-84");
        return KnownCrs.geographic(Datum.WGS84).toCrs(); // GDAL: named values only → WGS 84
      }
      return KnownCrs.geographic(datum(positional.get(7), 8)).toCrs();
    }
    fail(
        "projection '"
            + projection
            + "' is supported only with a coordinate system string (WKT); without one the"
            + " supported projections are UTM and Geographic Lat/Lon");
    throw new AssertionError();
  }

  private Datum datum(String name, int field) {
    return Datum.ofEnviName(name)
        .orElseThrow(
            () ->
                new EnviHeaderException(
                    source,
                    MAP_INFO,
                    "datum (field "
                        + field
                        + ") '"
                        + name
                        + "' is not supported; supported: "
                        + Datum.enviNames()
                        + " (or give a coordinate system string)"));
  }

  /** Minutes and seconds of a geographic CRS become degrees, as GDAL does; 1 otherwise. */
  private double angularUnitScale(Crs crs) {
    if (units == null || !crs.isGeographic()) return 1;
    return switch (units.toLowerCase(Locale.ROOT)) {
      case "degrees" -> 1;
      case "minutes" -> 1 / 60.0;
      case "seconds" -> 1 / 3600.0;
      default -> {
        fail(
            "units="
                + units
                + " is not supported for a geographic CRS; supported: Degrees, Minutes, Seconds");
        yield 1;
      }
    };
  }

  /** A linear {@code units=} must agree with the CRS: GDAL would otherwise rescale the CRS. */
  private void checkLinearUnits(Crs crs) {
    if (units == null || crs.isGeographic()) return;
    double metres =
        switch (units.toLowerCase(Locale.ROOT)) {
          case "meters" -> 1;
          case "feet" -> 0.3048;
          case "km" -> 1000;
          case "yards" -> 0.9144;
          case "miles" -> 1609.344;
          case "nautical miles" -> 1852;
          default -> {
            fail(
                "units="
                    + units
                    + " is not a linear unit GDAL knows (Meters, Feet, Km, Yards, Miles, Nautical"
                    + " Miles)");
            yield 1;
          }
        };
    double crsUnit = WktCrs.linearUnitMetres(crs.wkt());
    if (Math.abs(crsUnit - metres) > 1e-9 * metres)
      fail(
          "units="
              + units
              + " differs from the CRS's unit ("
              + crsUnit
              + " m); converting the CRS is not supported");
  }

  private double number(String raw, String what) {
    String t = raw.trim();
    if (!t.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?"))
      fail(what + " '" + t + "' is not a number");
    return Double.parseDouble(t);
  }

  private void fail(String problem) {
    throw new EnviHeaderException(source, MAP_INFO, problem);
  }

  private static String abbreviate(String s) {
    return s.length() <= 60 ? s : s.substring(0, 57) + "...";
  }
}
