package dev.hsipipeline.stac;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks STAC documents against the STAC 1.0.0 core and extension rules, offline (ADR 0164): the
 * JSON Schemas under {@code dev/hsipipeline/stac/schemas/} (written from the specification text,
 * each under its official {@code $id}), plus what a schema cannot say — every declared extension is
 * one known here and is used, every extension field used is declared, and the links a document of
 * this catalog must have ({@code root}; items also {@code parent}, {@code collection}, {@code
 * self}). Thread-safe; schemas are loaded once per instance.
 */
public final class StacValidator {
  private static final String CORE = "https://schemas.stacspec.org/v1.0.0/";
  private static final Map<String, String> CORE_SCHEMAS =
      Map.of(
          "Feature", CORE + "item-spec/json-schema/item.json",
          "Catalog", CORE + "catalog-spec/json-schema/catalog.json",
          "Collection", CORE + "collection-spec/json-schema/collection.json");

  private final SchemaRegistry registry =
      SchemaRegistry.withDefaultDialect(
          SpecificationVersion.DRAFT_7,
          b ->
              b.schemaIdResolvers(
                  r ->
                      r.mapPrefix(
                              "https://stac-extensions.github.io/",
                              "classpath:dev/hsipipeline/stac/schemas/extensions/")
                          .mapPrefix(CORE, "classpath:dev/hsipipeline/stac/schemas/v1.0.0/")));
  private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

  /** Errors of one document, each naming the JSON location and the rule; empty when valid. */
  public List<String> validate(JsonNode doc) {
    List<String> errors = new ArrayList<>();
    if (doc == null || !doc.isObject()) return List.of("a STAC document is a JSON object");
    String type = doc.path("type").asText("");
    String core = CORE_SCHEMAS.get(type);
    if (core == null)
      return List.of("$.type must be Feature, Catalog or Collection, got " + doc.get("type"));
    run(core, doc, errors);
    Set<String> declared = new LinkedHashSet<>();
    for (JsonNode e : doc.path("stac_extensions")) declared.add(e.asText());
    for (String ext : declared) {
      if (!Stac.EXTENSIONS.contains(ext)) errors.add("$.stac_extensions: unknown extension " + ext);
      else run(ext, doc, errors);
    }
    Set<String> used = new LinkedHashSet<>();
    collectPrefixes(doc.path("properties"), used);
    for (JsonNode a : iterable(doc.path("assets").elements())) collectPrefixes(a, used);
    for (JsonNode l : doc.path("links")) collectPrefixes(l, used);
    for (String ext : used)
      if (!declared.contains(ext))
        errors.add("fields of " + ext + " are used but the extension is not declared");
    for (String ext : declared)
      if (Stac.EXTENSIONS.contains(ext) && !used.contains(ext) && "Feature".equals(type))
        errors.add("extension " + ext + " is declared but none of its fields is used");
    requireLinks(doc, type, errors);
    return errors;
  }

  private void run(String schemaId, JsonNode doc, List<String> errors) {
    Schema schema =
        schemas.computeIfAbsent(schemaId, id -> registry.getSchema(SchemaLocation.of(id)));
    for (com.networknt.schema.Error e : schema.validate(doc))
      errors.add(shortName(schemaId) + ": " + e.getInstanceLocation() + " " + e.getMessage());
  }

  private static void requireLinks(JsonNode doc, String type, List<String> errors) {
    Set<String> rels = new LinkedHashSet<>();
    for (JsonNode l : doc.path("links")) rels.add(l.path("rel").asText());
    List<String> needed =
        "Feature".equals(type)
            ? List.of("root", "parent", "collection", "self")
            : List.of("root", "self");
    for (String rel : needed) if (!rels.contains(rel)) errors.add("$.links: no '" + rel + "' link");
  }

  private static void collectPrefixes(JsonNode object, Set<String> used) {
    if (object == null || !object.isObject()) return;
    for (String field : iterable(object.fieldNames())) {
      for (Map.Entry<String, String> p : Stac.PREFIXES.entrySet())
        if (field.startsWith(p.getKey())) used.add(p.getValue());
    }
  }

  private static String shortName(String schemaId) {
    String s = schemaId.replace("https://stac-extensions.github.io/", "").replace(CORE, "stac ");
    return s.replace("/schema.json", "").replace("/json-schema/", " ");
  }

  private static <T> Iterable<T> iterable(Iterator<T> it) {
    return () -> it;
  }
}
