package dev.hsipipeline.activator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hsipipeline.activator.internal.Partners;
import dev.hsipipeline.activator.internal.StacItems;
import dev.hsipipeline.hsi.EnviHeader;
import dev.hsipipeline.hsi.Product;
import dev.hsipipeline.job.Job;
import dev.hsipipeline.job.JobContext;
import dev.hsipipeline.job.S3Store;
import dev.hsipipeline.job.S3Uri;
import dev.hsipipeline.scenes.HsiScenes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes a raw ENVI scene ready for processing: finds header and data, validates the header and the
 * data size, writes a STAC 1.0 Item ({@code items/<id>.json}, EO band list) and enqueues {@code
 * {"item": …, "products": […]}} on PROCESSOR_QUEUE_URL. Re-running for the same scene rewrites the
 * same item key with the same content.
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
    S3Uri itemUri = new S3Uri(bucket, "items/" + id + ".json");
    ObjectNode item =
        StacItems.item(ctx.json(), id, itemUri, pair.header(), pair.data(), header, data);
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
}
