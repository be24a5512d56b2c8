package dev.hsipipeline.hsi.geo.internal;

import java.util.Map;
import javax.measure.Unit;
import org.apache.sis.referencing.crs.DefaultProjectedCRS;
import org.apache.sis.referencing.cs.CoordinateSystems;
import org.apache.sis.referencing.cs.DefaultCartesianCS;
import org.apache.sis.referencing.cs.DefaultCoordinateSystemAxis;
import org.apache.sis.referencing.operation.DefaultConversion;
import org.apache.sis.referencing.operation.transform.DefaultMathTransformFactory;
import org.opengis.parameter.ParameterValue;
import org.opengis.parameter.ParameterValueGroup;
import org.opengis.referencing.IdentifiedObject;
import org.opengis.referencing.crs.ProjectedCRS;
import org.opengis.referencing.operation.OperationMethod;
import org.opengis.util.FactoryException;

/**
 * ESRI's {@code Stereographic_North_Pole} / {@code Stereographic_South_Pole} (which Apache SIS
 * reads under their ESRI names, unknown to GDAL/PROJ in WKT2) as EPSG's Polar Stereographic
 * (variant B), with the polar axes PROJ gives them when it reads the ESRI WKT: north pole X south
 * along 90°E, Y south along 180°E; south pole X north along 90°E, Y north along 0°E (EPSG's polar
 * Cartesian CSs).
 */
final class EsriPolarStereographic {
  private static final String VARIANT_B = "Polar Stereographic (variant B)";

  /** EPSG's variant B parameters ← the ESRI parameters SIS reads ESRI's polar methods with. */
  private static final Map<String, String> FROM_ESRI =
      Map.of(
          "Latitude of standard parallel", "Standard_Parallel_1",
          "Longitude of origin", "Central_Meridian",
          "False easting", "False_Easting",
          "False northing", "False_Northing");

  private EsriPolarStereographic() {}

  /**
   * The same projection with EPSG's method, parameters and polar axes. SIS has already checked the
   * standard parallel lies in the pole's hemisphere (it refuses the WKT otherwise).
   */
  static ProjectedCRS toEpsg(ProjectedCRS esri, boolean north) {
    try {
      OperationMethod variantB =
          DefaultMathTransformFactory.provider().getOperationMethod(VARIANT_B);
      ParameterValueGroup params = variantB.getParameters().createValue();
      ParameterValueGroup from = esri.getConversionFromBase().getParameterValues();
      for (var p : FROM_ESRI.entrySet()) {
        ParameterValue<?> v = from.parameter(p.getValue());
        params.parameter(p.getKey()).setValue(v.doubleValue(), v.getUnit());
      }
      DefaultConversion conversion =
          new DefaultConversion(
              name(esri.getConversionFromBase().getName().getCode()), variantB, null, params);
      Unit<?> unit = esri.getCoordinateSystem().getAxis(0).getUnit();
      String toward = north ? "South" : "North";
      DefaultCartesianCS cs =
          new DefaultCartesianCS(
              name("Polar stereographic " + (north ? "north" : "south")),
              axis("Easting", "E", toward + " along 90°E", unit),
              axis("Northing", "N", toward + (north ? " along 180°E" : " along 0°E"), unit));
      return new DefaultProjectedCRS(
          name(esri.getName().getCode()), esri.getBaseCRS(), conversion, cs);
    } catch (FactoryException | RuntimeException e) {
      throw new IllegalArgumentException(
          "is a polar stereographic projection that could not be written as "
              + VARIANT_B
              + " ("
              + Wkt2.oneLine(e.getMessage())
              + ")",
          e);
    }
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
