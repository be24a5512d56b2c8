package dev.hsipipeline.activator;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hsipipeline.hsi.DataType;
import dev.hsipipeline.hsi.Interleave;
import dev.hsipipeline.hsi.testdata.SyntheticScene;
import dev.hsipipeline.job.AwsClients;
import dev.hsipipeline.job.JobEnv;
import dev.hsipipeline.job.S3Uri;
import dev.hsipipeline.local.aws.LocalS3;
import dev.hsipipeline.local.aws.LocalSqs;
import dev.hsipipeline.local.aws.QueueSpec;
import dev.hsipipeline.stac.CatalogLayout;
import dev.hsipipeline.stac.CatalogWalker;
import dev.hsipipeline.stac.StacValidator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

class ActivatorJobTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path dir;
  static LocalS3 s3Server;
  static LocalSqs sqsServer;
  static S3Client s3;
  static SqsClient sqs;
  static String queueUrl;
  static SyntheticScene scene;

  @BeforeAll
  static void start() {
    s3Server = LocalS3.start(new LocalS3.Config("127.0.0.1", 0, dir.resolve("s3")));
    s3Server.createBucket("hsi-data");
    sqsServer =
        LocalSqs.start(
            new LocalSqs.Config(
                "127.0.0.1",
                0,
                "us-east-1",
                "000000000000",
                List.of(new QueueSpec("processor-queue", "processor-dlq", 3, 30, 0))));
    queueUrl = sqsServer.queueUrl("processor-queue");
    JobEnv env = JobEnv.from(env(1));
    s3 = AwsClients.s3(env);
    sqs = AwsClients.sqs(env);
    scene =
        SyntheticScene.of(
            SyntheticScene.Spec.defaults().withSize(32, 24, 50).withInterleave(Interleave.BIL));
    scene.upload(s3, "hsi-data", "scenes/field-bil");
  }

  @AfterAll
  static void stop() {
    s3.close();
    sqs.close();
    sqsServer.close();
    s3Server.close();
  }

  @BeforeEach
  void drain() {
    sqs.purgeQueue(b -> b.queueUrl(queueUrl));
  }

  static Map<String, String> env(int attempt) {
    Map<String, String> env = new HashMap<>();
    env.put("AWS_BATCH_JOB_ID", "act-1");
    env.put("AWS_BATCH_JOB_ATTEMPT", Integer.toString(attempt));
    env.put("AWS_REGION", "us-east-1");
    env.put("AWS_ACCESS_KEY_ID", "test");
    env.put("AWS_SECRET_ACCESS_KEY", "test");
    env.put("AWS_ENDPOINT_URL_S3", s3Server.endpoint().toString());
    env.put("AWS_ENDPOINT_URL_SQS", sqsServer.endpoint().toString());
    env.put("DATA_BUCKET", "hsi-data");
    env.put("PROCESSOR_QUEUE_URL", queueUrl);
    env.put("PIPELINE_FAULT_INJECTION", "true"); // as the local stack sets it
    return env;
  }

  record Outcome(int code, String log) {}

  static Outcome run(String event, Map<String, String> env) {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int code =
        Main.run(new String[] {event}, env, new PrintStream(buf, true, StandardCharsets.UTF_8));
    return new Outcome(code, buf.toString(StandardCharsets.UTF_8));
  }

  static String fixture(String name) throws IOException {
    try (InputStream in = ActivatorJobTest.class.getResourceAsStream("/events/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  static List<Message> receive() {
    return sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1))
        .messages();
  }

  static JsonNode readJson(String bucket, String key) throws IOException {
    return JSON.readTree(s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray());
  }

  @Test
  void writesTheCogPublishesTheSceneItemAndEnqueuesProcessorMessage() throws Exception {
    Outcome o = run(fixture("activator-scene.json"), env(1));
    assertEquals(0, o.code(), o.log());
    List<Message> messages = receive();
    assertEquals(1, messages.size(), o.log());
    JsonNode body = JSON.readTree(messages.get(0).body());
    String itemUri = body.get("item").asText();
    assertTrue(
        itemUri.matches("s3://hsi-data/stac/scenes/items/field-bil-[0-9a-f]{8}\\.json"), itemUri);
    assertEquals(
        List.of("stats", "ndi", "quicklook"), JSON.convertValue(body.get("products"), List.class));
    assertFalse(body.has("force"));

    S3Uri self = S3Uri.parse(itemUri);
    JsonNode item = readJson("hsi-data", self.key());
    assertEquals(List.of(), new StacValidator().validate(item), "a valid STAC item");
    assertEquals("Feature", item.get("type").asText());
    assertEquals("hsi-scenes", item.get("collection").asText());
    assertEquals(32, item.get("properties").get("hsi:samples").asInt());
    assertEquals("bil", item.get("properties").get("hsi:interleave").asText());
    assertEquals("Polygon", item.get("geometry").get("type").asText(), "a WGS 84 footprint");
    assertEquals(32611, item.get("properties").get("proj:epsg").asInt());
    assertEquals(
        "s3://hsi-data/scenes/field-bil.hdr",
        href(self, item, "header"),
        "asset hrefs are relative to the item");
    assertEquals("s3://hsi-data/scenes/field-bil.img", href(self, item, "envi"));
    JsonNode bands = item.get("assets").get("envi").get("eo:bands");
    assertEquals(50, bands.size());
    assertEquals(
        0.38,
        bands.get(0).get("center_wavelength").asDouble(),
        1e-12,
        "EO wavelengths are in micrometres (the scene's first band is 380 nm)");
    assertEquals(2.51, bands.get(49).get("center_wavelength").asDouble(), 1e-12);
    assertFalse(
        item.get("properties").get("hsi:bad_bands").isEmpty(), "water absorption bands are listed");
    JsonNode sources = item.get("properties").get("hsi:sources");
    assertEquals(2, sources.size(), "header and data versions recorded");
    for (String step :
        List.of(
            "\"step\":\"locate\"",
            "\"step\":\"header\"",
            "\"step\":\"validate\"",
            "\"step\":\"check\"",
            "\"step\":\"cog\"",
            "\"step\":\"publish\"",
            "\"step\":\"enqueue\"")) {
      assertTrue(o.log().contains(step), step);
    }

    // The activated scene: a COG under activated/<id>/<id>.tif, an asset of the item.
    String id = item.get("id").asText();
    JsonNode cog = item.get("assets").get("cog");
    assertEquals("s3://hsi-data/activated/" + id + "/" + id + ".tif", href(self, item, "cog"));
    assertEquals(
        "image/tiff; application=geotiff; profile=cloud-optimized", cog.get("type").asText());
    byte[] tif =
        s3.getObjectAsBytes(b -> b.bucket("hsi-data").key("activated/" + id + "/" + id + ".tif"))
            .asByteArray();
    assertEquals(cog.get("file:size").asLong(), tif.length);
    assertTrue(
        tif[0] == 'I' && tif[1] == 'I' && (tif[2] == 42 || tif[2] == 43), "a little-endian TIFF");
    assertTrue(o.log().contains("\"msg\":\"activated scene written\""), o.log());

    // A STAC reader walks from catalog.json to the item and every asset.
    CatalogWalker.Walk walk =
        CatalogWalker.walk(
            s3, JSON, new StacValidator(), new S3Uri("hsi-data", CatalogLayout.ROOT_KEY));
    assertEquals(List.of(), walk.problems());
    assertTrue(walk.documents().containsKey(self), walk.documents().keySet().toString());
    assertTrue(
        walk.assets().contains(new S3Uri("hsi-data", "activated/" + id + "/" + id + ".tif")));
  }

  @Test
  void anUnchangedSceneIsNotActivatedAgainUnlessForced() throws Exception {
    SyntheticScene.Uploaded up = scene.upload(s3, "hsi-data", "scenes/rerun");
    Outcome first = run("{\"scene\":\"" + up.headerUri() + "\"}", env(1));
    assertEquals(0, first.code(), first.log());
    List<Message> sent = receive();
    assertEquals(1, sent.size());
    String itemKey = S3Uri.parse(JSON.readTree(sent.get(0).body()).get("item").asText()).key();
    JsonNode item1 = readJson("hsi-data", itemKey);

    // The same scene named by its data file: same id, same source versions → nothing to do, and
    // the outcome the state machine reads back says so (JobOutcome).
    Map<String, String> inWorkflow = new HashMap<>(env(1));
    inWorkflow.put("PIPELINE_OUTCOME_URI", "s3://hsi-data/outcomes/rerun.json");
    Outcome again = run("{\"scene\":\"" + up.dataUri() + "\"}", inWorkflow);
    assertEquals(0, again.code(), again.log());
    assertTrue(again.log().contains("unchanged: "), again.log());
    JsonNode outcome = readJson("hsi-data", "outcomes/rerun.json");
    assertEquals("unchanged", outcome.get("status").asText(), outcome.toString());
    assertTrue(outcome.get("message").asText().contains("same ETag and size"), outcome.toString());
    assertEquals("s3://hsi-data/" + itemKey, outcome.at("/outputs/item").asText());
    assertFalse(again.log().contains("\"step\":\"cog\""), "no conversion: " + again.log());
    assertTrue(receive().isEmpty(), "no second processor message");
    assertEquals(item1, readJson("hsi-data", itemKey), "the item is untouched");

    // force: redone, and the processor is told to redo its products too.
    Outcome forced = run("{\"scene\":\"" + up.headerUri() + "\",\"force\":true}", env(1));
    assertEquals(0, forced.code(), forced.log());
    List<Message> redo = receive();
    assertEquals(1, redo.size());
    assertTrue(JSON.readTree(redo.get(0).body()).get("force").asBoolean());

    // A replaced data object (another ETag) is activated again without force.
    SyntheticScene.of(SyntheticScene.Spec.defaults().withSize(32, 24, 50).withSeed(7))
        .upload(s3, "hsi-data", "scenes/rerun");
    Outcome replaced = run("{\"scene\":\"" + up.headerUri() + "\"}", env(1));
    assertEquals(0, replaced.code(), replaced.log());
    assertEquals(1, receive().size(), replaced.log());
    assertNotEquals(
        item1.at("/properties/hsi:sources"),
        readJson("hsi-data", itemKey).at("/properties/hsi:sources"));
  }

  @Test
  void forceMustBeABoolean() {
    Outcome o = run("{\"scene\":\"s3://hsi-data/scenes/field-bil.hdr\",\"force\":\"yes\"}", env(1));
    assertEquals(2, o.code());
    assertTrue(o.log().contains("event field 'force' must be true or false"), o.log());
  }

  private static String href(S3Uri self, JsonNode item, String asset) {
    return CatalogWalker.resolve(self, item.get("assets").get(asset).get("href").asText())
        .toString();
  }

  @Test
  void missingSceneFailsPermanentlyNamingTheUri() {
    Outcome o = run("{\"scene\":\"s3://hsi-data/scenes/nope.hdr\"}", env(1));
    assertEquals(2, o.code());
    assertTrue(
        o.log().contains("missing object: s3://hsi-data/scenes/nope.hdr does not exist"), o.log());
    assertTrue(receive().isEmpty());
  }

  @Test
  void headerWithoutDataFailsNamingWhatWasLookedFor() {
    s3.putObject(
        b -> b.bucket("hsi-data").key("lonely/alone.hdr"),
        RequestBody.fromString(scene.headerText()));
    Outcome o = run("{\"scene\":\"s3://hsi-data/lonely/alone.hdr\"}", env(1));
    assertEquals(2, o.code());
    assertTrue(
        o.log()
            .contains(
                "no data file next to header s3://hsi-data/lonely/alone.hdr (looked for alone, alone.img, alone.dat"),
        o.log());
  }

  @Test
  void corruptHeaderFailsNamingKeyAndProblem() {
    s3.putObject(
        b -> b.bucket("hsi-data").key("bad/cube.hdr"),
        RequestBody.fromString(scene.headerText().replace("data type = 2", "data type = 9")));
    s3.putObject(
        b -> b.bucket("hsi-data").key("bad/cube.img"), RequestBody.fromBytes(new byte[10]));
    Outcome o = run("{\"scene\":\"s3://hsi-data/bad/cube.hdr\"}", env(1));
    assertEquals(2, o.code());
    assertTrue(
        o.log()
            .contains(
                "corrupt header: s3://hsi-data/bad/cube.hdr: key 'data type': unsupported value 9 (complex128)"),
        o.log());
  }

  @Test
  void truncatedDataFailsWithExpectedAndActualBytes() {
    SyntheticScene small =
        SyntheticScene.of(
            SyntheticScene.Spec.defaults()
                .withSize(8, 4, 10)
                .withDataType(DataType.FLOAT32)
                .withByteOrder(ByteOrder.BIG_ENDIAN));
    s3.putObject(
        b -> b.bucket("hsi-data").key("trunc/c.hdr"), RequestBody.fromString(small.headerText()));
    s3.putObject(
        b -> b.bucket("hsi-data").key("trunc/c.img"), RequestBody.fromBytes(new byte[1000]));
    Outcome o = run("{\"scene\":\"s3://hsi-data/trunc/c.img\"}", env(1));
    assertEquals(2, o.code());
    assertTrue(
        o.log()
            .contains(
                "truncated data: s3://hsi-data/trunc/c.img has 1000 bytes, expected 1280 bytes (header offset 0 + 8 samples × 4 lines × 10 bands × 4 bytes (float32))"),
        o.log());
  }

  @Test
  void unknownProductAndMissingQueueConfigArePermanent() throws Exception {
    Outcome o = run(fixture("activator-unknown-product.json"), env(1));
    assertEquals(2, o.code());
    assertTrue(
        o.log()
            .contains(
                "unknown product \\\"nvdi\\\" in event field 'products'; valid products: [stats, ndi, quicklook]"),
        o.log());
    Map<String, String> noQueue = new HashMap<>(env(1));
    noQueue.remove("PROCESSOR_QUEUE_URL");
    Outcome q = run(fixture("activator-scene.json"), noQueue);
    assertEquals(2, q.code());
    assertTrue(q.log().contains("environment variable PROCESSOR_QUEUE_URL is not set"), q.log());
    assertTrue(receive().isEmpty());
  }

  @Test
  void injectedFaultFailsFirstAttemptOnly() {
    SyntheticScene.Uploaded up = scene.upload(s3, "hsi-data", "scenes/faulty");
    String event = "{\"scene\":\"" + up.headerUri() + "\",\"faults\":{\"failAttempts\":1}}";
    Outcome first = run(event, env(1));
    assertEquals(1, first.code());
    assertTrue(first.log().contains("injected transient failure"), first.log());
    assertTrue(receive().isEmpty(), "nothing is sent by a failed attempt");
    assertEquals(0, run(event, env(2)).code());
    assertEquals(1, receive().size());
  }
}
