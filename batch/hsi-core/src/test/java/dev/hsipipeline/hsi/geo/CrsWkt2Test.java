package dev.hsipipeline.hsi.geo;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/**
 * {@link Crs#wkt2()} without GDAL: the text is WKT2 (ISO 19162 keywords, EPSG method and parameter
 * names), carries the CRS's parameters and unit, reads back as the same CRS, and a CRS that has no
 * standard WKT2 is refused with the reason. GDAL's verdict on the same texts is in {@code
 * Wkt2GdalTest}.
 */
class CrsWkt2Test {
  static final String GEOGCS_GRS80 =
      "GEOGCS[\"GCS_unknown\",DATUM[\"D_Unknown_based_on_GRS80_ellipsoid\",SPHEROID[\"GRS_1980\","
          + "6378137.0,298.257222101]],PRIMEM[\"Greenwich\",0.0],UNIT[\"Degree\",0.0174532925199433]]";
  static final String GEOGCS_WGS84 =
      "GEOGCS[\"GCS_unknown\",DATUM[\"D_WGS_1984\",SPHEROID[\"WGS_1984\",6378137.0,298.257223563]],"
          + "PRIMEM[\"Greenwich\",0.0],UNIT[\"Degree\",0.0174532925199433]]";

  /** ESRI WKT1 of a custom Albers, as GDAL 3.6's ENVI driver writes it. */
  static final String ESRI_ALBERS =
      "PROJCS[\"unknown\","
          + GEOGCS_GRS80
          + ",PROJECTION[\"Albers\"],PARAMETER[\"False_Easting\",0.0],"
          + "PARAMETER[\"False_Northing\",0.0],PARAMETER[\"Central_Meridian\",-96.0],"
          + "PARAMETER[\"Standard_Parallel_1\",29.5],PARAMETER[\"Standard_Parallel_2\",45.5],"
          + "PARAMETER[\"Latitude_Of_Origin\",23.0],UNIT[\"Meter\",1.0]]";

  static String esri(String geogcs, String projection, String params, String unit) {
    return "PROJCS[\"unknown\","
        + geogcs
        + ",PROJECTION[\""
        + projection
        + "\"],"
        + params
        + ","
        + unit
        + "]";
  }

  @Test
  void esriAlbersBecomesWkt2WithEpsgMethodParametersAndCartesianMetres() {
    String wkt2 = Crs.ofWkt(ESRI_ALBERS).wkt2();
    assertTrue(wkt2.startsWith("PROJCRS[\"unknown\", BASEGEOGCRS["), wkt2);
    assertFalse(wkt2.contains("\n"), "one line: " + wkt2);
    assertTrue(wkt2.contains("METHOD[\"Albers Equal Area\", ID[\"EPSG\", 9822]]"), wkt2);
    assertTrue(wkt2.contains("PARAMETER[\"Latitude of false origin\", 23.0"), wkt2);
    assertTrue(wkt2.contains("PARAMETER[\"Longitude of false origin\", -96.0"), wkt2);
    assertTrue(wkt2.contains("PARAMETER[\"Latitude of 1st standard parallel\", 29.5"), wkt2);
    assertTrue(wkt2.contains("PARAMETER[\"Latitude of 2nd standard parallel\", 45.5"), wkt2);
    assertTrue(wkt2.contains("ELLIPSOID[\"GRS_1980\", 6378137.0, 298.257222101"), wkt2);
    assertTrue(wkt2.contains("CS[Cartesian, 2]"), wkt2);
    assertTrue(wkt2.endsWith("LENGTHUNIT[\"metre\", 1]]"), wkt2);
  }

  @Test
  void theWkt2ReadsBackAsTheSameCrsAndConvertsToItself() {
    Crs custom = Crs.ofWkt(ESRI_ALBERS);
    String wkt2 = custom.wkt2();
    Crs back = Crs.ofWkt(wkt2);
    assertEquals(0, back.epsg());
    assertEquals(wkt2, back.wkt2(), "WKT2 in, the same WKT2 out");
  }

  @Test
  void aLinearUnitOtherThanMetreIsKept() {
    String wkt2 =
        Crs.ofWkt(
                esri(
                    GEOGCS_GRS80,
                    "Transverse_Mercator",
                    "PARAMETER[\"False_Easting\",1640416.667],PARAMETER[\"False_Northing\",0.0],"
                        + "PARAMETER[\"Central_Meridian\",-120.5],PARAMETER[\"Scale_Factor\",0.9999],"
                        + "PARAMETER[\"Latitude_Of_Origin\",31.0]",
                    "UNIT[\"US survey foot\",0.304800609601219]"))
            .wkt2();
    assertTrue(wkt2.contains("METHOD[\"Transverse Mercator\", ID[\"EPSG\", 9807]]"), wkt2);
    assertTrue(
        wkt2.contains("PARAMETER[\"False easting\", 1640416.667, LENGTHUNIT[\"US survey foot\""),
        "a WKT1 parameter is in the PROJCS's unit: " + wkt2);
    assertTrue(wkt2.contains("PARAMETER[\"Scale factor at natural origin\", 0.9999"), wkt2);
    assertTrue(wkt2.endsWith("LENGTHUNIT[\"US survey foot\", 0.3048006096012192]]"), wkt2);
  }

  @Test
  void esriPolarStereographicBecomesEpsgVariantB() {
    String params =
        "PARAMETER[\"False_Easting\",1000.0],PARAMETER[\"False_Northing\",2000.0],"
            + "PARAMETER[\"Central_Meridian\",-45.0],PARAMETER[\"Standard_Parallel_1\",%s]";
    String north =
        Crs.ofWkt(
                esri(
                    GEOGCS_WGS84,
                    "Stereographic_North_Pole",
                    params.formatted("70.0"),
                    "UNIT[\"Meter\",1.0]"))
            .wkt2();
    assertTrue(
        north.contains("METHOD[\"Polar Stereographic (variant B)\", ID[\"EPSG\", 9829]]"), north);
    assertTrue(north.contains("PARAMETER[\"Latitude of standard parallel\", 70.0"), north);
    assertTrue(north.contains("PARAMETER[\"Longitude of origin\", -45.0"), north);
    assertTrue(north.contains("PARAMETER[\"False easting\", 1000.0"), north);
    assertTrue(north.contains("PARAMETER[\"False northing\", 2000.0"), north);
    assertTrue(
        north.contains("AXIS[\"Easting (E)\", south, MERIDIAN[90.0"), "polar axes: " + north);
    assertTrue(north.contains("AXIS[\"Northing (N)\", south, MERIDIAN[180.0"), north);
    String south =
        Crs.ofWkt(
                esri(
                    GEOGCS_WGS84,
                    "Stereographic_South_Pole",
                    params.formatted("-71.0"),
                    "UNIT[\"Meter\",1.0]"))
            .wkt2();
    assertTrue(south.contains("PARAMETER[\"Latitude of standard parallel\", -71.0"), south);
    assertTrue(south.contains("AXIS[\"Easting (E)\", north, MERIDIAN[90.0"), south);
    assertTrue(south.contains("AXIS[\"Northing (N)\", north, MERIDIAN[0.0"), south);
    IllegalArgumentException wrongHemisphere =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Crs.ofWkt(
                        esri(
                            GEOGCS_WGS84,
                            "Stereographic_North_Pole",
                            params.formatted("-70.0"),
                            "UNIT[\"Meter\",1.0]"))
                    .wkt2());
    assertTrue(
        wrongHemisphere.getMessage().contains("Standard_Parallel_1\u2019 = -70"),
        wrongHemisphere.getMessage());
  }

  @Test
  void aGeographicCrsOnAnotherEllipsoidIsGeogcrs() {
    String wkt2 =
        Crs.ofWkt(
                "GEOGCS[\"GCS_unknown\",DATUM[\"D_Unknown_based_on_International_1924_ellipsoid\","
                    + "SPHEROID[\"International_1924\",6378388.0,297.0]],PRIMEM[\"Greenwich\",0.0],"
                    + "UNIT[\"Degree\",0.0174532925199433]]")
            .wkt2();
    assertTrue(wkt2.startsWith("GEOGCRS[\"GCS_unknown\", "), wkt2);
    assertTrue(wkt2.contains("ELLIPSOID[\"International_1924\", 6378388.0, 297.0"), wkt2);
    assertTrue(wkt2.contains("CS[ellipsoidal, 2]"), wkt2);
  }

  @Test
  void aKnownEpsgCrsAlsoHasWkt2() {
    String wkt2 = Crs.ofEpsg(32611).wkt2();
    assertTrue(wkt2.startsWith("PROJCRS[\"WGS 84 / UTM zone 11N\""), wkt2);
    assertTrue(wkt2.contains("PARAMETER[\"Longitude of natural origin\", -117.0"), wkt2);
  }

  @Test
  void aProjectionWithoutStandardWkt2IsRefusedWithItsName() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Crs.ofWkt(
                        esri(
                            GEOGCS_WGS84,
                            "Equidistant_Conic",
                            "PARAMETER[\"False_Easting\",0.0],PARAMETER[\"False_Northing\",0.0],"
                                + "PARAMETER[\"Central_Meridian\",-96.0],"
                                + "PARAMETER[\"Standard_Parallel_1\",20.0],"
                                + "PARAMETER[\"Standard_Parallel_2\",60.0],"
                                + "PARAMETER[\"Latitude_Of_Origin\",40.0]",
                            "UNIT[\"Meter\",1.0]"))
                    .wkt2());
    assertTrue(e.getMessage().startsWith("the CRS "), e.getMessage());
    assertTrue(e.getMessage().contains("Equidistant_Conic"), e.getMessage());
  }

  static String esriLambert(double parallel1, String parallel2) {
    return esri(
        GEOGCS_GRS80,
        "Lambert_Conformal_Conic",
        "PARAMETER[\"False_Easting\",300000.0],PARAMETER[\"False_Northing\",100000.0],"
            + "PARAMETER[\"Central_Meridian\",10.0],PARAMETER[\"Standard_Parallel_1\","
            + parallel1
            + "],"
            + parallel2
            + "PARAMETER[\"Scale_Factor\",0.9997],PARAMETER[\"Latitude_Of_Origin\",40.0]",
        "UNIT[\"Meter\",1.0]");
  }

  @Test
  void esriLambertWithAScaleFactorOnTheOriginParallelIsEpsgOneParallel() {
    for (String parallel2 : new String[] {"", "PARAMETER[\"Standard_Parallel_2\",40.0],"}) {
      String wkt2 = Crs.ofWkt(esriLambert(40, parallel2)).wkt2();
      assertTrue(
          wkt2.contains("METHOD[\"Lambert Conic Conformal (1SP)\", ID[\"EPSG\", 9801]]"), wkt2);
      assertTrue(wkt2.contains("PARAMETER[\"Latitude of natural origin\", 40.0"), wkt2);
      assertTrue(wkt2.contains("PARAMETER[\"Longitude of natural origin\", 10.0"), wkt2);
      assertTrue(wkt2.contains("PARAMETER[\"Scale factor at natural origin\", 0.9997"), wkt2);
      assertTrue(wkt2.contains("PARAMETER[\"False easting\", 300000.0"), wkt2);
      assertTrue(wkt2.contains("PARAMETER[\"False northing\", 100000.0"), wkt2);
    }
  }

  @Test
  void esriLambertWithAScaleFactorOffTheOriginParallelIsRefusedAsAmbiguous() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Crs.ofWkt(esriLambert(41, "")).wkt2());
    assertTrue(
        e.getMessage().contains("\"scale_factor\", which is not an EPSG or GeoTIFF parameter"),
        e.getMessage());
    // As GDAL writes PROJ's "2SP Michigan" (scaled ellipsoid): SIS reads 2SP plus a scale factor
    // that is not a 2SP parameter, which a WKT2 reader would drop.
    IllegalArgumentException michigan =
        assertThrows(
            IllegalArgumentException.class,
            () -> Crs.ofWkt(esriLambert(41, "PARAMETER[\"Standard_Parallel_2\",0.0],")).wkt2());
    assertTrue(
        michigan
            .getMessage()
            .contains("\"scale_factor\", which is not an EPSG or GeoTIFF parameter"),
        michigan.getMessage());
  }
}
