package dev.hsipipeline.stac;

import dev.hsipipeline.job.S3Uri;
import java.util.List;
import java.util.Objects;

/**
 * One asset of an item: where the object is and what it holds.
 *
 * @param key the asset's key in the item's {@code assets} map
 * @param object the object's S3 address (the href is derived from it by {@link CatalogLayout})
 * @param mediaType media type, e.g. {@link Stac#COG}
 * @param title human title
 * @param roles asset roles ({@code data}, {@code metadata}, {@code thumbnail}, {@code overview}…)
 * @param size object size in bytes ({@code file:size}), or -1 when unknown
 * @param checksum hex multihash ({@code file:checksum}, e.g. {@code 1220…} for SHA2-256), or null
 * @param eoBands {@code eo:bands}, empty for none
 * @param rasterBands {@code raster:bands}, empty for none
 * @param shape {@code proj:shape} override when the asset's grid differs from the item's, or null
 */
public record Asset(
    String key,
    S3Uri object,
    String mediaType,
    String title,
    List<String> roles,
    long size,
    String checksum,
    List<EoBand> eoBands,
    List<RasterBand> rasterBands,
    int[] shape) {

  /** Validates and copies. */
  public Asset {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(object, "object");
    if (!key.matches("[A-Za-z0-9_.-]{1,64}"))
      throw new IllegalArgumentException(
          "asset key must be 1-64 of A-Za-z0-9_.-, got '" + key + "'");
    roles = List.copyOf(roles == null ? List.of() : roles);
    eoBands = List.copyOf(eoBands == null ? List.of() : eoBands);
    rasterBands = List.copyOf(rasterBands == null ? List.of() : rasterBands);
    if (checksum != null && !checksum.matches("[0-9a-f]{4,}"))
      throw new IllegalArgumentException("file:checksum must be a lower-case hex multihash");
  }

  /** A plain asset: key, object, type, title, one role. */
  public static Asset of(String key, S3Uri object, String mediaType, String title, String role) {
    return new Asset(key, object, mediaType, title, List.of(role), -1, null, null, null, null);
  }

  /** With {@code file:size} and {@code file:checksum} (checksum may be null). */
  public Asset withFile(long size, String checksum) {
    return new Asset(
        key, object, mediaType, title, roles, size, checksum, eoBands, rasterBands, shape);
  }

  /** With {@code eo:bands}. */
  public Asset withEoBands(List<EoBand> bands) {
    return new Asset(
        key, object, mediaType, title, roles, size, checksum, bands, rasterBands, shape);
  }

  /** With {@code raster:bands}. */
  public Asset withRasterBands(List<RasterBand> bands) {
    return new Asset(key, object, mediaType, title, roles, size, checksum, eoBands, bands, shape);
  }

  /** With a {@code proj:shape} of its own ({@code [rows, columns]}). */
  public Asset withShape(int rows, int columns) {
    return new Asset(
        key,
        object,
        mediaType,
        title,
        roles,
        size,
        checksum,
        eoBands,
        rasterBands,
        new int[] {rows, columns});
  }

  /** The SHA2-256 multihash of some bytes, as {@code file:checksum} wants it. */
  public static String sha256Multihash(byte[] content) {
    try {
      byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(content);
      return "1220" + java.util.HexFormat.of().formatHex(d);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
