package dev.hsipipeline.stac.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hsipipeline.stac.CatalogLayout;
import dev.hsipipeline.stac.Stac;
import dev.hsipipeline.stac.StacCollection;
import java.time.Instant;

/**
 * The root catalog and collection documents, and how a collection takes in an item: an {@code item}
 * link, and its spatial and temporal extent grown to cover the item (pure functions; the
 * conditional-write loop is in {@code CatalogWriter}).
 */
public final class CatalogDocs {
  /** Collection field counting the georeferenced items folded into the spatial extent. */
  static final String GEOREFERENCED_ITEMS = "hsi:georeferenced_items";

  private CatalogDocs() {}

  /** The root catalog: one child link per collection. */
  public static ObjectNode root(ObjectMapper json, CatalogLayout layout) {
    ObjectNode c = json.createObjectNode();
    c.put("type", "Catalog");
    c.put("stac_version", Stac.VERSION);
    c.putArray("stac_extensions");
    c.put("id", CatalogLayout.ROOT_ID);
    c.put("title", "HSI pipeline catalog");
    c.put(
        "description",
        "Activated hyperspectral scenes and their products, written by the HSI pipeline's jobs.");
    ArrayNode links = c.putArray("links");
    link(links, "root", "./" + CatalogLayout.ROOT_KEY, Stac.JSON, null);
    link(links, "self", layout.absolute(CatalogLayout.ROOT_KEY), Stac.JSON, null);
    for (StacCollection sc : StacCollection.values())
      link(
          links,
          "child",
          CatalogLayout.relative(CatalogLayout.ROOT_KEY, layout.collectionKey(sc)),
          Stac.JSON,
          sc.title());
    return c;
  }

  /**
   * An empty collection: world bbox and an open interval until the first item arrives ({@code
   * hsi:georeferenced_items: 0} says the bbox is not yet from an item).
   */
  public static ObjectNode collection(ObjectMapper json, CatalogLayout layout, StacCollection sc) {
    String key = layout.collectionKey(sc);
    ObjectNode c = json.createObjectNode();
    c.put("type", "Collection");
    c.put("stac_version", Stac.VERSION);
    c.putArray("stac_extensions");
    c.put("id", sc.id());
    c.put("title", sc.title());
    c.put("description", sc.description());
    c.putArray("keywords").add("hyperspectral").add("imaging spectroscopy").add("ENVI").add("COG");
    c.put("license", "proprietary");
    ObjectNode provider = c.putArray("providers").addObject();
    provider.put("name", "HSI pipeline");
    provider.putArray("roles").add("processor").add("host");
    ObjectNode extent = c.putObject("extent");
    extent.putObject("spatial").putArray("bbox").addArray().add(-180).add(-90).add(180).add(90);
    extent.putObject("temporal").putArray("interval").addArray().addNull().addNull();
    c.put(GEOREFERENCED_ITEMS, 0);
    ArrayNode links = c.putArray("links");
    String root = CatalogLayout.relative(key, CatalogLayout.ROOT_KEY);
    link(links, "root", root, Stac.JSON, null);
    link(links, "parent", root, Stac.JSON, null);
    link(links, "self", layout.absolute(key), Stac.JSON, null);
    return c;
  }

  /**
   * Takes an item into a collection document (modified in place).
   *
   * @param itemHref the item's href relative to the collection
   * @return true when the collection changed (a write is needed)
   */
  public static boolean addItem(ObjectNode collection, JsonNode item, String itemHref) {
    boolean changed = false;
    ArrayNode links = collection.withArrayProperty("links");
    boolean linked = false;
    for (JsonNode l : links)
      if ("item".equals(l.path("rel").asText()) && itemHref.equals(l.path("href").asText()))
        linked = true;
    if (!linked) {
      link(
          links,
          "item",
          itemHref,
          Stac.GEOJSON,
          item.path("properties").path("title").asText(null));
      changed = true;
    }

    ObjectNode extent = collection.withObjectProperty("extent");
    JsonNode bbox = item.get("bbox");
    if (bbox != null && bbox.isArray() && bbox.size() == 4) {
      ArrayNode spatial = extent.withObjectProperty("spatial").withArrayProperty("bbox");
      int georeferenced = collection.path(GEOREFERENCED_ITEMS).asInt(0);
      ArrayNode first = spatial.isEmpty() ? spatial.addArray() : (ArrayNode) spatial.get(0);
      if (georeferenced == 0) {
        first.removeAll();
        for (JsonNode v : bbox) first.add(v.asDouble());
        collection.put(GEOREFERENCED_ITEMS, 1);
        changed = true;
      } else {
        double[] u = {
          Math.min(first.get(0).asDouble(), bbox.get(0).asDouble()),
          Math.min(first.get(1).asDouble(), bbox.get(1).asDouble()),
          Math.max(first.get(2).asDouble(), bbox.get(2).asDouble()),
          Math.max(first.get(3).asDouble(), bbox.get(3).asDouble())
        };
        for (int i = 0; i < 4; i++) {
          if (u[i] != first.get(i).asDouble()) {
            first.set(i, u[i]);
            changed = true;
          }
        }
        if (!linked) {
          collection.put(GEOREFERENCED_ITEMS, georeferenced + 1);
          changed = true;
        }
      }
    }

    JsonNode props = item.path("properties");
    Instant start = instant(props.path("start_datetime"), props.path("datetime"));
    Instant end = instant(props.path("end_datetime"), props.path("datetime"));
    if (start != null && end != null) {
      ArrayNode intervals = extent.withObjectProperty("temporal").withArrayProperty("interval");
      ArrayNode first = intervals.isEmpty() ? intervals.addArray() : (ArrayNode) intervals.get(0);
      while (first.size() < 2) first.addNull();
      Instant curStart = instant(first.get(0), null);
      Instant curEnd = instant(first.get(1), null);
      boolean empty = curStart == null && curEnd == null;
      if (empty || (curStart != null && start.isBefore(curStart))) {
        first.set(0, start.toString());
        changed = true;
      }
      if (empty || (curEnd != null && end.isAfter(curEnd))) {
        first.set(1, end.toString());
        changed = true;
      }
    }
    return changed;
  }

  private static Instant instant(JsonNode preferred, JsonNode fallback) {
    JsonNode n = preferred != null && preferred.isTextual() ? preferred : fallback;
    if (n == null || !n.isTextual()) return null;
    try {
      return Instant.parse(n.asText());
    } catch (java.time.format.DateTimeParseException e) {
      return null;
    }
  }

  static void link(ArrayNode links, String rel, String href, String type, String title) {
    ObjectNode l = links.addObject();
    l.put("rel", rel);
    l.put("href", href);
    l.put("type", type);
    if (title != null) l.put("title", title);
  }
}
