package dev.hsipipeline.hsi.geo.internal;

import java.text.ParseException;
import java.util.Locale;
import java.util.Set;
import org.apache.sis.io.wkt.Convention;
import org.apache.sis.io.wkt.WKTFormat;
import org.apache.sis.io.wkt.Warnings;
import org.apache.sis.measure.Units;
import org.opengis.referencing.ReferenceIdentifier;
import org.opengis.referencing.crs.GeographicCRS;
import org.opengis.referencing.crs.ProjectedCRS;
import org.opengis.referencing.crs.SingleCRS;
import org.opengis.referencing.datum.GeodeticDatum;
import org.opengis.referencing.operation.Conversion;
import org.opengis.referencing.operation.OperationMethod;

/**
 * WKT (OGC WKT1, ESRI WKT1 as GDAL writes in ENVI headers, or WKT2) → WKT2 (ISO 19162:2019) on one
 * line, by Apache SIS (ADR 0167): SIS maps ESRI and OGC projection and parameter names to the EPSG
 * methods and parameters GDAL/PROJ read, and writes a Cartesian CS with the linear unit.
 *
 * <p>A CRS is refused, with the reason, rather than written as WKT2 that GDAL would read as another
 * CRS: when SIS does not know its projection, when the method it lands on has no EPSG or GeoTIFF
 * identifier (a name only SIS knows), or when SIS warns that the text departs from the standard
 * (e.g. ESRI's one-parallel Lambert_Conformal_Conic, which it reads as 2SP without the second
 * parallel). ESRI's {@code Stereographic_North_Pole} / {@code _South_Pole} are written as EPSG's
 * Polar Stereographic (variant B), as GDAL/PROJ read them.
 */
public final class Wkt2 {

  private static final Set<String> IDENTIFYING_AUTHORITIES = Set.of("EPSG", "GEOTIFF");

  private Wkt2() {}

  /**
   * The WKT2 of a geographic or projected CRS's WKT.
   *
   * @throws IllegalArgumentException naming why the CRS cannot be written as standard WKT2
   */
  public static String of(String wkt) {
    Object parsed = parse(wkt);
    if (parsed instanceof ProjectedCRS p) parsed = withEpsgMethod(p);
    else if (!(parsed instanceof GeographicCRS))
      throw new IllegalArgumentException(
          "is not a geographic or projected CRS (" + parsed.getClass().getSimpleName() + ")");
    WKTFormat out = new WKTFormat();
    out.setConvention(Convention.WKT2_2019);
    out.setIndentation(WKTFormat.SINGLE_LINE);
    String text = out.format(parsed);
    refuseOnWarnings(out.getWarnings(), "cannot be written as standard WKT2");
    return text;
  }

  private static Object parse(String wkt) {
    WKTFormat in = new WKTFormat();
    // Strict WKT1: projection parameters in the PROJCS's linear unit (as GDAL/PROJ read them);
    // WKT1_COMMON_UNITS would take a false easting in feet as metres.
    in.setConvention(Convention.WKT1);
    Object parsed;
    try {
      parsed = in.parseObject(wkt.strip());
    } catch (ParseException | RuntimeException e) {
      throw new IllegalArgumentException(
          "is not WKT the WKT2 writer understands (" + oneLine(e.getMessage()) + ")", e);
    }
    refuseOnWarnings(in.getWarnings(), "was read with warnings");
    if (parsed instanceof SingleCRS crs
        && crs.getDatum() instanceof GeodeticDatum datum
        && datum.getPrimeMeridian().getGreenwichLongitude() != 0
        && !Units.DEGREE.equals(datum.getPrimeMeridian().getAngularUnit()))
      // WKT1 writers disagree on whether PRIMEM is in degrees or in the GEOGCS unit (GDAL:
      // degrees).
      throw new IllegalArgumentException(
          "has a prime meridian off Greenwich in "
              + datum.getPrimeMeridian().getAngularUnit()
              + ", which WKT1 writers state in different units");
    return parsed;
  }

  /**
   * The projected CRS with an operation method GDAL/PROJ know: ESRI's polar stereographic methods
   * become EPSG's variant B; any other method must carry an EPSG or GeoTIFF identifier.
   */
  private static ProjectedCRS withEpsgMethod(ProjectedCRS p) {
    Conversion conversion = p.getConversionFromBase();
    OperationMethod method = conversion.getMethod();
    String name = method.getName().getCode();
    if (name.equalsIgnoreCase("Stereographic_North_Pole"))
      return EsriPolarStereographic.toEpsg(p, true);
    if (name.equalsIgnoreCase("Stereographic_South_Pole"))
      return EsriPolarStereographic.toEpsg(p, false);
    for (ReferenceIdentifier id : method.getIdentifiers()) {
      String space = id.getCodeSpace();
      if (space != null && IDENTIFYING_AUTHORITIES.contains(space.toUpperCase(Locale.ROOT)))
        return p;
    }
    throw new IllegalArgumentException(
        "uses the projection method \""
            + name
            + "\", which has no EPSG or GeoTIFF identifier GDAL/PROJ could read in WKT2");
  }

  private static void refuseOnWarnings(Warnings warnings, String what) {
    if (warnings != null)
      throw new IllegalArgumentException(what + ": " + oneLine(warnings.toString(Locale.ROOT)));
  }

  static String oneLine(String s) {
    return s == null ? "" : s.replaceAll("[\\s•]+", " ").strip();
  }
}
