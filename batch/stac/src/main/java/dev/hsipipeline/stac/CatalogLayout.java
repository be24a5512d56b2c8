package dev.hsipipeline.stac;

import dev.hsipipeline.job.S3Uri;
import java.net.URI;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the static catalog lives in the data bucket and how its documents point at each other and
 * at assets (ADRs 0160, 0161):
 *
 * <pre>
 * catalog.json                              root catalog "hsi-pipeline"
 * stac/scenes/collection.json               collection "hsi-scenes"
 * stac/scenes/items/&lt;scene-id&gt;.json        scene items
 * stac/products/collection.json             collection "hsi-products"
 * stac/products/items/&lt;product-id&gt;.json    product items
 * </pre>
 *
 * Links between catalog documents are relative ({@code ./}, {@code ../}), so the tree can be copied
 * or served anywhere. {@code self} links are absolute: the public base URL when configured, else
 * the {@code s3://} URI. Asset hrefs are relative to the item when the asset is in the data bucket
 * and no public base URL is configured, absolute (public base URL) when one is, and the {@code
 * s3://} URI for objects in other buckets (a relative path cannot cross buckets).
 *
 * @param bucket the data bucket holding the catalog
 * @param publicBaseUrl e.g. {@code https://data.example.org/hsi/} serving the bucket's root, or
 *     null
 */
public record CatalogLayout(String bucket, URI publicBaseUrl) {
  /** Key of the root catalog. */
  public static final String ROOT_KEY = "catalog.json";

  /** Root catalog id. */
  public static final String ROOT_ID = "hsi-pipeline";

  /** Environment variable holding the public base URL. */
  public static final String PUBLIC_BASE_URL_ENV = "STAC_PUBLIC_BASE_URL";

  /** Validates; a base URL must be absolute http(s) and gets a trailing slash. */
  public CatalogLayout {
    Objects.requireNonNull(bucket, "bucket");
    if (bucket.isBlank()) throw new IllegalArgumentException("catalog bucket must not be blank");
    if (publicBaseUrl != null) {
      String s = publicBaseUrl.toString();
      if (!(s.startsWith("https://") || s.startsWith("http://")) || publicBaseUrl.getHost() == null)
        throw new IllegalArgumentException(
            PUBLIC_BASE_URL_ENV + " must be an absolute http(s) URL, got '" + s + "'");
      if (!s.endsWith("/")) publicBaseUrl = URI.create(s + "/");
    }
  }

  /**
   * The layout for a bucket, with the public base URL from {@code STAC_PUBLIC_BASE_URL} when set.
   *
   * @throws IllegalArgumentException naming the variable when its value is not an http(s) URL
   */
  public static CatalogLayout of(String bucket, Map<String, String> env) {
    String raw = env.get(PUBLIC_BASE_URL_ENV);
    URI base = null;
    if (raw != null && !raw.isBlank()) {
      try {
        base = URI.create(raw.trim());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            PUBLIC_BASE_URL_ENV + " must be an absolute http(s) URL, got '" + raw + "'", e);
      }
    }
    return new CatalogLayout(bucket, base);
  }

  /** The public base URL, when configured. */
  public Optional<URI> publicBase() {
    return Optional.ofNullable(publicBaseUrl);
  }

  /** {@code stac/<dir>/collection.json}. */
  public String collectionKey(StacCollection c) {
    return c.dir() + "/collection.json";
  }

  /** {@code stac/<dir>/items/<id>.json}. */
  public String itemKey(StacCollection c, String itemId) {
    return c.dir() + "/items/" + itemId + ".json";
  }

  /** The object URI of a key in the catalog bucket. */
  public S3Uri uri(String key) {
    return new S3Uri(bucket, key);
  }

  /** The absolute address of a catalog document (its {@code self} href). */
  public String absolute(String key) {
    return publicBaseUrl != null
        ? publicBaseUrl.resolve(encodePath(key)).toString()
        : "s3://" + bucket + "/" + key;
  }

  /** A relative href from the document at {@code fromKey} to the catalog document {@code toKey}. */
  public static String relative(String fromKey, String toKey) {
    String[] from = fromKey.split("/", -1);
    String[] to = toKey.split("/", -1);
    int common = 0;
    while (common < from.length - 1 && common < to.length - 1 && from[common].equals(to[common]))
      common++;
    StringBuilder sb = new StringBuilder();
    int ups = from.length - 1 - common;
    if (ups == 0) sb.append("./");
    for (int i = 0; i < ups; i++) sb.append("../");
    for (int i = common; i < to.length; i++) {
      sb.append(encodePath(to[i]));
      if (i < to.length - 1) sb.append('/');
    }
    return sb.toString();
  }

  /**
   * The href of an asset as seen from the document at {@code fromKey} (see the class comment for
   * relative vs absolute).
   */
  public String assetHref(String fromKey, S3Uri asset) {
    if (!asset.bucket().equals(bucket)) return asset.toString();
    if (publicBaseUrl != null) return absolute(asset.key());
    return relative(fromKey, asset.key());
  }

  /** Percent-encodes what a URI path segment cannot carry (keys are mostly safe characters). */
  private static String encodePath(String path) {
    StringBuilder sb = new StringBuilder(path.length());
    for (char ch : path.toCharArray()) {
      if ((ch >= 'a' && ch <= 'z')
          || (ch >= 'A' && ch <= 'Z')
          || (ch >= '0' && ch <= '9')
          || "-._~/!$&'()*+,;=:@".indexOf(ch) >= 0) sb.append(ch);
      else {
        for (byte b : String.valueOf(ch).getBytes(java.nio.charset.StandardCharsets.UTF_8))
          sb.append('%').append(String.format("%02X", b & 0xFF));
      }
    }
    return sb.toString();
  }
}
