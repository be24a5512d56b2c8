package dev.hsipipeline.hsi.cog.internal;

import dev.hsipipeline.hsi.geo.Crs;
import dev.hsipipeline.hsi.geo.GeoTransform;
import dev.hsipipeline.hsi.geo.Georeferencing;
import java.util.ArrayList;
import java.util.List;

/**
 * GeoTIFF tags as GDAL's GTiff driver writes and reads them: ModelPixelScale + ModelTiepoint for a
 * north-up grid, ModelTransformation otherwise; GeoKeys naming the EPSG code of a projected or
 * geographic CRS, or — for a CRS without a usable EPSG code — GDAL's own fallback for what it
 * cannot map to keys: a user-defined model type with the WKT in the PCS citation as {@code "ESRI PE
 * String = <wkt>"}, which GDAL reads back with {@code importFromWkt}.
 */
final class GeoTags {
  static final int MODEL_PIXEL_SCALE = 33550,
      MODEL_TIEPOINT = 33922,
      MODEL_TRANSFORMATION = 34264,
      GEO_KEY_DIRECTORY = 34735,
      GEO_ASCII_PARAMS = 34737;
  private static final int GT_MODEL_TYPE = 1024,
      GT_RASTER_TYPE = 1025,
      GEOGRAPHIC_TYPE = 2048,
      PROJECTED_CS_TYPE = 3072,
      PCS_CITATION = 3073;
  private static final int MODEL_PROJECTED = 1, MODEL_GEOGRAPHIC = 2, USER_DEFINED = 32767;
  private static final int RASTER_PIXEL_IS_AREA = 1;
  private static final String PE_PREFIX = "ESRI PE String = ";

  /**
   * GDAL 3.6 reads the PCS citation into a 2400-byte buffer (gt_wkt_srs.cpp); a longer WKT would be
   * cut and read back wrong, so it is refused.
   */
  static final int MAX_WKT_CHARS = 2399 - PE_PREFIX.length();

  private GeoTags() {}

  /** Adds the transform and GeoKey tags of {@code g} to the main image's directory. */
  static void add(Ifd ifd, Georeferencing g) {
    GeoTransform t = g.transform();
    if (t.rowRotation() == 0 && t.colRotation() == 0 && t.pixelHeight() < 0) {
      ifd.doubles(MODEL_PIXEL_SCALE, t.pixelWidth(), -t.pixelHeight(), 0);
      ifd.doubles(MODEL_TIEPOINT, 0, 0, 0, t.originX(), t.originY(), 0);
    } else {
      ifd.doubles(
          MODEL_TRANSFORMATION,
          t.pixelWidth(),
          t.rowRotation(),
          0,
          t.originX(),
          t.colRotation(),
          t.pixelHeight(),
          0,
          t.originY(),
          0,
          0,
          0,
          0,
          0,
          0,
          0,
          1);
    }
    keys(ifd, g.crs());
  }

  private static void keys(Ifd ifd, Crs crs) {
    List<long[]> keys = new ArrayList<>(); // {id, location, count, value}
    StringBuilder ascii = new StringBuilder();
    int epsg = crs.epsg();
    if (epsg > 0 && epsg < USER_DEFINED) {
      boolean geographic = crs.isGeographic();
      keys.add(key(GT_MODEL_TYPE, geographic ? MODEL_GEOGRAPHIC : MODEL_PROJECTED));
      keys.add(key(GT_RASTER_TYPE, RASTER_PIXEL_IS_AREA));
      keys.add(key(geographic ? GEOGRAPHIC_TYPE : PROJECTED_CS_TYPE, epsg));
    } else {
      String wkt = crs.wkt().strip().replaceAll("\\s*\\n\\s*", "");
      if (wkt.length() > MAX_WKT_CHARS)
        throw new IllegalArgumentException(
            "the CRS has no EPSG code and its WKT has "
                + wkt.length()
                + " characters; GeoTIFF readers such as GDAL read at most "
                + MAX_WKT_CHARS
                + " characters of a user-defined CRS");
      if (wkt.indexOf('|') >= 0)
        throw new IllegalArgumentException(
            "the CRS WKT contains '|', which GeoTIFF ASCII parameters cannot hold");
      String citation = PE_PREFIX + wkt + "|";
      keys.add(key(GT_MODEL_TYPE, USER_DEFINED));
      keys.add(key(GT_RASTER_TYPE, RASTER_PIXEL_IS_AREA));
      keys.add(new long[] {PCS_CITATION, GEO_ASCII_PARAMS, citation.length(), ascii.length()});
      ascii.append(citation);
    }
    long[] dir = new long[4 + 4 * keys.size()];
    dir[0] = 1; // KeyDirectoryVersion
    dir[1] = 1; // KeyRevision 1.0 (GDAL's GEOTIFF_VERSION=AUTO for a non-vertical CRS)
    dir[2] = 0;
    dir[3] = keys.size();
    for (int i = 0; i < keys.size(); i++) System.arraycopy(keys.get(i), 0, dir, 4 + 4 * i, 4);
    ifd.ints(GEO_KEY_DIRECTORY, Ifd.SHORT, dir);
    if (!ascii.isEmpty()) ifd.ascii(GEO_ASCII_PARAMS, ascii.toString());
  }

  private static long[] key(int id, int value) {
    return new long[] {id, 0, 1, value};
  }
}
