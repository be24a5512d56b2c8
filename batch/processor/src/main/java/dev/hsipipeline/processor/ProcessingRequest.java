package dev.hsipipeline.processor;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hsipipeline.hsi.Product;
import dev.hsipipeline.hsi.ProductOptions;
import dev.hsipipeline.job.JobEnv;
import dev.hsipipeline.job.JobFailure;
import dev.hsipipeline.scenes.HsiScenes;
import dev.hsipipeline.stac.ProductKey;
import java.util.List;

/**
 * What to compute, read from a processor event ({@code products}, optional {@code ndi} and {@code
 * quicklook} wavelengths) and the environment (HSI_THREADS, HSI_BLOCK_BYTES). The Batch job and
 * {@code ./pipeline process} both build it here, from the same JSON.
 *
 * @param products the requested products, in canonical order
 * @param options the engine's options
 * @param key the products' key, from their parameters (the output prefix)
 */
public record ProcessingRequest(List<Product> products, ProductOptions options, ProductKey key) {

  /**
   * Reads the request.
   *
   * @throws JobFailure (permanent) naming the field or variable that is wrong
   */
  public static ProcessingRequest from(JsonNode event, JobEnv env) {
    List<Product> products = HsiScenes.products(event.get("products"));
    int threads = env.integer("HSI_THREADS", Runtime.getRuntime().availableProcessors(), 1, 256);
    int block = env.integer("HSI_BLOCK_BYTES", ProductOptions.DEFAULT_BLOCK_BYTES, 4096, 256 << 20);
    ProductKey.Builder key = ProductKey.builder();
    if (products.contains(Product.STATS)) key.stats();
    ProductOptions.Ndi ndi = null;
    if (products.contains(Product.NDI)) {
      JsonNode n = event.path("ndi");
      ndi =
          new ProductOptions.Ndi(
              wavelength(n, "ndi", "a", ProductOptions.Ndi.DEFAULT.wavelengthA()),
              wavelength(n, "ndi", "b", ProductOptions.Ndi.DEFAULT.wavelengthB()));
      key.ndi(ndi.wavelengthA(), ndi.wavelengthB());
    }
    ProductOptions.Quicklook ql = null;
    if (products.contains(Product.QUICKLOOK)) {
      JsonNode q = event.path("quicklook");
      ProductOptions.Quicklook d = ProductOptions.Quicklook.DEFAULT;
      int maxSize = q.has("maxSize") ? q.get("maxSize").asInt(-1) : d.maxSize();
      if (maxSize < 16 || maxSize > 8192)
        throw JobFailure.permanent(
            "event field 'quicklook.maxSize' must be an integer in 16..8192, got "
                + q.get("maxSize"));
      ql =
          new ProductOptions.Quicklook(
              wavelength(q, "quicklook", "red", d.red()),
              wavelength(q, "quicklook", "green", d.green()),
              wavelength(q, "quicklook", "blue", d.blue()),
              maxSize,
              d.lowPercentile(),
              d.highPercentile());
      key.quicklook(ql.red(), ql.green(), ql.blue(), ql.maxSize());
    }
    return new ProcessingRequest(
        products,
        new ProductOptions(products.contains(Product.STATS), ndi, ql, threads, block),
        key.build());
  }

  private static double wavelength(JsonNode parent, String object, String field, double dflt) {
    JsonNode n = parent.get(field);
    if (n == null) return dflt;
    if (!n.isNumber() || !(n.asDouble() > 0) || !Double.isFinite(n.asDouble()))
      throw JobFailure.permanent(
          "event field '"
              + object
              + "."
              + field
              + "' must be a positive wavelength in nm, got "
              + n);
    return n.asDouble();
  }
}
