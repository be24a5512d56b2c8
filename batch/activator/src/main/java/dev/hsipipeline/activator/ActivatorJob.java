package dev.hsipipeline.activator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hsipipeline.activator.internal.Partners;
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
import dev.hsipipeline.scenes.HsiScenes;
import dev.hsipipeline.scenes.S3PartStore;
import dev.hsipipeline.scenes.SceneKeys;
import dev.hsipipeline.stac.CatalogWriter;
import dev.hsipipeline.stac.Provenance;
import dev.hsipipeline.stac.SceneItems;
import dev.hsipipeline.stac.SourceVersion;
import dev.hsipipeline.stac.StacCollection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Makes a raw ENVI scene ready for processing: finds header and data, validates the header and the
 * data size, writes the activated scene as a Cloud-Optimized GeoTIFF ({@code
 * activated/<id>/<id>.tif}, {@link Activation}), publishes the scene's STAC item into the catalog
 * (assets first, item next, collection link last; ADRs 0160-0163) and enqueues {@code {"item": …,
 * "products": […]}} on PROCESSOR_QUEUE_URL.
 *
 * <p>A scene whose header and data have the same ETag and size as the published item is {@code
 * unchanged}: nothing is written and no processor message is sent, unless the event says {@code
 * "force": true} (then the processor message says so too).
 *
 * <p>Env: HSI_THREADS (COG compression threads, default: available processors),
 * STAC_PUBLIC_BASE_URL (optional, ADR 0161).
 */
public final class ActivatorJob implements Job {
  /** Job name in logs. */
  public static final String NAME = "activator";

  /** {@code processing:software} of the items it writes. */
  static final String SOFTWARE = "hsi-pipeline activator";

  @Override
  public void run(JobContext ctx) throws Exception {
    String queueUrl = ctx.env().require("PROCESSOR_QUEUE_URL"); // fail fast, before any work
    S3Uri scene = S3Uri.parse(ctx.requireText("scene"));
    List<Product> products = HsiScenes.products(ctx.event().get("products"));
    boolean force = HsiScenes.force(ctx.event());
    S3Store s3 = ctx.s3();

    Partners.Pair pair = ctx.log().step("locate", () -> Partners.locate(s3, scene));
    ctx.log()
        .info(
            "locate",
            "scene files",
            Map.of("header", pair.header().toString(), "data", pair.data().toString()));
    HsiScenes.VersionedHeader vh =
        ctx.log().step("header", () -> HsiScenes.loadVersionedHeader(s3, pair.header()));
    EnviHeader header = vh.header();
    S3Store.ObjectInfo data =
        ctx.log()
            .step("validate", () -> HsiScenes.checkData(s3, header, pair.header(), pair.data()));
    Map<String, Object> geometry = new LinkedHashMap<>();
    geometry.put("samples", header.samples());
    geometry.put("lines", header.lines());
    geometry.put("bands", header.bands());
    geometry.put("interleave", header.interleave().label());
    geometry.put("dataType", header.dataType().label());
    geometry.put("bytes", data.size());
    ctx.log().info("validate", "scene is valid", geometry);

    String bucket = ctx.env().dataBucket() != null ? ctx.env().dataBucket() : scene.bucket();
    String id = SceneKeys.sceneId(pair.header());
    CatalogWriter catalog = CatalogWriter.forJob(s3.client(), ctx.json(), bucket, ctx.env().vars());
    SourceVersion headerVersion =
        new SourceVersion(pair.header(), vh.object().eTag(), vh.object().size());
    SourceVersion dataVersion = new SourceVersion(pair.data(), data.eTag(), data.size());
    List<SourceVersion> sources = List.of(headerVersion, dataVersion);
    S3Uri itemUri = catalog.layout().uri(catalog.layout().itemKey(StacCollection.SCENES, id));
    Optional<JsonNode> published =
        ctx.log().step("check", () -> catalog.unchanged(StacCollection.SCENES, id, sources));
    if (published.isPresent() && !force) {
      String why =
          pair.header()
              + " and "
              + pair.data()
              + " have the same ETag and size as when "
              + itemUri
              + " was published; nothing written, no processor message (send"
              + " \"force\": true to redo it)";
      ctx.log()
          .info(
              "check",
              "unchanged: " + why,
              Map.of("outcome", "unchanged", "item", itemUri.toString()));
      // The state machine shows it in the execution output ($.outcome) when it asks for one.
      ctx.report(JobOutcome.unchanged(why, Map.of("item", itemUri.toString())));
      return;
    }

    S3Uri cogUri = new S3Uri(bucket, SceneKeys.activatedScene(id));
    CogResult cog = ctx.log().step("cog", () -> activate(ctx, header, pair, data, cogUri));
    ObjectNode item =
        SceneItems.builder(
                ctx.json(),
                catalog.layout(),
                new SceneItems.Scene(id, headerVersion, dataVersion, data.lastModified(), header),
                Provenance.of(SOFTWARE, version(), ctx.env().vars()))
            .asset(
                SceneItems.rasterAsset(
                    "cog",
                    cogUri,
                    "Activated scene: Cloud-Optimized GeoTIFF, "
                        + cog.bands()
                        + " bands, "
                        + cog.overviews().size()
                        + " overview levels",
                    cog.bytes(),
                    header))
            .build();
    CatalogWriter.Published p = ctx.log().step("publish", () -> catalog.publish(item));
    ctx.log()
        .info(
            "publish",
            "scene item published",
            Map.of(
                "item",
                p.item().toString(),
                "id",
                id,
                "collectionUpdated",
                p.collectionChanged(),
                "attempts",
                p.attempts(),
                "forced",
                force));

    ObjectNode message = ctx.json().createObjectNode();
    message.put("item", p.item().toString());
    ArrayNode list = message.putArray("products");
    products.forEach(pr -> list.add(pr.id()));
    if (force) message.put("force", true); // the scene was redone: so are its products
    String messageId =
        ctx.log().step("enqueue", () -> ctx.sqs().get().send(queueUrl, message.toString()));
    ctx.log()
        .info(
            "enqueue",
            "processor message sent",
            Map.of("queueUrl", queueUrl, "sqsMessageId", messageId, "body", message.toString()));
    ctx.report(
        JobOutcome.done(
            force ? "scene activated again (forced) and enqueued" : "scene activated and enqueued",
            Map.of(
                "item",
                p.item().toString(),
                "cog",
                cogUri.toString(),
                "processorMessageId",
                messageId)));
  }

  private static String version() {
    return ActivatorJob.class.getPackage().getImplementationVersion();
  }

  /**
   * Streams the ENVI data (ranged GETs pinned to the ETag validated above) into the activated
   * scene's COG (multipart upload, aborted on failure).
   */
  private static CogResult activate(
      JobContext ctx, EnviHeader header, Partners.Pair pair, S3Store.ObjectInfo data, S3Uri cogUri)
      throws IOException {
    S3Store s3 = ctx.s3();
    int threads =
        ctx.env().integer("HSI_THREADS", Runtime.getRuntime().availableProcessors(), 1, 256);
    CubeSource source = (offset, length) -> s3.openPinned(pair.data(), offset, length, data.eTag());
    long t0 = System.nanoTime();
    CogResult cog;
    try {
      cog = Activation.toCog(header, source, S3PartStore.sink(s3, cogUri), threads);
    } catch (TruncatedDataException e) {
      throw JobFailure.truncated(
          pair.data(), e.expectedBytes(), e.actualBytes(), header.sizeFormula());
    } catch (IllegalArgumentException e) {
      throw JobFailure.permanent(
          "cannot write " + pair.header() + " as a COG: " + e.getMessage(), e);
    } catch (UncheckedIOException e) {
      throw JobFailure.transientFailure("reading " + pair.data() + " failed: " + e.getMessage(), e);
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("cog", cogUri.toString());
    f.put("bytes", cog.bytes());
    f.put("bigTiff", cog.bigTiff());
    f.put("size", cog.width() + "x" + cog.height() + "x" + cog.bands());
    f.put("tileSize", cog.tileSize());
    f.put("interleave", cog.interleave().name().toLowerCase(Locale.ROOT));
    f.put("overviews", cog.overviews().size());
    f.put(
        "crs",
        header
            .georeferencing()
            .map(
                g ->
                    g.crs().epsgCode().isPresent()
                        ? "EPSG:" + g.crs().epsgCode().getAsInt()
                        : "WKT")
            .orElse("not georeferenced"));
    f.put("mbPerSecond", Math.round(data.size() / 1e6 / Math.max(seconds, 1e-9) * 10) / 10.0);
    f.put("threads", threads);
    ctx.log().info("cog", "activated scene written", f);
    return cog;
  }
}
