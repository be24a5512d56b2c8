package dev.hsipipeline.scenes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hsipipeline.hsi.EnviHeader;
import dev.hsipipeline.hsi.EnviHeaderException;
import dev.hsipipeline.hsi.Product;
import dev.hsipipeline.job.JobFailure;
import dev.hsipipeline.job.S3Store;
import dev.hsipipeline.job.S3Uri;
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
