package dev.hsipipeline.hsi;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The processor's products, by their event names. */
public enum Product {
  /** Per-band statistics (JSON). */
  STATS,
  /** Normalized difference index (float32 ENVI cube). */
  NDI,
  /** RGB quicklook (PNG). */
  QUICKLOOK;

  /** Event name, e.g. {@code stats}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The product with this event name (case-insensitive), or null. */
  public static Product parse(String name) {
    for (Product p : values()) if (p.id().equalsIgnoreCase(name.trim())) return p;
    return null;
  }

  /** Every product, in canonical order (the default). */
  public static List<Product> all() {
    return List.of(values());
  }

  /** The valid names, for messages. */
  public static List<String> names() {
    return Arrays.stream(values()).map(Product::id).toList();
  }
}
