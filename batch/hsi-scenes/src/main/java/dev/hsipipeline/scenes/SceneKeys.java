package dev.hsipipeline.scenes;

import dev.hsipipeline.job.S3Uri;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Where the jobs put what they write in the data bucket (docs/products.md):
 *
 * <pre>
 * activated/&lt;scene-id&gt;/&lt;scene-id&gt;.tif                   the activated scene, a COG of every band
 * products/&lt;scene-id&gt;/&lt;product-key&gt;/ndi.tif             NDI, float32 COG
 * products/&lt;scene-id&gt;/&lt;product-key&gt;/quicklook.tif       RGB quicklook, uint8 COG
 * products/&lt;scene-id&gt;/&lt;product-key&gt;/quicklook.png       the same quicklook as a PNG thumbnail
 * products/&lt;scene-id&gt;/&lt;product-key&gt;/stats.json          per-band statistics
 * </pre>
 *
 * The STAC items of both live in the catalog ({@code catalog.json}, {@code stac/…}; {@code
 * dev.hsipipeline.stac.CatalogLayout}), written after these objects.
 *
 * <p>The product key names the parameters ({@code stats.ndi-860-650.ql-640-550-470-1024}), so
 * another request of the same scene is another set of objects, never an overwrite.
 */
public final class SceneKeys {
  /** File names within a product prefix. */
  public static final String NDI = "ndi.tif",
      QUICKLOOK = "quicklook.tif",
      THUMBNAIL = "quicklook.png",
      STATS = "stats.json";

  private SceneKeys() {}

  /**
   * A scene's id (ADR 0042): the header's file name without {@code .hdr} (unsafe characters as
   * {@code _}, at most 80) and 8 hex digits of the SHA-256 of its {@code s3://} URI, so scenes of
   * the same name in different prefixes never collide.
   */
  public static String sceneId(S3Uri header) {
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

  /** The activated scene's COG. */
  public static String activatedScene(String sceneId) {
    return "activated/" + sceneId + "/" + sceneId + ".tif";
  }

  /** The prefix (ending with {@code /}) of one product set of a scene. */
  public static String products(String sceneId, String productKey) {
    return "products/" + sceneId + "/" + productKey + "/";
  }
}
