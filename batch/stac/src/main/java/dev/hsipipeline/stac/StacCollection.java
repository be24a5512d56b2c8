package dev.hsipipeline.stac;

/**
 * The two collections of the pipeline's catalog, their ids and where they live under the data
 * bucket's root (ADR 0160).
 */
public enum StacCollection {
  /** Activated scenes: one item per ENVI scene, its COG and source files as assets. */
  SCENES(
      "hsi-scenes",
      "stac/scenes",
      "Activated hyperspectral scenes",
      "ENVI hyperspectral scenes validated by the activator and written as Cloud-Optimized GeoTIFFs"
          + " (all bands, exact pixels, nodata, wavelengths)."),
  /** Processor products: one item per scene and parameter set (statistics, NDI, quicklook). */
  PRODUCTS(
      "hsi-products",
      "stac/products",
      "Products of hyperspectral scenes",
      "Per-band statistics, normalized-difference indices and RGB quicklooks computed by the"
          + " processor from activated scenes; one item per scene and parameter set.");

  private final String id;
  private final String dir;
  private final String title;
  private final String description;

  StacCollection(String id, String dir, String title, String description) {
    this.id = id;
    this.dir = dir;
    this.title = title;
    this.description = description;
  }

  /** The collection id ({@code collection} field of its items). */
  public String id() {
    return id;
  }

  /** Its directory under the catalog root, e.g. {@code stac/scenes}. */
  public String dir() {
    return dir;
  }

  /** Human title. */
  public String title() {
    return title;
  }

  /** Description (required by STAC). */
  public String description() {
    return description;
  }

  /** The collection whose id this is, or null. */
  public static StacCollection byId(String id) {
    for (StacCollection c : values()) if (c.id.equals(id)) return c;
    return null;
  }
}
