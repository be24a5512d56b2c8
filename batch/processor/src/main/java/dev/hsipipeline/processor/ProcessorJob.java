package dev.hsipipeline.processor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hsipipeline.hsi.CubeProcessor;
import dev.hsipipeline.hsi.CubeSource;
import dev.hsipipeline.hsi.EnviHeader;
import dev.hsipipeline.hsi.Product;
import dev.hsipipeline.hsi.ProductOptions;
import dev.hsipipeline.hsi.TruncatedDataException;
import dev.hsipipeline.job.Job;
import dev.hsipipeline.job.JobContext;
import dev.hsipipeline.job.JobFailure;
import dev.hsipipeline.job.S3Store;
import dev.hsipipeline.job.S3UploadStream;
import dev.hsipipeline.job.S3Uri;
import dev.hsipipeline.processor.internal.ProductJson;
import dev.hsipipeline.scenes.HsiScenes;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Streams a scene's cube from S3 (ranged GETs; memory bounded by block size × threads, not by scene
 * size) and writes the requested products under {@code products/<id>/}: {@code stats.json}, {@code
 * ndi.hdr} + {@code ndi.img}, {@code quicklook.png}, and {@code item.json} (the STAC item with the
 * product assets and a {@code derived_from} link to the input item).
 *
 * <p>Env: HSI_THREADS (default: available processors), HSI_BLOCK_BYTES (default 1 MiB).
 */
public final class ProcessorJob implements Job {
  /** Job name in logs. */
  public static final String NAME = "processor";

  /** Largest STAC item accepted. */
  static final long MAX_ITEM_BYTES = 4L << 20;

  @Override
  public void run(JobContext ctx) throws Exception {
    S3Uri itemUri = S3Uri.parse(ctx.requireText("item"));
    List<Product> products = HsiScenes.products(ctx.event().get("products"));
    ProductOptions options = options(ctx, products);
    // Overlaps the quicklook encoder's class loading with the item/header requests (ADR 0044).
    CubeProcessor.warmUp(options);
    S3Store s3 = ctx.s3();

    ObjectNode item = ctx.log().step("item", () -> readItem(ctx, itemUri));
    String id = item.get("id").asText();
    S3Uri headerUri = assetHref(item, "header", itemUri);
    S3Uri dataUri = assetHref(item, "data", itemUri);
    EnviHeader header = ctx.log().step("header", () -> HsiScenes.loadHeader(s3, headerUri));
    ctx.log().step("validate", () -> HsiScenes.checkData(s3, header, headerUri, dataUri));

    String bucket = ctx.env().dataBucket() != null ? ctx.env().dataBucket() : itemUri.bucket();
    String prefix = "products/" + id + "/";
    S3Uri ndiUri = new S3Uri(bucket, prefix + "ndi.img");
    // The NDI streams straight into a multipart upload while the cube is processed; it becomes
    // visible in the write step, and is aborted if anything fails before.
    try (S3UploadStream ndiOut =
        options.ndi() == null
            ? null
            : s3.openUpload(
                ndiUri, "application/octet-stream", 4L * header.samples() * header.lines())) {
      CubeProcessor.Result result;
      long t0 = System.nanoTime();
      try {
        CubeSource source = (offset, length) -> s3.open(dataUri, offset, length);
        result = CubeProcessor.process(header, source, options, ndiOut);
      } catch (TruncatedDataException e) {
        throw JobFailure.truncated(
            dataUri, e.expectedBytes(), e.actualBytes(), header.sizeFormula());
      } catch (IllegalArgumentException e) {
        throw JobFailure.permanent(
            "cannot compute products "
                + products.stream().map(Product::id).toList()
                + " for "
                + headerUri
                + ": "
                + e.getMessage(),
            e);
      } catch (UncheckedIOException e) {
        throw JobFailure.transientFailure("reading " + dataUri + " failed: " + e.getMessage(), e);
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("durationMs", Math.round(seconds * 1000));
      f.put("bytesRead", result.bytesRead());
      f.put(
          "mbPerSecond",
          Math.round(result.bytesRead() / 1e6 / Math.max(seconds, 1e-9) * 10) / 10.0);
      f.put("threads", options.threads());
      f.put("products", products.stream().map(Product::id).toList());
      ctx.log().info("compute", "products computed", f);

      Map<String, S3Uri> written = new LinkedHashMap<>();
      ctx.log()
          .step(
              "write",
              () -> {
                if (result.stats() != null) {
                  S3Uri u = new S3Uri(bucket, prefix + "stats.json");
                  s3.putString(
                      u,
                      ProductJson.stats(ctx.json(), itemUri, header, result.stats()),
                      "application/json");
                  written.put("stats", u);
                }
                if (result.ndi() != null) {
                  S3Uri img = ndiOut.complete().uri();
                  S3Uri hdr = new S3Uri(bucket, prefix + "ndi.hdr");
                  s3.putString(
                      hdr, CubeProcessor.ndiHeader(header, result.ndi()).toText(), "text/plain");
                  written.put("ndi", img);
                  written.put("ndi_header", hdr);
                }
                if (result.quicklook() != null) {
                  S3Uri u = new S3Uri(bucket, prefix + "quicklook.png");
                  s3.put(u, result.quicklook().png(), "image/png");
                  written.put("quicklook", u);
                }
                S3Uri updated = new S3Uri(bucket, prefix + "item.json");
                ObjectNode out = ProductJson.updatedItem(item, itemUri, updated, result, written);
                s3.putString(
                    updated,
                    ctx.json().writerWithDefaultPrettyPrinter().writeValueAsString(out),
                    "application/geo+json");
                written.put("item", updated);
                return null;
              });
      Map<String, Object> w = new LinkedHashMap<>();
      written.forEach((k, v) -> w.put(k, v.toString()));
      ctx.log().info("write", "products written", w);
    }
  }

  private static ObjectNode readItem(JobContext ctx, S3Uri uri) {
    String text = ctx.s3().readString(uri, MAX_ITEM_BYTES);
    JsonNode node;
    try {
      node = ctx.json().readTree(text);
    } catch (Exception e) {
      throw JobFailure.corrupt(
          uri, "not valid JSON (" + e.getMessage().lines().findFirst().orElse("") + ")");
    }
    if (node == null || !node.isObject())
      throw JobFailure.corrupt(uri, "a STAC item must be a JSON object");
    JsonNode id = node.get("id");
    if (id == null || !id.isTextual() || !id.asText().matches("[A-Za-z0-9._-]{1,128}")) {
      throw JobFailure.corrupt(
          uri, "field 'id' must be a string of 1-128 characters A-Z a-z 0-9 . _ -, got " + id);
    }
    return (ObjectNode) node;
  }

  private static S3Uri assetHref(ObjectNode item, String asset, S3Uri itemUri) {
    JsonNode href = item.path("assets").path(asset).path("href");
    if (!href.isTextual()) throw JobFailure.corrupt(itemUri, "missing assets." + asset + ".href");
    try {
      return S3Uri.parse(href.asText());
    } catch (JobFailure e) {
      throw JobFailure.corrupt(itemUri, "assets." + asset + ".href: " + e.getMessage());
    }
  }

  /**
   * Product options from the event (optional "ndi"/"quicklook" overrides) and env (threads, block
   * size).
   */
  static ProductOptions options(JobContext ctx, List<Product> products) {
    int threads = intEnv(ctx, "HSI_THREADS", Runtime.getRuntime().availableProcessors(), 1, 256);
    int block = intEnv(ctx, "HSI_BLOCK_BYTES", ProductOptions.DEFAULT_BLOCK_BYTES, 4096, 256 << 20);
    ProductOptions.Ndi ndi = null;
    if (products.contains(Product.NDI)) {
      JsonNode n = ctx.event().path("ndi");
      ndi =
          new ProductOptions.Ndi(
              wavelength(n, "a", ProductOptions.Ndi.DEFAULT.wavelengthA()),
              wavelength(n, "b", ProductOptions.Ndi.DEFAULT.wavelengthB()));
    }
    ProductOptions.Quicklook ql = null;
    if (products.contains(Product.QUICKLOOK)) {
      JsonNode q = ctx.event().path("quicklook");
      ProductOptions.Quicklook d = ProductOptions.Quicklook.DEFAULT;
      int maxSize = q.has("maxSize") ? q.get("maxSize").asInt(-1) : d.maxSize();
      if (maxSize < 16 || maxSize > 8192)
        throw JobFailure.permanent(
            "event field 'quicklook.maxSize' must be an integer in 16..8192, got "
                + q.get("maxSize"));
      ql =
          new ProductOptions.Quicklook(
              wavelength(q, "red", d.red()),
              wavelength(q, "green", d.green()),
              wavelength(q, "blue", d.blue()),
              maxSize,
              d.lowPercentile(),
              d.highPercentile());
    }
    return new ProductOptions(products.contains(Product.STATS), ndi, ql, threads, block);
  }

  private static double wavelength(JsonNode parent, String field, double dflt) {
    JsonNode n = parent.get(field);
    if (n == null) return dflt;
    if (!n.isNumber() || !(n.asDouble() > 0)) {
      throw JobFailure.permanent(
          "event field '"
              + parent
              + "."
              + field
              + "' must be a positive wavelength in nm, got "
              + n);
    }
    return n.asDouble();
  }

  private static int intEnv(JobContext ctx, String name, int dflt, int min, int max) {
    String raw = ctx.env().get(name).orElse(null);
    if (raw == null) return dflt;
    try {
      int v = Integer.parseInt(raw);
      if (v < min || v > max) throw new NumberFormatException();
      return v;
    } catch (NumberFormatException e) {
      throw JobFailure.permanent(
          String.format(
              Locale.ROOT,
              "environment variable %s must be an integer in %d..%d, got '%s'",
              name,
              min,
              max,
              raw));
    }
  }
}
