package dev.hsipipeline.hsi.geo.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import javax.measure.Unit;
import org.apache.sis.referencing.IdentifiedObjects;
import org.apache.sis.referencing.crs.DefaultProjectedCRS;
import org.apache.sis.referencing.cs.CoordinateSystems;
import org.apache.sis.referencing.cs.DefaultCartesianCS;
import org.apache.sis.referencing.cs.DefaultCoordinateSystemAxis;
import org.apache.sis.referencing.operation.DefaultConversion;
import org.apache.sis.referencing.operation.transform.DefaultMathTransformFactory;
import org.opengis.parameter.GeneralParameterValue;
import org.opengis.parameter.ParameterValue;
import org.opengis.parameter.ParameterValueGroup;
import org.opengis.referencing.IdentifiedObject;
import org.opengis.referencing.crs.ProjectedCRS;
import org.opengis.referencing.cs.CartesianCS;
import org.opengis.referencing.operation.OperationMethod;
import org.opengis.util.FactoryException;

/**
 * ESRI projections Apache SIS reads in a form GDAL/PROJ do not take back from WKT2, rewritten as
 * the EPSG method PROJ gives them when it reads the ESRI WKT:
 *
 * <ul>
 *   <li>{@code Stereographic_North_Pole} / {@code Stereographic_South_Pole} (SIS keeps the ESRI
 *       names): Polar Stereographic (variant B), with EPSG's polar axes — north pole X south along
 *       90°E, Y south along 180°E; south pole X north along 90°E, Y north along 0°E.
 *   <li>{@code Lambert_Conformal_Conic} with a scale factor and its standard parallel(s) at the
 *       latitude of origin (SIS reads it as 2SP, the second parallel missing): Lambert Conic
 *       Conformal (1SP). With a parallel elsewhere the ESRI text is ambiguous and stays refused.
 * </ul>
 */
final class EsriProjections {
  private static final String POLAR_B = "Polar Stereographic (variant B)";
  private static final String LAMBERT_1SP = "Lambert Conic Conformal (1SP)";
  private static final String LAMBERT_2SP = "Lambert Conic Conformal (2SP)";

  private EsriProjections() {}

  /** The CRS with the EPSG method GDAL/PROJ read; {@code p} itself when it needs no rewrite. */
  static ProjectedCRS toEpsg(ProjectedCRS p) {
    String method = p.getConversionFromBase().getMethod().getName().getCode();
    ParameterValueGroup params = p.getConversionFromBase().getParameterValues();
    if (method.equalsIgnoreCase("Stereographic_North_Pole")) return polarB(p, params, true);
    if (method.equalsIgnoreCase("Stereographic_South_Pole")) return polarB(p, params, false);
    if (method.equalsIgnoreCase(LAMBERT_2SP)) return lambertOneParallel(p, params);
    return p;
  }

  /** SIS has already checked the standard parallel lies in the pole's hemisphere. */
  private static ProjectedCRS polarB(ProjectedCRS p, ParameterValueGroup esri, boolean north) {
    Map<String, ParameterValue<?>> to = new LinkedHashMap<>();
    to.put("Latitude of standard parallel", find(esri, "Standard_Parallel_1"));
    to.put("Longitude of origin", find(esri, "Central_Meridian"));
    to.put("False easting", find(esri, "False_Easting"));
    to.put("False northing", find(esri, "False_Northing"));
    Unit<?> unit = p.getCoordinateSystem().getAxis(0).getUnit();
    String toward = north ? "South" : "North";
    CartesianCS cs =
        new DefaultCartesianCS(
            name("Polar stereographic " + (north ? "north" : "south")),
            axis("Easting", "E", toward + " along 90°E", unit),
            axis("Northing", "N", toward + (north ? " along 180°E" : " along 0°E"), unit));
    return rebuild(p, POLAR_B, to, cs);
  }

  private static ProjectedCRS lambertOneParallel(ProjectedCRS p, ParameterValueGroup lcc) {
    ParameterValue<?> parallel2 = find(lcc, "Latitude of 2nd standard parallel");
    ParameterValue<?> scale = find(lcc, "scale_factor");
    ParameterValue<?> parallel1 = find(lcc, "Latitude of 1st standard parallel");
    ParameterValue<?> origin = find(lcc, "Latitude of false origin");
    if (scale == null || parallel1 == null || origin == null) return p;
    double lat0 = origin.doubleValue();
    boolean oneParallel =
        parallel2 == null || parallel2.getValue() == null || parallel2.doubleValue() == lat0;
    // Otherwise ambiguous (a scale factor on two parallels): the formatter's warning refuses it.
    if (!oneParallel || parallel1.doubleValue() != lat0) return p;
    Map<String, ParameterValue<?>> to = new LinkedHashMap<>();
    to.put("Latitude of natural origin", origin);
    to.put("Longitude of natural origin", find(lcc, "Longitude of false origin"));
    to.put("Scale factor at natural origin", scale);
    to.put("False easting", find(lcc, "Easting at false origin"));
    to.put("False northing", find(lcc, "Northing at false origin"));
    return rebuild(p, LAMBERT_1SP, to, p.getCoordinateSystem());
  }

  private static ProjectedCRS rebuild(
      ProjectedCRS p, String methodName, Map<String, ParameterValue<?>> values, CartesianCS cs) {
    try {
      OperationMethod method =
          DefaultMathTransformFactory.provider().getOperationMethod(methodName);
      ParameterValueGroup params = method.getParameters().createValue();
      for (var e : values.entrySet()) {
        ParameterValue<?> v = e.getValue();
        if (v == null || v.getValue() == null)
          throw new IllegalArgumentException("no value for " + e.getKey());
        if (v.getUnit() == null) params.parameter(e.getKey()).setValue(v.doubleValue());
        else params.parameter(e.getKey()).setValue(v.doubleValue(), v.getUnit());
      }
      DefaultConversion conversion =
          new DefaultConversion(
              name(p.getConversionFromBase().getName().getCode()), method, null, params);
      return new DefaultProjectedCRS(name(p.getName().getCode()), p.getBaseCRS(), conversion, cs);
    } catch (FactoryException | RuntimeException e) {
      throw new IllegalArgumentException(
          "is an ESRI projection that could not be written as "
              + methodName
              + " ("
              + Wkt2.oneLine(e.getMessage())
              + ")",
          e);
    }
  }

  /** The parameter of this name (or alias) in the group, or null. */
  private static ParameterValue<?> find(ParameterValueGroup group, String name) {
    for (GeneralParameterValue v : group.values())
      if (v instanceof ParameterValue<?> pv
          && IdentifiedObjects.isHeuristicMatchForName(v.getDescriptor(), name)) return pv;
    return null;
  }

  private static DefaultCoordinateSystemAxis axis(
      String name, String abbreviation, String direction, Unit<?> unit) {
    return new DefaultCoordinateSystemAxis(
        name(name), abbreviation, CoordinateSystems.parseAxisDirection(direction), unit);
  }

  private static Map<String, String> name(String name) {
    return Map.of(IdentifiedObject.NAME_KEY, name);
  }
}
