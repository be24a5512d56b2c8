package dev.hsipipeline.stac;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * The key of a processor product set, derived from its parameters (ADR 0163): the same request
 * always maps to the same key (re-runs overwrite nothing new), another request — an NDI of another
 * wavelength pair, another quicklook stretch — to another key, never an overwrite. Readable and
 * safe in an S3 key and a STAC id: {@code stats.ndi-860-650.ql-640-550-470-1024}.
 *
 * @param value the key
 */
public record ProductKey(String value) {
  /** Validates the characters (STAC id and S3 key safe). */
  public ProductKey {
    if (value == null || !value.matches("[A-Za-z0-9._-]{1,100}"))
      throw new IllegalArgumentException("product key must be 1-100 of A-Za-z0-9._-, got " + value);
  }

  /** Collects the parts of a key in the order products are listed: stats, ndi, quicklook. */
  public static Builder builder() {
    return new Builder();
  }

  /** The product item's id for a scene. */
  public String itemId(String sceneId) {
    return sceneId + "." + value;
  }

  @Override
  public String toString() {
    return value;
  }

  /** Builder; parts come out in a fixed order whatever order they were added in. */
  public static final class Builder {
    private boolean stats;
    private String ndi;
    private String quicklook;

    private Builder() {}

    /** Per-band statistics. */
    public Builder stats() {
      stats = true;
      return this;
    }

    /** A normalized-difference index of wavelengths a and b (nm). */
    public Builder ndi(double a, double b) {
      ndi = "ndi-" + num(a) + "-" + num(b);
      return this;
    }

    /** An RGB quicklook of three wavelengths (nm), at most {@code maxSize} pixels a side. */
    public Builder quicklook(double red, double green, double blue, int maxSize) {
      quicklook = "ql-" + num(red) + "-" + num(green) + "-" + num(blue) + "-" + maxSize;
      return this;
    }

    /** The key. */
    public ProductKey build() {
      List<String> parts = new ArrayList<>();
      if (stats) parts.add("stats");
      if (ndi != null) parts.add(ndi);
      if (quicklook != null) parts.add(quicklook);
      if (parts.isEmpty())
        throw new IllegalStateException("a product key needs at least one product");
      return new ProductKey(String.join(".", parts));
    }

    /** 860 → "860", 860.5 → "860.5" (never "860.0" or "8.6E2"). */
    private static String num(double v) {
      if (!(v > 0) || !Double.isFinite(v))
        throw new IllegalArgumentException("wavelengths and sizes must be positive, got " + v);
      return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }
  }
}
