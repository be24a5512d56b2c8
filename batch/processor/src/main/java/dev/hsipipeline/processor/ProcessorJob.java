package dev.hsipipeline.processor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hsipipeline.hsi.CubeProcessor;
import dev.hsipipeline.hsi.CubeSource;
import dev.hsipipeline.hsi.EnviHeader;
import dev.hsipipeline.hsi.Product;
import dev.hsipipeline.hsi.TruncatedDataException;
import dev.hsipipeline.hsi.cog.CogResult;
import dev.hsipipeline.job.Job;
import dev.hsipipeline.job.JobContext;
import dev.hsipipeline.job.JobFailure;
import dev.hsipipeline.job.S3Store;
import dev.hsipipeline.job.S3Uri;
import dev.hsipipeline.processor.internal.ProductJson;
import dev.hsipipeline.scenes.HsiScenes;
import dev.hsipipeline.scenes.ProductOutput;
import dev.hsipipeline.scenes.SceneKeys;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Streams a scene's ENVI cube from S3 (ranged GETs pinned to the validated ETag; memory bounded by
 * block size × threads, not by scene size) and writes the requested products under {@code
 * products/<scene-id>/<product-key>/} ({@link SceneKeys}): {@code ndi.tif} (float32 COG), {@code
 * quicklook.tif} (RGB COG) + {@code quicklook.png}, {@code stats.json}, and last {@code item.json}
 * (the STAC item with the product assets and a {@code derived_from} link to the input item). The
 * work itself is {@link SceneProcessing}, shared with {@code ./pipeline process}.
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
    ProcessingRequest request = ProcessingRequest.from(ctx.event(), ctx.env());
    // Overlaps the quicklook encoder's class loading with the item/header requests (ADR 0044).
    CubeProcessor.warmUp(request.options());
    S3Store s3 = ctx.s3();

    ObjectNode item = ctx.log().step("item", () -> readItem(ctx, itemUri));
    String id = item.get("id").asText();
    S3Uri headerUri = assetHref(item, "header", itemUri);
    S3Uri dataUri = assetHref(item, "data", itemUri);
    EnviHeader header = ctx.log().step("header", () -> HsiScenes.loadHeader(s3, headerUri));
    S3Store.ObjectInfo data =
        ctx.log().step("validate", () -> HsiScenes.checkData(s3, header, headerUri, dataUri));

    String bucket = ctx.env().dataBucket() != null ? ctx.env().dataBucket() : itemUri.bucket();
    String prefix = SceneKeys.products(id, request.key().value());
    ProductOutput out = ProductOutput.s3(s3, bucket, prefix);
    CubeSource source = (offset, length) -> s3.openPinned(dataUri, offset, length, data.eTag());
    SceneProcessing.Outcome outcome;
    try {
      outcome = SceneProcessing.run(header, source, itemUri.toString(), request, out, ctx.json());
    } catch (TruncatedDataException e) {
      throw JobFailure.truncated(dataUri, e.expectedBytes(), e.actualBytes(), header.sizeFormula());
    } catch (IllegalArgumentException e) {
      throw JobFailure.permanent(
          "cannot compute products "
              + request.products().stream().map(Product::id).toList()
              + " for "
              + headerUri
              + ": "
              + e.getMessage(),
          e);
    } catch (UncheckedIOException e) {
      throw JobFailure.transientFailure("reading " + dataUri + " failed: " + e.getMessage(), e);
    }
    logCompute(ctx, request, outcome);

    S3Uri self = new S3Uri(bucket, prefix + SceneKeys.PRODUCT_ITEM);
    ctx.log()
        .step(
            "item-write",
            () -> {
              ObjectNode updated =
                  ProductJson.updatedItem(
                      item,
                      itemUri,
                      self,
                      request.key().value(),
                      outcome.result(),
                      outcome.written());
              s3.putString(
                  self,
                  ctx.json().writerWithDefaultPrettyPrinter().writeValueAsString(updated),
                  "application/geo+json");
              return null;
            });
    Map<String, Object> w = new LinkedHashMap<>(outcome.written());
    w.put("item", self.toString());
    ctx.log().info("write", "products written", w);
  }

  private static void logCompute(
      JobContext ctx, ProcessingRequest request, SceneProcessing.Outcome outcome) {
    double seconds = outcome.computeNanos() / 1e9;
    long bytes = outcome.result().bytesRead();
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("durationMs", Math.round(seconds * 1000));
    f.put("bytesRead", bytes);
    f.put("mbPerSecond", Math.round(bytes / 1e6 / Math.max(seconds, 1e-9) * 10) / 10.0);
    f.put("threads", request.options().threads());
    f.put("products", request.products().stream().map(Product::id).toList());
    f.put("productKey", request.key().value());
    CogResult ndi = outcome.ndiCog();
    if (ndi != null) f.put("ndiCogBytes", ndi.bytes());
    ctx.log().info("compute", "products computed", f);
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
}
