package dev.hsipipeline.stac;

import static dev.hsipipeline.stac.Fixtures.VALIDATOR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hsipipeline.hsi.geo.Crs;
import dev.hsipipeline.hsi.geo.GeoTransform;
import dev.hsipipeline.hsi.geo.Georeferencing;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ItemBuilderTest {
  private final CatalogLayout layout = new CatalogLayout("hsi-data", null);

  @Test
  void georeferencedSceneHasFootprintProjectionAndRelativeLinks() {
    ObjectNode item = Fixtures.sceneItem(layout, "scene-1", true).build();
    assertEquals(List.of(), VALIDATOR.validate(item));
    assertEquals("Polygon", item.at("/geometry/type").asText());
    JsonNode ring = item.at("/geometry/coordinates/0");
    assertEquals(5, ring.size());
    assertEquals(ring.get(0), ring.get(4), "ring is closed");
    assertEquals(-120.0915, item.at("/bbox/0").asDouble(), 1e-9);
    assertEquals(39.1709, item.at("/bbox/3").asDouble(), 1e-9);
    assertEquals(32611, item.at("/properties/proj:epsg").asInt());
    // rasterio/Affine order [a, b, c, d, e, f] = GDAL [gt1, gt2, gt0, gt4, gt5, gt3]
    assertEquals(
        "[15.0,0.0,750000.0,0.0,-15.0,4340000.0]",
        item.at("/properties/proj:transform").toString());
    assertEquals("[480,512]", item.at("/properties/proj:shape").toString());
    assertEquals(
        "[750000.0,4332800.0,757680.0,4340000.0]", item.at("/properties/proj:bbox").toString());
    assertEquals(15.0, item.at("/properties/gsd").asDouble());
    assertEquals(0.45, item.at("/assets/cog/eo:bands/0/center_wavelength").asDouble());
    assertEquals(0.01, item.at("/assets/cog/eo:bands/0/full_width_half_max").asDouble());
    assertEquals("../../../catalog.json", href(item, "root"));
    assertEquals("../collection.json", href(item, "parent"));
    assertEquals("../collection.json", href(item, "collection"));
    assertEquals("s3://hsi-data/stac/scenes/items/scene-1.json", href(item, "self"));
    assertEquals("../../../activated/scene-1/scene.tif", item.at("/assets/cog/href").asText());
    assertEquals(
        "s3://raw-bucket/scenes/scene-1.hdr",
        item.at("/assets/header/href").asText(),
        "another bucket cannot be reached by a relative path");
    assertEquals(
        List.of(Stac.PROJECTION, Stac.EO, Stac.RASTER, Stac.FILE, Stac.PROCESSING),
        strings(item.get("stac_extensions")));
  }

  @Test
  void rotatedGridKeepsItsRotatedCornersAndTransform() {
    double a = Math.toRadians(30);
    Georeferencing rotated =
        new Georeferencing(
            new Crs(32611, "PROJCS[\"WGS 84 / UTM zone 11N\"]"),
            new GeoTransform(
                750000,
                15 * Math.cos(a),
                15 * Math.sin(a),
                4340000,
                15 * Math.sin(a),
                -15 * Math.cos(a)));
    List<double[]> corners =
        List.of(
            new double[] {-120.0, 39.2},
            new double[] {-119.95, 39.23},
            new double[] {-119.9, 39.15},
            new double[] {-119.95, 39.12});
    ObjectNode item =
        new ItemBuilder(Fixtures.JSON, layout, StacCollection.SCENES, "rot")
            .time(AcquisitionTime.resolve(null, "x", java.time.Instant.EPOCH))
            .geometry(ItemGeometry.ofCorners(corners))
            .projection(Projection.of(rotated, 100, 50))
            .build();
    assertEquals(List.of(), VALIDATOR.validate(item));
    // the polygon is the four corners (counter-clockwise), not their envelope
    List<String> ring = new ArrayList<>();
    for (JsonNode p : item.at("/geometry/coordinates/0")) ring.add(p.toString());
    assertEquals(
        List.of(
            "[-119.95,39.12]",
            "[-119.9,39.15]",
            "[-119.95,39.23]",
            "[-120.0,39.2]",
            "[-119.95,39.12]"),
        ring);
    assertEquals(15 * Math.sin(a), item.at("/properties/proj:transform/1").asDouble(), 1e-12);
  }

  @Test
  void sceneWithoutGeoreferencingSaysSoAndCarriesNoGeometry() {
    ObjectNode item = Fixtures.sceneItem(layout, "plain", false).build();
    assertEquals(List.of(), VALIDATOR.validate(item));
    assertTrue(item.get("geometry").isNull());
    assertFalse(item.has("bbox"));
    assertFalse(item.at("/properties/hsi:georeferenced").asBoolean(true));
    assertFalse(item.at("/properties").has("proj:epsg"));
    assertFalse(strings(item.get("stac_extensions")).contains(Stac.PROJECTION));
  }

  /** ESRI WKT1 of a projection as GDAL's ENVI driver writes it, on GRS 1980. */
  static String esriWkt1(String projection, String parameters) {
    return "PROJCS[\"unknown\",GEOGCS[\"GCS_unknown\",DATUM[\"D_Unknown_based_on_GRS80_ellipsoid\","
        + "SPHEROID[\"GRS_1980\",6378137.0,298.257222101]],PRIMEM[\"Greenwich\",0.0],"
        + "UNIT[\"Degree\",0.0174532925199433]],PROJECTION[\""
        + projection
        + "\"],PARAMETER[\"False_Easting\",0.0],PARAMETER[\"False_Northing\",0.0],"
        + "PARAMETER[\"Central_Meridian\",-96.0],PARAMETER[\"Standard_Parallel_1\",29.5],"
        + "PARAMETER[\"Standard_Parallel_2\",45.5],PARAMETER[\"Latitude_Of_Origin\",23.0],"
        + parameters
        + "UNIT[\"Meter\",1.0]]";
  }

  private ObjectNode itemOn(Crs crs) {
    Georeferencing g = new Georeferencing(crs, new GeoTransform(0, 30, 0, 0, 0, -30));
    return new ItemBuilder(Fixtures.JSON, layout, StacCollection.SCENES, "custom")
        .time(AcquisitionTime.resolve(null, "x", java.time.Instant.EPOCH))
        .geometry(ItemGeometry.ofCorners(Fixtures.UTM11_CORNERS))
        .projection(Projection.of(g, 10, 10))
        .build();
  }

  @Test
  void crsWithoutEpsgCodeWritesNullEpsgAndItsWkt2() {
    Crs albers = Crs.ofWkt(esriWkt1("Albers", ""));
    assertEquals(0, albers.epsg());
    ObjectNode item = itemOn(albers);
    assertEquals(List.of(), VALIDATOR.validate(item));
    assertTrue(item.at("/properties/proj:epsg").isNull());
    String wkt2 = item.at("/properties/proj:wkt2").asText();
    assertEquals(albers.wkt2(), wkt2);
    assertTrue(wkt2.startsWith("PROJCRS[") && wkt2.contains("\"Albers Equal Area\""), wkt2);
    assertFalse(item.at("/properties").has("hsi:wkt1"), "proj:wkt2 replaces hsi:wkt1");
    assertTrue(strings(item.get("stac_extensions")).contains(Stac.PROJECTION));
  }

  @Test
  void crsWithAnEpsgCodeWritesOnlyTheCode() {
    ObjectNode item = itemOn(Crs.ofEpsg(32611));
    assertEquals(32611, item.at("/properties/proj:epsg").asInt());
    assertFalse(item.at("/properties").has("proj:wkt2"));
    assertFalse(item.at("/properties").has("hsi:wkt1"));
  }

  @Test
  void crsWithoutStandardWkt2KeepsItsWkt1AndNoProjWkt2() {
    String wkt1 = esriWkt1("Equidistant_Conic", "");
    Crs crs = Crs.ofWkt(wkt1);
    assertThrows(IllegalArgumentException.class, crs::wkt2);
    ObjectNode item = itemOn(crs);
    assertEquals(List.of(), VALIDATOR.validate(item));
    assertTrue(item.at("/properties/proj:epsg").isNull());
    assertFalse(item.at("/properties").has("proj:wkt2"));
    assertEquals(wkt1, item.at("/properties/hsi:wkt1").asText());
  }

  @Test
  void publicBaseUrlMakesSelfAndAssetHrefsAbsolute() {
    CatalogLayout pub = new CatalogLayout("hsi-data", URI.create("https://data.example.org/hsi"));
    ObjectNode item = Fixtures.sceneItem(pub, "scene-1", true).build();
    assertEquals("https://data.example.org/hsi/stac/scenes/items/scene-1.json", href(item, "self"));
    assertEquals(
        "https://data.example.org/hsi/activated/scene-1/scene.tif",
        item.at("/assets/cog/href").asText());
    assertEquals("../../../catalog.json", href(item, "root"), "catalog links stay relative");
  }

  @Test
  void publicBaseUrlComesFromTheJobEnvironmentAndABadOneIsNamed() {
    assertEquals(
        URI.create("https://cdn.example.org/"),
        CatalogLayout.of("b", java.util.Map.of("STAC_PUBLIC_BASE_URL", "https://cdn.example.org"))
            .publicBaseUrl());
    assertEquals(null, CatalogLayout.of("b", java.util.Map.of()).publicBaseUrl());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> CatalogLayout.of("b", java.util.Map.of("STAC_PUBLIC_BASE_URL", "s3://bucket/x")));
    assertTrue(e.getMessage().contains("STAC_PUBLIC_BASE_URL"), e.getMessage());
  }

  @Test
  void productItemLinksTheSceneItDerivesFrom() {
    ObjectNode item = Fixtures.productItem(layout, "scene-1", "ndi-860-650");
    assertEquals("../../scenes/items/scene-1.json", href(item, "derived_from"));
    assertEquals(97.5, item.at("/assets/ndi/raster:bands/0/statistics/valid_percent").asDouble());
    assertEquals("nan", item.at("/assets/ndi/raster:bands/0/nodata").asText());
  }

  @Test
  void badIdsAndExtensionFieldsThroughTheBackDoorAreRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new ItemBuilder(Fixtures.JSON, layout, StacCollection.SCENES, "a/b"));
    ItemBuilder b = new ItemBuilder(Fixtures.JSON, layout, StacCollection.SCENES, "ok");
    assertThrows(
        IllegalArgumentException.class,
        () -> b.property("proj:epsg", Fixtures.JSON.getNodeFactory().numberNode(1)));
  }

  private static String href(JsonNode item, String rel) {
    for (JsonNode l : item.get("links"))
      if (rel.equals(l.get("rel").asText())) return l.get("href").asText();
    return null;
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
