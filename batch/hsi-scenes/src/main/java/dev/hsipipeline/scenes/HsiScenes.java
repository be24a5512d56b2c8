package dev.hsipipeline.scenes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hsipipeline.hsi.EnviHeader;
import dev.hsipipeline.hsi.EnviHeaderException;
import dev.hsipipeline.hsi.Product;
import dev.hsipipeline.job.JobFailure;
import dev.hsipipeline.job.S3Store;
import dev.hsipipeline.job.S3Uri;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/** S3 glue shared by the HSI jobs: loading/validating a scene and reading product lists. */
public final class HsiScenes {
  /** Largest header accepted (real ones are a few KiB; this stops a data file read as header). */
  public static final long MAX_HEADER_BYTES = 4L << 20;

  private HsiScenes() {}

  /**
   * Reads and parses a header.
   *
   * @throws JobFailure permanent: missing object, or "corrupt header: s3://…: key '…': problem"
   */
  public static EnviHeader loadHeader(S3Store s3, S3Uri headerUri) {
    String text = s3.readString(headerUri, MAX_HEADER_BYTES);
    try {
      return EnviHeader.parse(text, headerUri.toString());
    } catch (EnviHeaderException e) {
      throw JobFailure.permanent("corrupt header: " + e.getMessage(), e);
    }
  }

  /**
   * A header as read, with the version it was read at.
   *
   * @param header the parsed header
   * @param object the header object's size and ETag (the bytes parsed are exactly that version)
   */
  public record VersionedHeader(EnviHeader header, S3Store.ObjectInfo object) {}

  /**
   * Reads and parses a header pinned to the ETag of a HEAD taken first, so the version recorded for
   * the re-run check (ADR 0163) is the one parsed.
   *
   * @throws JobFailure permanent: missing object, too large, replaced while read, or "corrupt
   *     header: s3://…: key '…': problem"
   */
  public static VersionedHeader loadVersionedHeader(S3Store s3, S3Uri headerUri) {
    S3Store.ObjectInfo info = s3.head(headerUri);
    if (info.size() > MAX_HEADER_BYTES)
      throw JobFailure.permanent(
          "object "
              + headerUri
              + " is "
              + info.size()
              + " bytes, more than the "
              + MAX_HEADER_BYTES
              + " bytes allowed for an ENVI header");
    byte[] bytes;
    try (InputStream in = s3.openPinned(headerUri, 0, info.size(), info.eTag())) {
      bytes = in.readAllBytes();
    } catch (IOException e) {
      throw JobFailure.transientFailure("reading " + headerUri + " failed: " + e.getMessage(), e);
    }
    try {
      return new VersionedHeader(
          EnviHeader.parse(new String(bytes, StandardCharsets.UTF_8), headerUri.toString()), info);
    } catch (EnviHeaderException e) {
      throw JobFailure.permanent("corrupt header: " + e.getMessage(), e);
    }
  }

  /**
   * The event's {@code force} field: absent or false → false.
   *
   * @throws JobFailure permanent when present but not a boolean
   */
  public static boolean force(JsonNode event) {
    JsonNode f = event.get("force");
    if (f == null || f.isNull()) return false;
    if (!f.isBoolean())
      throw JobFailure.permanent("event field 'force' must be true or false, got " + f);
    return f.asBoolean();
  }

  /**
   * Checks that the data object exists and has exactly the size the header describes.
   *
   * @return the object's metadata
   * @throws JobFailure permanent: missing, truncated (expected vs actual bytes) or larger than
   *     described
   */
  public static S3Store.ObjectInfo checkData(
      S3Store s3, EnviHeader h, S3Uri headerUri, S3Uri dataUri) {
    S3Store.ObjectInfo info = s3.head(dataUri);
    long expected = h.expectedObjectSize();
    if (info.size() < expected)
      throw JobFailure.truncated(dataUri, expected, info.size(), h.sizeFormula());
    if (info.size() > expected) {
      throw JobFailure.permanent(
          "size mismatch: "
              + dataUri
              + " has "
              + info.size()
              + " bytes but header "
              + headerUri
              + " describes "
              + expected
              + " bytes ("
              + h.sizeFormula()
              + ")");
    }
    return info;
  }

  /**
   * The event's {@code products} field: absent → all; otherwise a non-empty array of known names.
   *
   * @throws JobFailure permanent naming an unknown product and the valid names
   */
  public static List<Product> products(JsonNode field) {
    if (field == null || field.isNull() || field.isMissingNode()) return Product.all();
    if (!field.isArray())
      throw JobFailure.permanent(
          "event field 'products' must be an array of " + Product.names() + ", got " + field);
    if (field.isEmpty())
      throw JobFailure.permanent(
          "event field 'products' is empty; omit it for all of " + Product.names());
    LinkedHashSet<Product> out = new LinkedHashSet<>();
    for (JsonNode n : field) {
      Product p = n.isTextual() ? Product.parse(n.asText()) : null;
      if (p == null)
        throw JobFailure.permanent(
            "unknown product "
                + n
                + " in event field 'products'; valid products: "
                + Product.names());
      out.add(p);
    }
    return new ArrayList<>(out);
  }
}
