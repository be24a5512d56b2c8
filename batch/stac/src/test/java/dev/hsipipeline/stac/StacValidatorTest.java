package dev.hsipipeline.stac;

import static dev.hsipipeline.stac.Fixtures.JSON;
import static dev.hsipipeline.stac.Fixtures.VALIDATOR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hsipipeline.stac.internal.CatalogDocs;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The offline schemas accept what the pipeline writes and reject each kind of rule violation the
 * STAC 1.0.0 core and the extensions define (every case below is one rule of the spec text).
 */
class StacValidatorTest {
  private final CatalogLayout layout = new CatalogLayout("hsi-data", null);

  private ObjectNode item() {
    return Fixtures.sceneItem(layout, "scene-1", true).build();
  }

  private void assertRejected(String expected, Consumer<ObjectNode> breakIt) {
    ObjectNode doc = item();
    breakIt.accept(doc);
    List<String> errors = VALIDATOR.validate(doc);
    assertTrue(
        errors.stream().anyMatch(e -> e.contains(expected)),
        "expected an error mentioning '" + expected + "', got " + errors);
  }

  @Test
  void acceptsTheDocumentsThePipelineWrites() {
    assertEquals(List.of(), VALIDATOR.validate(item()));
    assertEquals(List.of(), VALIDATOR.validate(Fixtures.sceneItem(layout, "s2", false).build()));
    assertEquals(List.of(), VALIDATOR.validate(Fixtures.productItem(layout, "s", "ndi-860-650")));
    assertEquals(List.of(), VALIDATOR.validate(CatalogDocs.root(JSON, layout)));
    for (StacCollection c : StacCollection.values())
      assertEquals(List.of(), VALIDATOR.validate(CatalogDocs.collection(JSON, layout, c)));
  }

  @Test
  void coreItemRules() {
    assertRejected("bbox", d -> d.putNull("geometry")); // bbox is prohibited without geometry
    assertRejected("bbox", d -> d.remove("bbox")); // and required with one
    assertRejected("datetime", d -> d.withObjectProperty("properties").remove("datetime"));
    assertRejected("start_datetime", d -> d.withObjectProperty("properties").putNull("datetime"));
    assertRejected(
        "datetime", d -> d.withObjectProperty("properties").put("datetime", "15 June 2021"));
    assertRejected("type", d -> d.put("type", "Item"));
    assertRejected("stac_version", d -> d.put("stac_version", "0.9.0"));
    assertRejected("href", d -> ((ObjectNode) d.withArrayProperty("links").get(0)).remove("href"));
    assertRejected(
        "href", d -> d.withObjectProperty("assets").withObjectProperty("cog").remove("href"));
    assertRejected("coordinates", d -> d.withObjectProperty("geometry").put("type", "Polygonal"));
    assertRejected("gsd", d -> d.withObjectProperty("properties").put("gsd", 0));
    assertRejected("collection", d -> d.remove("collection")); // a collection link needs the field
  }

  @Test
  void linkRelationsThisCatalogRequires() {
    for (String rel : List.of("root", "parent", "collection", "self")) {
      ObjectNode doc = item();
      ArrayNode links = doc.withArrayProperty("links");
      for (int i = links.size() - 1; i >= 0; i--)
        if (rel.equals(links.get(i).path("rel").asText())) links.remove(i);
      assertTrue(
          VALIDATOR.validate(doc).stream().anyMatch(e -> e.contains("'" + rel + "'")),
          "missing " + rel + " link not reported");
    }
  }

  @Test
  void extensionsMustBeDeclaredUsedAndKnown() {
    assertRejected(
        "not declared",
        d -> {
          ArrayNode ext = d.withArrayProperty("stac_extensions");
          for (int i = ext.size() - 1; i >= 0; i--)
            if (ext.get(i).asText().equals(Stac.RASTER)) ext.remove(i);
        });
    assertRejected(
        "unknown extension",
        d ->
            d.withArrayProperty("stac_extensions").add("https://example.com/x/v1.0.0/schema.json"));
    ObjectNode nonGeo = Fixtures.sceneItem(layout, "s2", false).build();
    nonGeo.withArrayProperty("stac_extensions").add(Stac.PROJECTION);
    assertTrue(VALIDATOR.validate(nonGeo).stream().anyMatch(e -> e.contains("declared but none")));
  }

  @Test
  void projectionRules() {
    assertRejected("proj:epsg", d -> d.withObjectProperty("properties").remove("proj:epsg"));
    assertRejected(
        "proj:transform",
        d -> d.withObjectProperty("properties").putArray("proj:transform").add(1).add(2));
    assertRejected(
        "proj:shape",
        d -> d.withObjectProperty("properties").putArray("proj:shape").add(1.5).add(2));
    assertRejected(
        "proj:epsg", d -> d.withObjectProperty("properties").put("proj:epsg", "EPSG:32611"));
    assertRejected("proj:wkt2", d -> d.withObjectProperty("properties").put("proj:wkt2", 32611));
    assertRejected("proj:wkt2", d -> d.withObjectProperty("properties").put("proj:wkt2", ""));
  }

  @Test
  void eoRasterFileAndProcessingRules() {
    assertRejected(
        "center_wavelength",
        d ->
            ((ObjectNode) cog(d).withArrayProperty("eo:bands").get(0))
                .put("center_wavelength", -1));
    assertRejected(
        "common_name",
        d ->
            ((ObjectNode) cog(d).withArrayProperty("eo:bands").get(0))
                .put("common_name", "ultraviolet"));
    assertRejected(
        "data_type",
        d ->
            ((ObjectNode) cog(d).withArrayProperty("raster:bands").get(0))
                .put("data_type", "short"));
    assertRejected(
        "nodata",
        d -> ((ObjectNode) cog(d).withArrayProperty("raster:bands").get(0)).put("nodata", "none"));
    assertRejected(
        "raster:bands",
        d ->
            d.withObjectProperty("properties")
                .set("raster:bands", JSON.createArrayNode().addObject()));
    assertRejected("file:size", d -> cog(d).put("file:size", -1));
    assertRejected(
        "file:checksum",
        d ->
            d.withObjectProperty("assets")
                .withObjectProperty("header")
                .put("file:checksum", "sha256:zz"));
    assertRejected(
        "processing:software",
        d ->
            d.withObjectProperty("properties")
                .withObjectProperty("processing:software")
                .put("x", 1));
  }

  @Test
  void collectionAndCatalogRules() {
    ObjectNode c = CatalogDocs.collection(JSON, layout, StacCollection.SCENES);
    c.withObjectProperty("extent").withObjectProperty("spatial").putArray("bbox");
    assertTrue(VALIDATOR.validate(c).stream().anyMatch(e -> e.contains("bbox")), "empty bbox list");
    ObjectNode c2 = CatalogDocs.collection(JSON, layout, StacCollection.SCENES);
    c2.remove("license");
    assertTrue(VALIDATOR.validate(c2).stream().anyMatch(e -> e.contains("license")));
    ObjectNode root = CatalogDocs.root(JSON, layout);
    root.remove("description");
    assertTrue(VALIDATOR.validate(root).stream().anyMatch(e -> e.contains("description")));
  }

  private static ObjectNode cog(ObjectNode item) {
    return item.withObjectProperty("assets").withObjectProperty("cog");
  }
}
