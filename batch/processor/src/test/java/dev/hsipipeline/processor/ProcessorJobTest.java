package dev.hsipipeline.processor;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hsipipeline.hsi.EnviHeader;
import dev.hsipipeline.hsi.Interleave;
import dev.hsipipeline.hsi.testdata.SyntheticScene;
import dev.hsipipeline.job.S3Uri;
import dev.hsipipeline.stac.CatalogWalker;
import dev.hsipipeline.stac.StacValidator;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/** Activator → SQS → processor, in-process against real LocalS3/LocalSqs. */
class ProcessorJobTest {
  /** The key of the default request: every product with its default parameters. */
  static final String ALL = "stats.ndi-860-650.ql-640-550-470-1024";

  @TempDir static Path dir;
  static LocalPipeline p;
  static SyntheticScene scene;
  static String item;
  static String id;

  @BeforeAll
  static void start() throws Exception {
    p = new LocalPipeline(dir.resolve("s3"));
    scene =
        SyntheticScene.of(
            SyntheticScene.Spec.defaults()
                .withSize(40, 30, 60)
                .withInterleave(Interleave.BIP)
                .withByteOrder(ByteOrder.BIG_ENDIAN)
                .withHeaderOffset(64));
    item = LocalPipeline.JSON.readTree(p.activate(scene, "scenes/e2e")).get("item").asText();
    id = item.substring(item.lastIndexOf('/') + 1, item.length() - ".json".length());
  }

  @AfterAll
  static void stop() {
    p.close();
  }

  @Test
  void processesTheActivatedItemIntoAllProducts() throws Exception {
    // force: another test may have published this product already (it would be "unchanged")
    ObjectNode event =
        (ObjectNode) LocalPipeline.JSON.readTree(LocalPipeline.fixture("processor-all.json", item));
    LocalPipeline.Outcome o = p.processor(event.put("force", true).toString(), p.env(1));
    assertEquals(0, o.code(), o.log());
    String prefix = "products/" + id + "/" + ALL + "/";

    // stats: two bands checked against sums computed here from the raw object
    JsonNode stats = p.getJson(prefix + "stats.json");
    EnviHeader h = scene.header();
    byte[] raw = p.get("scenes/e2e.img");
    for (int band : new int[] {10, 35}) {
      JsonNode s = stats.get("bandStats").get(band);
      assertEquals(band, s.get("band").asInt());
      if (!h.isGoodBand(band)) {
        assertFalse(s.get("good").asBoolean());
        assertEquals(0, s.get("count").asLong());
        assertTrue(s.get("mean").isNull());
        continue;
      }
      ByteBuffer bb = ByteBuffer.wrap(raw).order(ByteOrder.BIG_ENDIAN);
      BigDecimal sum = BigDecimal.ZERO, sq = BigDecimal.ZERO;
      long n = 0;
      for (int y = 0; y < h.lines(); y++)
        for (int x = 0; x < h.samples(); x++) {
          short v = bb.getShort(64 + ((y * h.samples() + x) * h.bands() + band) * 2);
          if (v == -9999) continue;
          n++;
          sum = sum.add(BigDecimal.valueOf(v));
          sq = sq.add(BigDecimal.valueOf((long) v * v));
        }
      MathContext mc = new MathContext(40);
      BigDecimal mean = sum.divide(BigDecimal.valueOf(n), mc);
      BigDecimal var = sq.divide(BigDecimal.valueOf(n), mc).subtract(mean.multiply(mean));
      assertEquals(n, s.get("count").asLong());
      assertEquals(mean.doubleValue(), s.get("mean").asDouble(), "band " + band);
      assertEquals(
          var.sqrt(mc).doubleValue(),
          s.get("std").asDouble(),
          1e-12 * var.sqrt(mc).doubleValue(),
          "band " + band);
    }
    assertTrue(h.goodBands().contains(false));

    // ndi: a float32 COG (pixels checked against GDAL in ProductsGdalTest)
    byte[] ndi = p.get(prefix + "ndi.tif");
    assertTrue(ndi[0] == 'I' && ndi[1] == 'I', "little-endian TIFF");

    // quicklook: an RGB COG and the PNG thumbnail
    assertTrue(p.exists(prefix + "quicklook.tif"));
    BufferedImage img = ImageIO.read(new ByteArrayInputStream(p.get(prefix + "quicklook.png")));
    assertEquals(40, img.getWidth());
    assertEquals(30, img.getHeight());

    // the product item, published into the catalog last
    String productKey = "stac/products/items/" + id + "." + ALL + ".json";
    S3Uri productUri = new S3Uri("hsi-data", productKey);
    JsonNode product = p.getJson(productKey);
    assertEquals(List.of(), new StacValidator().validate(product), "a valid STAC item");
    assertEquals(id + "." + ALL, product.get("id").asText());
    assertEquals("hsi-products", product.get("collection").asText());
    for (String asset : List.of("stats", "ndi", "quicklook", "thumbnail", "scene"))
      assertTrue(product.get("assets").has(asset), asset);
    assertEquals(
        "s3://hsi-data/" + prefix + "quicklook.tif", href(productUri, product, "quicklook"));
    assertEquals(
        "s3://hsi-data/" + prefix + "quicklook.png", href(productUri, product, "thumbnail"));
    assertEquals(
        "s3://hsi-data/activated/" + id + "/" + id + ".tif", href(productUri, product, "scene"));
    assertEquals(
        "image/tiff; application=geotiff; profile=cloud-optimized",
        product.at("/assets/ndi/type").asText());
    assertEquals(ALL, product.at("/properties/hsi:product_key").asText());
    assertEquals(
        stats.get("bandStats").get(35).get("mean").asDouble(),
        product.at("/assets/scene/raster:bands/35/statistics/mean").asDouble(),
        "the per-band statistics live in the item too");
    assertTrue(product.at("/properties/hsi:ndi/valid_pixels").asLong() > 0);
    assertEquals(2, product.at("/properties/hsi:sources").size(), "the ENVI header and data");
    JsonNode derived = null;
    for (JsonNode l : product.get("links"))
      if (l.get("rel").asText().equals("derived_from")) derived = l;
    assertNotNull(derived, product.get("links").toString());
    assertEquals(item, CatalogWalker.resolve(productUri, derived.get("href").asText()).toString());
    CatalogWalker.Walk walk =
        CatalogWalker.walk(
            p.s3, LocalPipeline.JSON, new StacValidator(), new S3Uri("hsi-data", "catalog.json"));
    assertEquals(List.of(), walk.problems());
    assertTrue(walk.documents().containsKey(productUri), "the collection links the item");
    assertTrue(o.log().contains("\"step\":\"compute\""), o.log());
    assertTrue(o.log().contains("\"mbPerSecond\""), o.log());
  }

  @Test
  void singleThreadedAndMultiThreadedRunsWriteIdenticalProducts() throws Exception {
    // force: the same request again would be "unchanged" and write nothing
    String event = "{\"item\":\"" + item + "\",\"force\":true}";
    Map<String, String> one = new HashMap<>(p.env(1));
    one.put("HSI_THREADS", "1");
    one.put("DATA_BUCKET", "hsi-data");
    assertEquals(0, p.processor(event, one).code());
    String prefix = "products/" + id + "/" + ALL + "/";
    byte[] stats1 = p.get(prefix + "stats.json"),
        ndi1 = p.get(prefix + "ndi.tif"),
        ql1 = p.get(prefix + "quicklook.tif"),
        png1 = p.get(prefix + "quicklook.png");
    Map<String, String> many = new HashMap<>(p.env(1));
    many.put("HSI_THREADS", "4");
    many.put("HSI_BLOCK_BYTES", "5000");
    LocalPipeline.Outcome o = p.processor(event, many);
    assertEquals(0, o.code(), o.log());
    assertTrue(o.log().contains("\"step\":\"compute\""), "forced: computed again");
    assertArrayEquals(stats1, p.get(prefix + "stats.json"));
    assertArrayEquals(ndi1, p.get(prefix + "ndi.tif"));
    assertArrayEquals(ql1, p.get(prefix + "quicklook.tif"));
    assertArrayEquals(png1, p.get(prefix + "quicklook.png"));
  }

  @Test
  void requestedSubsetOnlyWritesThoseProducts() throws Exception {
    SyntheticScene other = SyntheticScene.of(SyntheticScene.Spec.defaults().withSize(10, 10, 20));
    String otherItem =
        LocalPipeline.JSON.readTree(p.activate(other, "scenes/subset")).get("item").asText();
    String otherId = otherItem.substring(otherItem.lastIndexOf('/') + 1, otherItem.length() - 5);
    LocalPipeline.Outcome o =
        p.processor(LocalPipeline.fixture("processor-stats-only.json", otherItem), p.env(1));
    assertEquals(0, o.code(), o.log());
    String prefix = "products/" + otherId + "/stats/";
    assertTrue(p.exists(prefix + "stats.json"));
    assertTrue(p.exists("stac/products/items/" + otherId + ".stats.json"));
    assertFalse(p.exists(prefix + "ndi.tif"));
    assertFalse(p.exists(prefix + "quicklook.tif"));
    assertFalse(p.exists(prefix + "quicklook.png"));
  }

  @Test
  void theSameRequestIsUnchangedAndAnotherWavelengthPairIsANewProduct() throws Exception {
    String ndi800 =
        "{\"item\":\"" + item + "\",\"products\":[\"ndi\"],\"ndi\":{\"a\":800,\"b\":600}}";
    LocalPipeline.Outcome first = p.processor(ndi800, p.env(1));
    assertEquals(0, first.code(), first.log());
    String tif800 = "products/" + id + "/ndi-800-600/ndi.tif";
    byte[] before = p.get(tif800);

    LocalPipeline.Outcome again = p.processor(ndi800, p.env(1));
    assertEquals(0, again.code(), again.log());
    assertTrue(again.log().contains("unchanged: product " + id + ".ndi-800-600"), again.log());
    assertTrue(again.log().contains("\"status\":\"unchanged\""), "outcome logged: " + again.log());
    assertFalse(again.log().contains("\"step\":\"compute\""), "no work: " + again.log());

    LocalPipeline.Outcome other = p.processor(ndi800.replace("\"a\":800", "\"a\":700.0"), p.env(1));
    assertEquals(0, other.code(), other.log());
    assertTrue(p.exists("products/" + id + "/ndi-700-600/ndi.tif"), "a new product");
    assertArrayEquals(before, p.get(tif800), "the first pair's NDI is not overwritten");
    assertTrue(p.exists("stac/products/items/" + id + ".ndi-800-600.json"));
    assertTrue(p.exists("stac/products/items/" + id + ".ndi-700-600.json"));
  }

  @Test
  void unknownProductFailsPermanently() throws Exception {
    LocalPipeline.Outcome o =
        p.processor(LocalPipeline.fixture("processor-unknown-product.json", item), p.env(1));
    assertEquals(2, o.code());
    assertTrue(
        o.log()
            .contains(
                "unknown product \\\"ndvi-typo\\\" in event field 'products'; valid products: [stats, ndi, quicklook]"),
        o.log());
  }

  private static String href(S3Uri self, JsonNode item, String asset) {
    return CatalogWalker.resolve(self, item.get("assets").get(asset).get("href").asText())
        .toString();
  }

  @Test
  void missingItemFailsPermanentlyNamingTheUri() {
    LocalPipeline.Outcome o = p.processor("{\"item\":\"s3://hsi-data/items/nope.json\"}", p.env(1));
    assertEquals(2, o.code());
    assertTrue(
        o.log().contains("missing object: s3://hsi-data/items/nope.json does not exist"), o.log());
  }

  @Test
  void truncatedDataFailsPermanentlyWithExpectedAndActualBytes() throws Exception {
    SyntheticScene small =
        SyntheticScene.of(
            SyntheticScene.Spec.defaults().withSize(12, 8, 16).withInterleave(Interleave.BSQ));
    String smallItem =
        LocalPipeline.JSON.readTree(p.activate(small, "scenes/trunc")).get("item").asText();
    p.s3.putObject(
        bld -> bld.bucket("hsi-data").key("scenes/trunc.img"),
        RequestBody.fromBytes(new byte[1000]));
    LocalPipeline.Outcome o = p.processor("{\"item\":\"" + smallItem + "\"}", p.env(1));
    assertEquals(2, o.code());
    assertTrue(
        o.log()
            .contains(
                "truncated data: s3://hsi-data/scenes/trunc.img has 1000 bytes, expected 3072 bytes"),
        o.log());
  }

  @Test
  void eventStoredInS3AndFaultInjectionWork() throws Exception {
    p.s3.putObject(
        b -> b.bucket("hsi-data").key("payloads/p1.json"),
        RequestBody.fromString(
            "{\"item\":\""
                + item
                + "\",\"products\":[\"quicklook\"],\"faults\":{\"failAttempts\":1}}"));
    LocalPipeline.Outcome first = p.processor("s3://hsi-data/payloads/p1.json", p.env(1));
    assertEquals(1, first.code());
    assertTrue(first.log().contains("injected transient failure"), first.log());
    LocalPipeline.Outcome second = p.processor("s3://hsi-data/payloads/p1.json", p.env(2));
    assertEquals(0, second.code(), second.log());
  }

  @Test
  void corruptItemFailsPermanently() {
    p.s3.putObject(
        b -> b.bucket("hsi-data").key("items/broken.json"),
        RequestBody.fromString("{\"id\": \"broken\", \"assets\": {}}"));
    LocalPipeline.Outcome o =
        p.processor("{\"item\":\"s3://hsi-data/items/broken.json\"}", p.env(1));
    assertEquals(2, o.code());
    assertTrue(
        o.log()
            .contains("corrupt object s3://hsi-data/items/broken.json: missing assets.header.href"),
        o.log());
  }
}
