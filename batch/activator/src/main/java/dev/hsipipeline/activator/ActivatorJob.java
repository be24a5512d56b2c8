package dev.hsipipeline.activator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hsipipeline.activator.internal.Partners;
import dev.hsipipeline.activator.internal.StacItems;
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
import dev.hsipipeline.scenes.HsiScenes;
import dev.hsipipeline.scenes.S3PartStore;
import dev.hsipipeline.scenes.SceneKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Makes a raw ENVI scene ready for processing: finds header and data, validates the header and the
 * data size, writes the activated scene as a Cloud-Optimized GeoTIFF ({@code
 * activated/<id>/<id>.tif}, {@link Activation}), a STAC 1.0 Item ({@code items/<id>.json}, EO band
 * list, the COG as an asset) and enqueues {@code {"item": …, "products": […]}} on
 * PROCESSOR_QUEUE_URL. Re-running for the same scene rewrites the same keys with the same content.
 *
 * <p>Env: HSI_THREADS (COG compression threads, default: available processors).
 */
public final class ActivatorJob implements Job {
  /** Job name in logs. */
  public static final String NAME = "activator";

  @Override
  public void run(JobContext ctx) throws Exception {
    String queueUrl = ctx.env().require("PROCESSOR_QUEUE_URL"); // fail fast, before any work
    S3Uri scene = S3Uri.parse(ctx.requireText("scene"));
    List<Product> products = HsiScenes.products(ctx.event().get("products"));
    S3Store s3 = ctx.s3();

    Partners.Pair pair = ctx.log().step("locate", () -> Partners.locate(s3, scene));
    ctx.log()
        .info(
            "locate",
            "scene files",
            Map.of("header", pair.header().toString(), "data", pair.data().toString()));
    EnviHeader header = ctx.log().step("header", () -> HsiScenes.loadHeader(s3, pair.header()));
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
    String id = StacItems.itemId(pair.header());
    S3Uri cogUri = new S3Uri(bucket, SceneKeys.activatedScene(id));
    CogResult cog = ctx.log().step("cog", () -> activate(ctx, header, pair, data, cogUri));
    S3Uri itemUri = new S3Uri(bucket, SceneKeys.item(id));
    ObjectNode item =
        StacItems.item(
            ctx.json(), id, itemUri, pair.header(), pair.data(), header, data, cogUri, cog);
    ctx.log()
        .step(
            "item",
            () -> {
              s3.putString(
                  itemUri,
                  ctx.json().writerWithDefaultPrettyPrinter().writeValueAsString(item),
                  "application/geo+json");
              return null;
            });
    ctx.log().info("item", "STAC item written", Map.of("item", itemUri.toString(), "id", id));

    ObjectNode message = ctx.json().createObjectNode();
    message.put("item", itemUri.toString());
    ArrayNode list = message.putArray("products");
    products.forEach(p -> list.add(p.id()));
    String messageId =
        ctx.log().step("enqueue", () -> ctx.sqs().get().send(queueUrl, message.toString()));
    ctx.log()
        .info(
            "enqueue",
            "processor message sent",
            Map.of("queueUrl", queueUrl, "sqsMessageId", messageId, "body", message.toString()));
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
