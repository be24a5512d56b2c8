package dev.hsipipeline.stac;

import static dev.hsipipeline.stac.Fixtures.JSON;
import static dev.hsipipeline.stac.Fixtures.VALIDATOR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hsipipeline.job.AwsClients;
import dev.hsipipeline.job.JobEnv;
import dev.hsipipeline.job.S3Uri;
import dev.hsipipeline.local.aws.LocalS3;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** The catalog on a real local S3: layout, a reader's walk, and concurrent publishers. */
class CatalogWriterTest {
  @TempDir static Path dir;
  static LocalS3 server;
  static S3Client s3;

  @BeforeAll
  static void start() {
    server = LocalS3.start(new LocalS3.Config("127.0.0.1", 0, dir));
    server.createBucket("walk");
    server.createBucket("race");
    server.createBucket("again");
    server.createBucket("broken");
    server.createBucket("raw-bucket");
    // The jobs' own client: its Expect: 100-continue threshold is what lets a refused
    // compare-and-swap surface as the 412 the writer retries on (AwsClients).
    s3 =
        AwsClients.s3(
            JobEnv.from(
                Map.of(
                    "AWS_BATCH_JOB_ID", "catalog-writer-test",
                    "AWS_REGION", "us-east-1",
                    "AWS_ACCESS_KEY_ID", "t",
                    "AWS_SECRET_ACCESS_KEY", "t",
                    "AWS_ENDPOINT_URL_S3", server.endpoint().toString(),
                    "DATA_BUCKET", "walk")));
  }

  @AfterAll
  static void stop() {
    if (s3 != null) s3.close();
    if (server != null) server.close();
  }

  private static void putAssets(JsonNode item, S3Uri itemUri) {
    for (JsonNode a : item.get("assets")) {
      S3Uri target = CatalogWalker.resolve(itemUri, a.get("href").asText());
      s3.putObject(b -> b.bucket(target.bucket()).key(target.key()), RequestBody.fromString("x"));
    }
  }

  @Test
  void aReaderWalksFromTheRootThroughEveryLinkToEveryAssetAndEveryDocumentIsValid() {
    CatalogLayout layout = new CatalogLayout("walk", null);
    CatalogWriter writer = new CatalogWriter(s3, JSON, layout, VALIDATOR);
    List<ObjectNode> items =
        List.of(
            Fixtures.sceneItem(layout, "scene-1", true).build(),
            Fixtures.sceneItem(layout, "plain-2", false).build(),
            Fixtures.productItem(layout, "scene-1", "ndi-860-650"),
            Fixtures.productItem(layout, "scene-1", "ndi-800-600"));
    for (ObjectNode item : items) {
      putAssets(
          item,
          layout.uri(
              layout.itemKey(
                  StacCollection.byId(item.get("collection").asText()), item.get("id").asText())));
      writer.publish(item);
    }

    CatalogWalker.Walk walk =
        CatalogWalker.walk(s3, JSON, VALIDATOR, layout.uri(CatalogLayout.ROOT_KEY));
    assertEquals(List.of(), walk.problems());
    assertEquals(
        1 + 2 + 4,
        walk.documents().size(),
        "root, 2 collections, 4 items: " + walk.documents().keySet());
    assertEquals(4 * 2, walk.assets().size(), "two assets per item");
    for (Map.Entry<S3Uri, JsonNode> e : walk.documents().entrySet())
      assertEquals(List.of(), VALIDATOR.validate(e.getValue()), e.getKey().toString());

    JsonNode scenes = walk.documents().get(layout.uri("stac/scenes/collection.json"));
    assertEquals(
        "[[-120.0915,39.1033,-119.999,39.1709]]",
        scenes.at("/extent/spatial/bbox").toString(),
        "the extent is the georeferenced scene's; the other has none");
    assertEquals(
        "[[\"2021-06-15T18:15:01Z\",\"2021-06-15T18:15:01Z\"]]",
        scenes.at("/extent/temporal/interval").toString());
  }

  @Test
  void theWalkReportsAMissingAssetAndAMissingItem() {
    CatalogLayout layout = new CatalogLayout("broken", null);
    CatalogWriter writer = new CatalogWriter(s3, JSON, layout, VALIDATOR);
    ObjectNode item = Fixtures.sceneItem(layout, "gone", true).build();
    putAssets(item, layout.uri(layout.itemKey(StacCollection.SCENES, "gone")));
    writer.publish(item);
    s3.deleteObject(b -> b.bucket("broken").key("activated/gone/scene.tif"));
    s3.deleteObject(b -> b.bucket("raw-bucket").key("scenes/gone.hdr"));
    List<String> problems =
        CatalogWalker.walk(s3, JSON, VALIDATOR, layout.uri(CatalogLayout.ROOT_KEY)).problems();
    assertEquals(2, problems.size(), problems.toString());
    assertTrue(
        problems.get(0).contains("asset s3://broken/activated/gone/scene.tif is missing"),
        problems.toString());
    s3.deleteObject(b -> b.bucket("broken").key("stac/scenes/items/gone.json"));
    problems =
        CatalogWalker.walk(s3, JSON, VALIDATOR, layout.uri(CatalogLayout.ROOT_KEY)).problems();
    assertEquals(
        List.of("link to missing document s3://broken/stac/scenes/items/gone.json"), problems);
  }

  @Test
  void republishingTheSameItemChangesNothing() {
    CatalogLayout layout = new CatalogLayout("again", null);
    CatalogWriter writer = new CatalogWriter(s3, JSON, layout, VALIDATOR);
    ObjectNode item = Fixtures.sceneItem(layout, "again", true).build();
    assertTrue(writer.publish(item).collectionChanged());
    String before = collectionText(layout);
    assertFalse(writer.publish(item).collectionChanged());
    assertEquals(before, collectionText(layout));
  }

  @Test
  void anItemMadeFromTheSameSourceVersionsIsReportedUnchanged() {
    CatalogLayout layout = new CatalogLayout("again", null);
    CatalogWriter writer = new CatalogWriter(s3, JSON, layout, VALIDATOR);
    List<SourceVersion> v1 =
        List.of(
            new SourceVersion(new S3Uri("raw-bucket", "s/r.hdr"), "\"h1\"", 800),
            new SourceVersion(new S3Uri("raw-bucket", "s/r.img"), "\"d1\"", 4096));
    assertTrue(
        writer.unchanged(StacCollection.SCENES, "rerun", v1).isEmpty(), "nothing published yet");
    writer.publish(Fixtures.sceneItem(layout, "rerun", true).sources(v1).build());
    assertTrue(writer.unchanged(StacCollection.SCENES, "rerun", v1).isPresent());
    List<SourceVersion> replaced =
        List.of(v1.get(0), new SourceVersion(v1.get(1).object(), "\"d2\"", 4096));
    assertTrue(
        writer.unchanged(StacCollection.SCENES, "rerun", replaced).isEmpty(), "data replaced");
  }

  /**
   * Six publishers add 36 items with different footprints and times to one collection at once:
   * every item ends up linked and inside the extents (no lost update), and the publishers did
   * collide (the conditional-write retry ran).
   */
  @Test
  void concurrentPublishersLoseNoItemAndNoExtent() throws Exception {
    CatalogLayout layout = new CatalogLayout("race", null);
    int writers = 6, each = 6;
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    List<Future<Integer>> results = new ArrayList<>();
    try {
      for (int w = 0; w < writers; w++) {
        int writer = w;
        results.add(
            pool.submit(
                () -> {
                  CatalogWriter cw = new CatalogWriter(s3, JSON, layout, VALIDATOR);
                  go.await();
                  int maxAttempts = 0;
                  for (int i = 0; i < each; i++) {
                    int n = writer * each + i;
                    double lon = -120 + n * 0.1, lat = 39 + n * 0.01;
                    ObjectNode item =
                        new ItemBuilder(JSON, layout, StacCollection.SCENES, "s" + n)
                            .time(
                                AcquisitionTime.resolve(
                                    String.format("2021-06-%02dT12:00:00Z", 1 + n % 28),
                                    null,
                                    null))
                            .geometry(
                                ItemGeometry.ofCorners(
                                    List.of(
                                        new double[] {lon, lat + 0.05},
                                        new double[] {lon + 0.05, lat + 0.05},
                                        new double[] {lon + 0.05, lat},
                                        new double[] {lon, lat})))
                            .build();
                    maxAttempts = Math.max(maxAttempts, cw.publish(item).attempts());
                  }
                  return maxAttempts;
                }));
      }
      go.countDown();
      int maxAttempts = 0;
      for (Future<Integer> f : results)
        maxAttempts = Math.max(maxAttempts, f.get(180, TimeUnit.SECONDS));
      JsonNode coll = JSON.readTree(collectionText(layout));
      Set<String> linked = new HashSet<>();
      for (JsonNode l : coll.get("links"))
        if ("item".equals(l.get("rel").asText())) linked.add(l.get("href").asText());
      assertEquals(writers * each, linked.size(), "items linked: " + linked);
      int last = writers * each - 1;
      assertEquals(
          List.of(-120.0, 39.0, -120 + last * 0.1 + 0.05, 39 + last * 0.01 + 0.05),
          List.of(
              coll.at("/extent/spatial/bbox/0/0").asDouble(),
              coll.at("/extent/spatial/bbox/0/1").asDouble(),
              coll.at("/extent/spatial/bbox/0/2").asDouble(),
              coll.at("/extent/spatial/bbox/0/3").asDouble()));
      assertEquals("2021-06-01T12:00:00Z", coll.at("/extent/temporal/interval/0/0").asText());
      assertEquals("2021-06-28T12:00:00Z", coll.at("/extent/temporal/interval/0/1").asText());
      assertEquals(writers * each, coll.get("hsi:georeferenced_items").asInt());
      assertTrue(maxAttempts > 1, "the publishers never collided; the test proved nothing");
    } finally {
      pool.shutdownNow();
    }
  }

  private static String collectionText(CatalogLayout layout) {
    return s3.getObjectAsBytes(b -> b.bucket(layout.bucket()).key("stac/scenes/collection.json"))
        .asUtf8String();
  }
}
