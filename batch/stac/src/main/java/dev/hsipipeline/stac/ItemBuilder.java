package dev.hsipipeline.stac;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Builds one STAC 1.0.0 Item of the pipeline's catalog: geometry and bbox from the footprint,
 * datetime and its source, the projection, eo, raster, file and processing extensions (declared
 * exactly when used), assets with hrefs from the {@link CatalogLayout}, and the {@code root},
 * {@code parent}, {@code collection} and {@code self} links. Deterministic: the same inputs give
 * the same JSON, so a re-run rewrites identical content.
 */
public final class ItemBuilder {
  private final ObjectMapper json;
  private final CatalogLayout layout;
  private final StacCollection collection;
  private final String id;
  private ItemGeometry geometry = ItemGeometry.none();
  private AcquisitionTime time;
  private Projection projection;
  private String title;
  private String description;
  private final Map<String, JsonNode> properties = new LinkedHashMap<>();
  private final List<Asset> assets = new ArrayList<>();
  private final Map<String, String> software = new LinkedHashMap<>();
  private String lineage;
  private String level;
  private final List<String[]> extraLinks = new ArrayList<>();

  /**
   * @param id the item id: 1-128 of {@code A-Za-z0-9._-} (it becomes part of the item's key)
   */
  public ItemBuilder(
      ObjectMapper json, CatalogLayout layout, StacCollection collection, String id) {
    this.json = Objects.requireNonNull(json, "json");
    this.layout = Objects.requireNonNull(layout, "layout");
    this.collection = Objects.requireNonNull(collection, "collection");
    if (id == null || !id.matches("[A-Za-z0-9._-]{1,128}"))
      throw new IllegalArgumentException("item id must be 1-128 of A-Za-z0-9._-, got '" + id + "'");
    this.id = id;
  }

  /** The footprint, or {@link ItemGeometry#none()} for a scene without georeferencing. */
  public ItemBuilder geometry(ItemGeometry g) {
    this.geometry = Objects.requireNonNull(g, "geometry");
    return this;
  }

  /** The acquisition time ({@code datetime}, and its source). Required. */
  public ItemBuilder time(AcquisitionTime t) {
    this.time = Objects.requireNonNull(t, "time");
    return this;
  }

  /** The raster grid's projection, or null when not georeferenced. */
  public ItemBuilder projection(Projection p) {
    this.projection = p;
    return this;
  }

  /** Title and description (either may be null). */
  public ItemBuilder title(String title, String description) {
    this.title = title;
    this.description = description;
    return this;
  }

  /** A further property, e.g. {@code hsi:bands}; extension fields go through their own methods. */
  public ItemBuilder property(String name, JsonNode value) {
    if (Stac.PREFIXES.keySet().stream().anyMatch(name::startsWith))
      throw new IllegalArgumentException(name + " is an extension field; use the builder's method");
    properties.put(name, value);
    return this;
  }

  /** Adds an asset (its key must be unique). */
  public ItemBuilder asset(Asset a) {
    if (assets.stream().anyMatch(x -> x.key().equals(a.key())))
      throw new IllegalArgumentException("duplicate asset key '" + a.key() + "'");
    assets.add(a);
    return this;
  }

  /** {@code processing:software} entry, e.g. {@code "hsi-pipeline activator" → "0.1.0"}. */
  public ItemBuilder software(String name, String version) {
    software.put(name, version);
    return this;
  }

  /** {@code processing:lineage} and {@code processing:level} (either may be null). */
  public ItemBuilder processing(String lineage, String level) {
    this.lineage = lineage;
    this.level = level;
    return this;
  }

  /**
   * The source object versions the item is made from ({@code hsi:sources}), so a later run can see
   * that nothing changed.
   */
  public ItemBuilder sources(List<SourceVersion> sources) {
    properties.put(SourceVersion.PROPERTY, SourceVersion.toJson(json, sources));
    return this;
  }

  /** A link to another item of the catalog, e.g. {@code derived_from} the scene item. */
  public ItemBuilder linkToItem(
      String rel, StacCollection other, String otherId, String linkTitle) {
    extraLinks.add(new String[] {rel, layout.itemKey(other, otherId), linkTitle});
    return this;
  }

  /** The key this item is written to. */
  public String key() {
    return layout.itemKey(collection, id);
  }

  /** The item JSON. */
  public ObjectNode build() {
    if (time == null) throw new IllegalStateException("item " + id + " has no datetime");
    String key = key();
    ObjectNode item = json.createObjectNode();
    item.put("type", "Feature");
    item.put("stac_version", Stac.VERSION);
    ArrayNode ext = item.putArray("stac_extensions");
    item.put("id", id);
    item.put("collection", collection.id());
    if (geometry.isPresent()) {
      ObjectNode g = item.putObject("geometry");
      g.put("type", "Polygon");
      ArrayNode ring = g.putArray("coordinates").addArray();
      for (double[] p : geometry.ring()) ring.addArray().add(deg(p[0])).add(deg(p[1]));
      ArrayNode bbox = item.putArray("bbox");
      for (double v : geometry.bbox()) bbox.add(deg(v));
    } else {
      item.putNull("geometry");
    }

    ObjectNode props = item.putObject("properties");
    if (title != null) props.put("title", title);
    if (description != null) props.put("description", description);
    props.put("datetime", time.datetime().toString());
    if (time.start() != null) {
      props.put("start_datetime", time.start().toString());
      props.put("end_datetime", time.end().toString());
    }
    props.put("hsi:datetime_source", time.source().label());
    if (time.evidence() != null) props.put("hsi:datetime_evidence", time.evidence());
    props.put("hsi:georeferenced", geometry.isPresent());
    Set<String> used = new LinkedHashSet<>();
    if (projection != null) {
      used.add(Stac.PROJECTION);
      if (projection.epsg() != null) props.put("proj:epsg", projection.epsg());
      else {
        props.putNull("proj:epsg");
        if (projection.wkt2() != null) props.put("proj:wkt2", projection.wkt2());
        else props.put("hsi:wkt1", projection.wkt1());
      }
      props.putArray("proj:shape").add(projection.rows()).add(projection.columns());
      ArrayNode t = props.putArray("proj:transform");
      for (double v : projection.stacTransform()) t.add(v);
      ArrayNode b = props.putArray("proj:bbox");
      for (double v : projection.bbox()) b.add(v);
      if (projection.epsg() != null && projection.epsg() != 4326 && projection.pixelSize() > 0)
        props.put("gsd", projection.pixelSize());
    }
    if (!software.isEmpty() || lineage != null || level != null) {
      used.add(Stac.PROCESSING);
      if (level != null) props.put("processing:level", level);
      if (lineage != null) props.put("processing:lineage", lineage);
      if (!software.isEmpty()) {
        ObjectNode sw = props.putObject("processing:software");
        software.forEach(sw::put);
      }
    }
    properties.forEach(props::set);

    ArrayNode links = item.putArray("links");
    link(links, "root", CatalogLayout.relative(key, CatalogLayout.ROOT_KEY), Stac.JSON, null);
    String coll = layout.collectionKey(collection);
    link(links, "parent", CatalogLayout.relative(key, coll), Stac.JSON, collection.title());
    link(links, "collection", CatalogLayout.relative(key, coll), Stac.JSON, collection.title());
    link(links, "self", layout.absolute(key), Stac.GEOJSON, null);
    for (String[] l : extraLinks)
      link(links, l[0], CatalogLayout.relative(key, l[1]), Stac.GEOJSON, l[2]);

    ObjectNode assetsNode = item.putObject("assets");
    for (Asset a : assets) assetsNode.set(a.key(), asset(a, key, used));
    for (String e : Stac.EXTENSIONS) if (used.contains(e)) ext.add(e);
    return item;
  }

  private ObjectNode asset(Asset a, String itemKey, Set<String> used) {
    ObjectNode n = json.createObjectNode();
    n.put("href", layout.assetHref(itemKey, a.object()));
    if (a.mediaType() != null) n.put("type", a.mediaType());
    if (a.title() != null) n.put("title", a.title());
    ArrayNode roles = n.putArray("roles");
    a.roles().forEach(roles::add);
    if (a.size() >= 0) {
      used.add(Stac.FILE);
      n.put("file:size", a.size());
    }
    if (a.checksum() != null) {
      used.add(Stac.FILE);
      n.put("file:checksum", a.checksum());
    }
    if (a.shape() != null) {
      used.add(Stac.PROJECTION);
      n.putArray("proj:shape").add(a.shape()[0]).add(a.shape()[1]);
    }
    if (!a.eoBands().isEmpty()) {
      used.add(Stac.EO);
      ArrayNode bands = n.putArray("eo:bands");
      for (EoBand b : a.eoBands()) {
        ObjectNode o = bands.addObject();
        o.put("name", b.name());
        if (Double.isFinite(b.centerWavelengthUm()) && b.centerWavelengthUm() > 0)
          o.put("center_wavelength", micrometres(b.centerWavelengthUm()));
        if (Double.isFinite(b.fwhmUm()) && b.fwhmUm() > 0)
          o.put("full_width_half_max", micrometres(b.fwhmUm()));
      }
    }
    if (!a.rasterBands().isEmpty()) {
      used.add(Stac.RASTER);
      ArrayNode bands = n.putArray("raster:bands");
      for (RasterBand b : a.rasterBands()) bands.add(rasterBand(b));
    }
    return n;
  }

  private ObjectNode rasterBand(RasterBand b) {
    ObjectNode o = json.createObjectNode();
    o.put("data_type", b.dataType());
    if (b.nodata() != null) {
      double v = b.nodata();
      if (Double.isNaN(v)) o.put("nodata", "nan");
      else if (v == Double.POSITIVE_INFINITY) o.put("nodata", "inf");
      else if (v == Double.NEGATIVE_INFINITY) o.put("nodata", "-inf");
      else o.put("nodata", v);
    }
    o.put("sampling", "area");
    if (b.unit() != null) o.put("unit", b.unit());
    if (Double.isFinite(b.spatialResolution()) && b.spatialResolution() > 0)
      o.put("spatial_resolution", b.spatialResolution());
    RasterBand.Statistics s = b.statistics();
    if (s != null) {
      ObjectNode st = o.putObject("statistics");
      finite(st, "minimum", s.minimum());
      finite(st, "maximum", s.maximum());
      finite(st, "mean", s.mean());
      finite(st, "stddev", s.stddev());
      finite(st, "valid_percent", s.validPercent());
      if (st.isEmpty()) o.remove("statistics");
    }
    return o;
  }

  private static void finite(ObjectNode o, String field, double v) {
    if (Double.isFinite(v)) o.put(field, v);
  }

  private static void link(ArrayNode links, String rel, String href, String type, String title) {
    ObjectNode l = links.addObject();
    l.put("rel", rel);
    l.put("href", href);
    l.put("type", type);
    if (title != null) l.put("title", title);
  }

  /** Degrees to 9 decimals (≈ 0.1 mm): stable text across platforms, no 1e-15 noise. */
  private static double deg(double v) {
    return BigDecimal.valueOf(v).setScale(9, RoundingMode.HALF_EVEN).doubleValue();
  }

  /** Micrometres to 6 decimals (picometre), as ADR 0042 wrote them. */
  private static double micrometres(double um) {
    return BigDecimal.valueOf(um).setScale(6, RoundingMode.HALF_EVEN).doubleValue();
  }
}
