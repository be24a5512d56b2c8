package dev.hsipipeline.stac;

import java.util.List;
import java.util.Map;

/**
 * The STAC version and extension schemas every document of the pipeline's catalog uses (ADR 0160):
 * STAC 1.0.0 with projection v1.1.0, eo v1.1.0, raster v1.1.0, file v2.1.0 and processing v1.1.0 —
 * the versions pystac, stac-fastapi, QGIS's STAC plugin and STAC browsers read without migration.
 */
public final class Stac {
  /** The one STAC version written. */
  public static final String VERSION = "1.0.0";

  /** Projection extension ({@code proj:*}). */
  public static final String PROJECTION =
      "https://stac-extensions.github.io/projection/v1.1.0/schema.json";

  /** Electro-optical extension ({@code eo:*}; wavelengths in micrometres). */
  public static final String EO = "https://stac-extensions.github.io/eo/v1.1.0/schema.json";

  /** Raster extension ({@code raster:bands}). */
  public static final String RASTER = "https://stac-extensions.github.io/raster/v1.1.0/schema.json";

  /** File info extension ({@code file:*}). */
  public static final String FILE = "https://stac-extensions.github.io/file/v2.1.0/schema.json";

  /** Processing extension ({@code processing:*}). */
  public static final String PROCESSING =
      "https://stac-extensions.github.io/processing/v1.1.0/schema.json";

  /** Field-name prefix of each extension, for the declared-and-used check. */
  public static final Map<String, String> PREFIXES =
      Map.of(
          "proj:",
          PROJECTION,
          "eo:",
          EO,
          "raster:",
          RASTER,
          "file:",
          FILE,
          "processing:",
          PROCESSING);

  /** Every extension schema this module knows offline. */
  public static final List<String> EXTENSIONS = List.of(PROJECTION, EO, RASTER, FILE, PROCESSING);

  /** Media type of items. */
  public static final String GEOJSON = "application/geo+json";

  /** Media type of catalogs and collections. */
  public static final String JSON = "application/json";

  /** Media type of a Cloud-Optimized GeoTIFF asset. */
  public static final String COG = "image/tiff; application=geotiff; profile=cloud-optimized";

  private Stac() {}
}
