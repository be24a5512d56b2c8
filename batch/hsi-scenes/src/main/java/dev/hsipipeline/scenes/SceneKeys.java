package dev.hsipipeline.scenes;

/**
 * Where the jobs put what they write in the data bucket (docs/products.md):
 *
 * <pre>
 * items/&lt;scene-id&gt;.json                                 the scene's STAC item (activator)
 * activated/&lt;scene-id&gt;/&lt;scene-id&gt;.tif                   the activated scene, a COG of every band
 * products/&lt;scene-id&gt;/&lt;product-key&gt;/ndi.tif             NDI, float32 COG
 * products/&lt;scene-id&gt;/&lt;product-key&gt;/quicklook.tif       RGB quicklook, uint8 COG
 * products/&lt;scene-id&gt;/&lt;product-key&gt;/quicklook.png       the same quicklook as a PNG thumbnail
 * products/&lt;scene-id&gt;/&lt;product-key&gt;/stats.json          per-band statistics
 * products/&lt;scene-id&gt;/&lt;product-key&gt;/item.json           the product's STAC item (written last)
 * </pre>
 *
 * The product key names the parameters ({@code stats.ndi-860-650.ql-640-550-470-1024}), so another
 * request of the same scene is another set of objects, never an overwrite.
 */
public final class SceneKeys {
  /** File names within a product prefix. */
  public static final String NDI = "ndi.tif",
      QUICKLOOK = "quicklook.tif",
      THUMBNAIL = "quicklook.png",
      STATS = "stats.json",
      PRODUCT_ITEM = "item.json";

  private SceneKeys() {}

  /** The scene's STAC item. */
  public static String item(String sceneId) {
    return "items/" + sceneId + ".json";
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
