package dev.hsipipeline.hsi.geo.internal;

import java.text.ParseException;
import java.util.Locale;
import java.util.Set;
import org.apache.sis.io.wkt.Convention;
import org.apache.sis.io.wkt.WKTFormat;
import org.apache.sis.io.wkt.Warnings;
import org.apache.sis.measure.Units;
import org.opengis.parameter.GeneralParameterValue;
import org.opengis.referencing.IdentifiedObject;
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
 * <p>ESRI projections SIS reads in a form GDAL/PROJ do not take back (polar stereographic, Lambert
 * with one standard parallel) are rewritten as the EPSG method PROJ gives them ({@link
 * EsriProjections}). A CRS is refused, with the reason, rather than written as WKT2 that GDAL would
 * read as another CRS: when SIS does not know its projection, when the method it lands on has no
 * EPSG or GeoTIFF identifier (a name only SIS knows), or when SIS warns that the text departs from
 * the standard, or when a parameter is not one of the method's (e.g. ESRI's Lambert_Conformal_Conic
 * with a scale factor and a standard parallel off the latitude of origin, which SIS reads as 2SP
 * with a borrowed scale factor).
 */
public final class Wkt2 {

  private static final Set<String> IDENTIFYING_AUTHORITIES = Set.of("EPSG", "GEOTIFF");

  /** SIS's copies of the ellipsoid's axes in the conversion; WKT2 states them in ELLIPSOID. */
  private static final Set<String> ELLIPSOID_PARAMETERS = Set.of("semi_major", "semi_minor");

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
  private static ProjectedCRS withEpsgMethod(ProjectedCRS esri) {
    ProjectedCRS p = EsriProjections.toEpsg(esri);
    Conversion conversion = p.getConversionFromBase();
    OperationMethod method = conversion.getMethod();
    String name = method.getName().getCode();
    for (GeneralParameterValue v : conversion.getParameterValues().values()) {
      // SIS keeps e.g. an ESRI Scale_Factor on a 2SP Lambert as a borrowed, unidentified
      // parameter, which GDAL/PROJ would not apply: the WKT2 would be another CRS.
      String param = v.getDescriptor().getName().getCode();
      if (!ELLIPSOID_PARAMETERS.contains(param) && !identified(v.getDescriptor()))
        throw new IllegalArgumentException(
            "has the parameter \""
                + param
                + "\", which is not an EPSG or GeoTIFF parameter of "
                + name
                + ", so no reader would apply it in WKT2");
    }
    if (identified(method)) return p;
    throw new IllegalArgumentException(
        "uses the projection method \""
            + name
            + "\", which has no EPSG or GeoTIFF identifier GDAL/PROJ could read in WKT2");
  }

  private static boolean identified(IdentifiedObject o) {
    for (ReferenceIdentifier id : o.getIdentifiers()) {
      String space = id.getCodeSpace();
      if (space != null && IDENTIFYING_AUTHORITIES.contains(space.toUpperCase(Locale.ROOT)))
        return true;
    }
    return false;
  }

  private static void refuseOnWarnings(Warnings warnings, String what) {
    if (warnings != null)
      throw new IllegalArgumentException(what + ": " + oneLine(warnings.toString(Locale.ROOT)));
  }

  static String oneLine(String s) {
    return s == null ? "" : s.replaceAll("[\\s•]+", " ").strip();
  }
}
