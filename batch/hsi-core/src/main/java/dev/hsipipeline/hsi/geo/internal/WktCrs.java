package dev.hsipipeline.hsi.geo.internal;

import dev.hsipipeline.hsi.geo.Crs;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import mil.nga.crs.CRS;
import mil.nga.crs.CommonCRS;
import mil.nga.crs.common.Identifier;
import mil.nga.crs.common.Unit;
import mil.nga.crs.geo.GeoCoordinateReferenceSystem;
import mil.nga.crs.geo.GeoDatum;
import mil.nga.crs.operation.OperationMethod;
import mil.nga.crs.operation.OperationMethods;
import mil.nga.crs.operation.OperationParameter;
import mil.nga.crs.projected.ProjectedCoordinateReferenceSystem;
import mil.nga.crs.wkt.CRSReader;

/**
 * A WKT text (OGC WKT1, ESRI WKT1 as GDAL writes in ENVI headers, or WKT2) → {@link Crs}, with the
 * EPSG code where it is identifiable: an explicit EPSG authority on the CRS, or geographic / UTM on
 * a known {@link Datum} recognised from its definition (names, ellipsoid, parameters, units).
 */
public final class WktCrs {
  private static final double DEGREE = Math.PI / 180;
  private static final java.util.Set<String> EARTH_CRS =
      java.util.Set.of(
          "GEOGCS",
          "PROJCS",
          "GEOGCRS",
          "GEODCRS",
          "PROJCRS",
          "GEOGRAPHICCRS",
          "GEODETICCRS",
          "PROJECTEDCRS");

  private WktCrs() {}

  /**
   * Parses and identifies.
   *
   * @throws IllegalArgumentException naming the problem when the text is not WKT, or not a
   *     geographic or projected CRS
   */
  public static Crs parse(String wkt) {
    // One line: a WKT continued over header lines is the same WKT.
    String text = wkt.strip().replaceAll("\\s*\\R\\s*", "");
    if (text.isEmpty()) throw new IllegalArgumentException("is empty");
    String keyword = text.split("[\\[(]", 2)[0].strip().toUpperCase(Locale.ROOT);
    if (!EARTH_CRS.contains(keyword))
      throw new IllegalArgumentException(
          "is a "
              + keyword
              + "; only geographic and projected CRSs (GEOGCS, PROJCS, GEOGCRS, GEODCRS,"
              + " PROJCRS) place a raster on the Earth");
    CRS parsed;
    try {
      parsed = CRSReader.read(text, true);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("is not valid WKT (" + e.getMessage() + ")", e);
    }
    if (!(parsed instanceof GeoCoordinateReferenceSystem)
        && !(parsed instanceof ProjectedCoordinateReferenceSystem)) {
      throw new IllegalArgumentException(
          "is a "
              + parsed.getType()
              + " coordinate system; only geographic and projected CRSs place a raster on the"
              + " Earth");
    }
    Optional<Integer> authority = epsgAuthority(parsed);
    if (authority.isPresent()) {
      Optional<KnownCrs> known = KnownCrs.ofEpsg(authority.get());
      return known.map(KnownCrs::toCrs).orElseGet(() -> new Crs(authority.get(), text));
    }
    return identify(parsed).map(KnownCrs::toCrs).orElseGet(() -> new Crs(0, text));
  }

  /** The linear unit of a projected CRS in metres (1 for a geographic one or when unstated). */
  public static double linearUnitMetres(String wkt) {
    try {
      if (CRSReader.read(wkt.strip(), true) instanceof ProjectedCoordinateReferenceSystem p)
        return linearUnit(p);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("is not valid WKT (" + e.getMessage() + ")", e);
    }
    return 1;
  }

  private static Optional<Integer> epsgAuthority(CRS crs) {
    if (!(crs instanceof CommonCRS c) || !c.hasIdentifiers()) return Optional.empty();
    for (Identifier id : c.getIdentifiers()) {
      if ("EPSG".equalsIgnoreCase(id.getName())) {
        try {
          return Optional.of(Integer.parseInt(id.getUniqueIdentifier().trim()));
        } catch (NumberFormatException e) {
          return Optional.empty();
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<KnownCrs> identify(CRS crs) {
    if (crs instanceof GeoCoordinateReferenceSystem geo) {
      return datumOf(geo.getGeoDatum(), geo.getCoordinateSystem().getUnit())
          .map(KnownCrs::geographic);
    }
    ProjectedCoordinateReferenceSystem p = (ProjectedCoordinateReferenceSystem) crs;
    Optional<Datum> datum = datumOf(p.getGeoDatum(), null);
    OperationMethod m = p.getMapProjection().getMethod();
    if (datum.isEmpty()
        || !m.hasMethod()
        || m.getMethod() != OperationMethods.TRANSVERSE_MERCATOR
        || linearUnit(p) != 1.0) return Optional.empty();
    // By name: the WKT reader's mapping of WKT1 names to EPSG parameters is ambiguous
    // (false_easting can come back as "easting at projection centre").
    Double lat0 = param(m, "latitudeoforigin", "latitudeofnaturalorigin");
    Double lon0 = param(m, "centralmeridian", "longitudeofnaturalorigin", "longitudeoforigin");
    Double k = param(m, "scalefactor", "scalefactoratnaturalorigin");
    Double fe = param(m, "falseeasting");
    Double fn = param(m, "falsenorthing");
    if (lat0 == null || lon0 == null || k == null || fe == null || fn == null) {
      return Optional.empty();
    }
    if (!KnownCrs.isUtm(lat0, lon0, k, fe, fn)) return Optional.empty();
    return Optional.of(KnownCrs.utm(datum.get(), KnownCrs.utmZone(lon0), fn == 0));
  }

  /** The known datum, if the name and the ellipsoid agree and the prime meridian is Greenwich. */
  private static Optional<Datum> datumOf(GeoDatum datum, Unit angularUnit) {
    if (datum == null) return Optional.empty();
    Optional<Datum> named = Datum.ofWktName(datum.getName());
    if (named.isEmpty()) return Optional.empty();
    Datum d = named.get();
    if (Math.abs(datum.getEllipsoid().getSemiMajorAxis() - d.semiMajor) > 1e-3
        || Math.abs(datum.getEllipsoid().getInverseFlattening() - d.inverseFlattening) > 1e-6) {
      return Optional.empty();
    }
    if (datum.hasPrimeMeridian() && datum.getPrimeMeridian().getLongitude() != 0) {
      return Optional.empty();
    }
    if (angularUnit != null
        && (!angularUnit.hasConversionFactor()
            || Math.abs(angularUnit.getConversionFactor() - DEGREE) > 1e-12)) {
      return Optional.empty();
    }
    return named;
  }

  /** The projected CRS's linear unit in metres (its coordinate system's unit; 1 if unstated). */
  private static double linearUnit(ProjectedCoordinateReferenceSystem p) {
    Unit unit = p.getCoordinateSystem() == null ? null : p.getCoordinateSystem().getUnit();
    return unit == null || !unit.hasConversionFactor() ? 1.0 : unit.getConversionFactor();
  }

  /** The value of the one parameter with one of these names (lowercase, letters only), or null. */
  private static Double param(OperationMethod m, String... names) {
    List<OperationParameter> params = m.hasParameters() ? m.getParameters() : List.of();
    Double found = null;
    for (OperationParameter p : params) {
      String n = p.getName().toLowerCase(Locale.ROOT).replaceAll("[^a-z]", "");
      if (!List.of(names).contains(n)) continue;
      if (found != null) return null; // named twice: not a plain Transverse Mercator
      found = p.getValue();
    }
    return found;
  }
}
