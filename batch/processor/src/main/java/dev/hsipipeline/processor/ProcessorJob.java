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
import dev.hsipipeline.job.JobOutcome;
import dev.hsipipeline.job.S3Store;
import dev.hsipipeline.job.S3Uri;
import dev.hsipipeline.processor.internal.ProductItem;
import dev.hsipipeline.scenes.HsiScenes;
import dev.hsipipeline.scenes.ProductOutput;
import dev.hsipipeline.scenes.SceneKeys;
import dev.hsipipeline.stac.CatalogLayout;
import dev.hsipipeline.stac.CatalogWalker;
import dev.hsipipeline.stac.CatalogWriter;
import dev.hsipipeline.stac.Provenance;
import dev.hsipipeline.stac.SourceVersion;
import dev.hsipipeline.stac.StacCollection;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a scene item of the catalog, streams the scene's ENVI cube from S3 (ranged GETs pinned to
 * the ETag seen at the start; memory bounded by block size × threads, not by scene size; ADR 0111)
 * and writes the requested products under {@code products/<scene-id>/<product-key>/} ({@link
 * SceneKeys}): {@code ndi.tif} (float32 COG), {@code quicklook.tif} (RGB COG) + {@code
 * quicklook.png}, {@code stats.json}; then publishes the product item {@code
 * <scene-id>.<product-key>} into the catalog, last. The work itself is {@link SceneProcessing},
 * shared with {@code ./pipeline process}.
 *
 * <p>A product whose item records the same source versions (ETag and size) is {@code unchanged}:
 * nothing is done unless the event says {@code "force": true}.
 *
 * <p>Env: HSI_THREADS (default: available processors), HSI_BLOCK_BYTES (default 1 MiB),
 * STAC_PUBLIC_BASE_URL (optional, ADR 0161).
 */
public final class ProcessorJob implements Job {
  /** Job name in logs. */
  public static final String NAME = "processor";

  static final String SOFTWARE = "hsi-pipeline processor";

  static final long MAX_ITEM_BYTES = 4L << 20;

  @Override
  public void run(JobContext ctx) throws Exception {
    S3Uri itemUri = S3Uri.parse(ctx.requireText("item"));
    ProcessingRequest request = ProcessingRequest.from(ctx.event(), ctx.env());
    boolean force = HsiScenes.force(ctx.event());
    // Overlaps the quicklook encoder's class loading with the item/header requests (ADR 0044).
    CubeProcessor.warmUp(request.options());
    S3Store s3 = ctx.s3();

    String bucket = ctx.env().dataBucket() != null ? ctx.env().dataBucket() : itemUri.bucket();
    CatalogWriter catalog = CatalogWriter.forJob(s3.client(), ctx.json(), bucket, ctx.env().vars());
    CatalogLayout layout = catalog.layout();
    ObjectNode sceneItem = ctx.log().step("item", () -> readItem(ctx, itemUri));
    String sceneId = sceneItem.get("id").asText();
    S3Uri headerUri = assetHref(sceneItem, "header", itemUri, layout);
    S3Uri dataUri = assetHref(sceneItem, "envi", itemUri, layout);
    S3Uri activated =
        sceneItem.path("assets").has("cog") ? assetHref(sceneItem, "cog", itemUri, layout) : null;
    HsiScenes.VersionedHeader vh =
        ctx.log().step("header", () -> HsiScenes.loadVersionedHeader(s3, headerUri));
    EnviHeader header = vh.header();
    S3Store.ObjectInfo data =
        ctx.log().step("validate", () -> HsiScenes.checkData(s3, header, headerUri, dataUri));

    List<SourceVersion> sources =
        List.of(
            new SourceVersion(headerUri, vh.object().eTag(), vh.object().size()),
            new SourceVersion(dataUri, data.eTag(), data.size()));
    String productId = request.key().itemId(sceneId);
    Optional<JsonNode> published =
        ctx.log()
            .step("check", () -> catalog.unchanged(StacCollection.PRODUCTS, productId, sources));
    if (published.isPresent() && !force) {
      S3Uri productItem = layout.uri(layout.itemKey(StacCollection.PRODUCTS, productId));
      String why =
          "product "
              + productId
              + " was computed from the same header and data (same ETag and size);"
              + " nothing written (send \"force\": true to redo it)";
      ctx.log()
          .info(
              "check",
              "unchanged: " + why,
              Map.of("outcome", "unchanged", "item", productItem.toString()));
      // The state machine shows it in the execution output ($.outcome) when it asks for one.
      ctx.report(JobOutcome.unchanged(why, Map.of("item", productItem.toString())));
      return;
    }

    String prefix = SceneKeys.products(sceneId, request.key().value());
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

    Map<String, S3Uri> written = new LinkedHashMap<>();
    outcome.written().forEach((k, v) -> written.put(k, S3Uri.parse(v)));
    Map<String, Long> sizes = new LinkedHashMap<>();
    if (outcome.ndiCog() != null) sizes.put("ndi", outcome.ndiCog().bytes());
    if (outcome.quicklookCog() != null) sizes.put("quicklook", outcome.quicklookCog().bytes());
    ObjectNode item;
    try {
      item =
          ProductItem.build(
              ctx.json(),
              catalog.layout(),
              request.key(),
              header,
              outcome.result(),
              new ProductItem.Inputs(
                  sceneItem, itemUri, activated, written, sizes, outcome.statsJson()),
              sources,
              Provenance.of(SOFTWARE, version(), ctx.env().vars()));
    } catch (IllegalArgumentException e) {
      throw JobFailure.corrupt(itemUri, e.getMessage());
    }
    CatalogWriter.Published p = ctx.log().step("publish", () -> catalog.publish(item));
    Map<String, Object> w = new LinkedHashMap<>(outcome.written());
    w.put("item", p.item().toString());
    w.put("forced", force);
    ctx.log().info("publish", "products written, item published", w);
    Map<String, String> outputs = new LinkedHashMap<>(outcome.written());
    outputs.put("item", p.item().toString());
    ctx.report(
        JobOutcome.done(
            "products " + request.key().value() + " of " + sceneId + (force ? " (forced)" : ""),
            outputs));
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

  private static String version() {
    return ProcessorJob.class.getPackage().getImplementationVersion();
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

  /**
   * An asset's object: hrefs relative to the item, {@code s3://} URIs, or the data bucket's objects
   * under the public base URL (ADR 0161).
   */
  private static S3Uri assetHref(
      ObjectNode item, String asset, S3Uri itemUri, CatalogLayout layout) {
    JsonNode href = item.path("assets").path(asset).path("href");
    if (!href.isTextual())
      throw JobFailure.corrupt(
          itemUri, "missing assets." + asset + ".href (is it a scene item of the catalog?)");
    S3Uri resolved;
    try {
      String base = layout.publicBase().map(Object::toString).orElse(null);
      resolved =
          base != null && href.asText().startsWith(base)
              ? new S3Uri(
                  layout.bucket(),
                  // Percent-decoding only: '+' is a literal in a URI path.
                  URLDecoder.decode(
                      href.asText().substring(base.length()).replace("+", "%2B"),
                      StandardCharsets.UTF_8))
              : CatalogWalker.resolve(itemUri, href.asText());
    } catch (JobFailure e) {
      throw JobFailure.corrupt(itemUri, "assets." + asset + ".href: " + e.getMessage());
    }
    if (resolved == null)
      throw JobFailure.corrupt(
          itemUri, "assets." + asset + ".href " + href + " does not resolve to an S3 object");
    return resolved;
  }
}
