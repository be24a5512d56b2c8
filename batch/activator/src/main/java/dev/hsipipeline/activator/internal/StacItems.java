package dev.hsipipeline.activator.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hsipipeline.hsi.EnviHeader;
import dev.hsipipeline.hsi.cog.CogResult;
import dev.hsipipeline.job.S3Store;
import dev.hsipipeline.job.S3Uri;
import dev.hsipipeline.scenes.S3PartStore;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;

/** STAC 1.0 Items for ENVI scenes (EO extension band list on the data asset). */
public final class StacItems {
  /** STAC version written. */
  public static final String STAC_VERSION = "1.0.0";

  /** EO extension schema. */
  public static final String EO_EXTENSION =
      "https://stac-extensions.github.io/eo/v1.1.0/schema.json";

  private StacItems() {}

  /**
   * A stable id: the file name (safe characters) plus 8 hex digits of the header URI's SHA-256, so
   * equal names under different prefixes do not collide and re-runs hit the same key.
   */
  public static String itemId(S3Uri header) {
    String name =
        header.fileName().replaceFirst("(?i)\\.hdr$", "").replaceAll("[^A-Za-z0-9._-]", "_");
    if (name.isEmpty()) name = "scene";
    if (name.length() > 80) name = name.substring(0, 80);
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(header.toString().getBytes(StandardCharsets.UTF_8));
      return name + "-" + HexFormat.of().formatHex(digest, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Builds the item; deterministic for the same scene objects. */
  public static ObjectNode item(
      ObjectMapper json,
      String id,
      S3Uri self,
      S3Uri headerUri,
      S3Uri dataUri,
      EnviHeader h,
      S3Store.ObjectInfo data,
      S3Uri cogUri,
      CogResult cog) {
    ObjectNode item = json.createObjectNode();
    item.put("type", "Feature");
    item.put("stac_version", STAC_VERSION);
    item.putArray("stac_extensions").add(EO_EXTENSION);
    item.put("id", id);
    // The catalog's scene items (batch/stac) carry the footprint; this loose item does not yet.
    item.putNull("geometry");
    ObjectNode props = item.putObject("properties");
    props.put("hsi:georeferenced", h.georeferencing().isPresent());
    props.put("datetime", datetime(h, data));
    props.put("title", headerUri.fileName());
    if (h.description() != null) props.put("description", h.description());
    props.put("hsi:samples", h.samples());
    props.put("hsi:lines", h.lines());
    props.put("hsi:bands", h.bands());
    props.put("hsi:interleave", h.interleave().label());
    props.put("hsi:data_type", h.dataType().label());
    props.put("hsi:byte_order", h.byteOrder() == ByteOrder.BIG_ENDIAN ? "big" : "little");
    props.put("hsi:header_offset", h.headerOffset());
    if (h.dataIgnoreValue() != null) {
      if (h.dataIgnoreValue().isNaN()) props.put("hsi:data_ignore_value", "NaN");
      else props.put("hsi:data_ignore_value", h.dataIgnoreValue());
    }
    ArrayNode bad = props.putArray("hsi:bad_bands");
    for (int b = 0; b < h.bands(); b++) if (!h.isGoodBand(b)) bad.add(b);

    ArrayNode links = item.putArray("links");
    links
        .addObject()
        .put("rel", "self")
        .put("href", self.toString())
        .put("type", "application/geo+json");

    ObjectNode assets = item.putObject("assets");
    ObjectNode hdr = assets.putObject("header");
    hdr.put("href", headerUri.toString());
    hdr.put("type", "text/plain");
    hdr.put("title", "ENVI header");
    hdr.putArray("roles").add("metadata");
    ObjectNode dat = assets.putObject("data");
    dat.put("href", dataUri.toString());
    dat.put("type", "application/octet-stream");
    dat.put("title", "ENVI " + h.interleave().label() + " " + h.dataType().label() + " cube");
    dat.putArray("roles").add("data");
    dat.put("file:size", data.size());
    ObjectNode activated = assets.putObject("cog");
    activated.put("href", cogUri.toString());
    activated.put("type", S3PartStore.COG_MEDIA_TYPE);
    activated.put(
        "title",
        "Activated scene: Cloud-Optimized GeoTIFF, "
            + cog.bands()
            + " bands, "
            + cog.overviews().size()
            + " overview levels");
    activated.putArray("roles").add("data");
    activated.put("file:size", cog.bytes());
    ArrayNode bands = dat.putArray("eo:bands");
    for (int b = 0; b < h.bands(); b++) {
      ObjectNode band = bands.addObject();
      band.put(
          "name", h.bandNames().isEmpty() ? String.format("B%03d", b + 1) : h.bandNames().get(b));
      if (h.hasWavelengths()) band.put("center_wavelength", micrometres(h.wavelengthNm(b)));
      if (!h.fwhmNm().isEmpty()) band.put("full_width_half_max", micrometres(h.fwhmNm().get(b)));
    }
    return item;
  }

  /** EO wants micrometres; nm / 1000 rounded to 6 decimals avoids 0.40000000000000002 noise. */
  private static BigDecimal micrometres(double nm) {
    return BigDecimal.valueOf(nm)
        .divide(BigDecimal.valueOf(1000))
        .setScale(6, RoundingMode.HALF_EVEN)
        .stripTrailingZeros();
  }

  /** The header's acquisition time when parseable, else the data object's LastModified. */
  static String datetime(EnviHeader h, S3Store.ObjectInfo data) {
    String acq = h.extra().get("acquisition time");
    if (acq != null) {
      String t = acq.trim();
      try {
        return Instant.parse(t).toString();
      } catch (DateTimeParseException ignored) {
        /* next */
      }
      try {
        return OffsetDateTime.parse(t).toInstant().toString();
      } catch (DateTimeParseException ignored) {
        /* next */
      }
      try {
        return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC).toString();
      } catch (DateTimeParseException ignored) {
        /* next */
      }
      try {
        return LocalDate.parse(t).atStartOfDay().toInstant(ZoneOffset.UTC).toString();
      } catch (DateTimeParseException ignored) {
        /* fall back */
      }
    }
    return (data.lastModified() == null ? Instant.EPOCH : data.lastModified()).toString();
  }
}
