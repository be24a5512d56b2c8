package dev.hsipipeline.activator;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hsipipeline.hsi.DataType;
import dev.hsipipeline.hsi.Interleave;
import dev.hsipipeline.hsi.testdata.SyntheticScene;
import dev.hsipipeline.job.AwsClients;
import dev.hsipipeline.job.JobEnv;
import dev.hsipipeline.local.aws.LocalS3;
import dev.hsipipeline.local.aws.LocalSqs;
import dev.hsipipeline.local.aws.QueueSpec;
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
  void writesStacItemWithEoBandsAndEnqueuesProcessorMessage() throws Exception {
    Outcome o = run(fixture("activator-scene.json"), env(1));
    assertEquals(0, o.code(), o.log());
    List<Message> messages = receive();
    assertEquals(1, messages.size(), o.log());
    JsonNode body = JSON.readTree(messages.get(0).body());
    String itemUri = body.get("item").asText();
    assertTrue(itemUri.matches("s3://hsi-data/items/field-bil-[0-9a-f]{8}\\.json"), itemUri);
    assertEquals(
        List.of("stats", "ndi", "quicklook"), JSON.convertValue(body.get("products"), List.class));

    JsonNode item = readJson("hsi-data", itemUri.substring("s3://hsi-data/".length()));
    assertEquals("Feature", item.get("type").asText());
    assertEquals("1.0.0", item.get("stac_version").asText());
    assertEquals(
        "https://stac-extensions.github.io/eo/v1.1.0/schema.json",
        item.get("stac_extensions").get(0).asText());
    assertTrue(item.get("geometry").isNull());
    assertTrue(item.get("properties").hasNonNull("datetime"));
    assertEquals(32, item.get("properties").get("hsi:samples").asInt());
    assertEquals("bil", item.get("properties").get("hsi:interleave").asText());
    assertEquals(
        "s3://hsi-data/scenes/field-bil.hdr",
        item.get("assets").get("header").get("href").asText());
    assertEquals(
        "s3://hsi-data/scenes/field-bil.img", item.get("assets").get("data").get("href").asText());
    JsonNode bands = item.get("assets").get("data").get("eo:bands");
    assertEquals(50, bands.size());
    assertEquals("B001", bands.get(0).get("name").asText());
    assertEquals(
        0.38,
        bands.get(0).get("center_wavelength").asDouble(),
        1e-12,
        "EO wavelengths are in micrometres (the scene's first band is 380 nm)");
    assertEquals(2.51, bands.get(49).get("center_wavelength").asDouble(), 1e-12);
    assertEquals(itemUri, item.get("links").get(0).get("href").asText());
    assertFalse(
        item.get("properties").get("hsi:bad_bands").isEmpty(), "water absorption bands are listed");
    for (String step :
        List.of(
            "\"step\":\"locate\"",
            "\"step\":\"header\"",
            "\"step\":\"validate\"",
            "\"step\":\"cog\"",
            "\"step\":\"item\"",
            "\"step\":\"enqueue\"")) {
      assertTrue(o.log().contains(step), step);
    }

    // The activated scene: a COG under activated/<id>/<id>.tif, an asset of the item.
    String id = item.get("id").asText();
    JsonNode cog = item.get("assets").get("cog");
    assertEquals("s3://hsi-data/activated/" + id + "/" + id + ".tif", cog.get("href").asText());
    assertEquals(
        "image/tiff; application=geotiff; profile=cloud-optimized", cog.get("type").asText());
    byte[] tif =
        s3.getObjectAsBytes(b -> b.bucket("hsi-data").key("activated/" + id + "/" + id + ".tif"))
            .asByteArray();
    assertEquals(cog.get("file:size").asLong(), tif.length);
    assertTrue(
        tif[0] == 'I' && tif[1] == 'I' && (tif[2] == 42 || tif[2] == 43), "a little-endian TIFF");
    // Sample scenes are georeferenced by default (ADR 0103).
    assertTrue(item.get("properties").get("hsi:georeferenced").asBoolean());
    assertTrue(o.log().contains("\"msg\":\"activated scene written\""), o.log());
  }

  @Test
  void dataFileUriFindsItsHeaderAndRerunsWriteTheSameItem() throws Exception {
    Outcome first = run(fixture("activator-scene.json"), env(1));
    Outcome second = run(fixture("activator-data-file.json"), env(1));
    assertEquals(0, first.code(), first.log());
    assertEquals(0, second.code(), second.log());
    List<Message> messages = receive();
    assertEquals(2, messages.size());
    JsonNode a = JSON.readTree(messages.get(0).body()), b = JSON.readTree(messages.get(1).body());
    assertEquals(a.get("item"), b.get("item"), "same scene → same item key");
    String key = a.get("item").asText().substring("s3://hsi-data/".length());
    JsonNode item1 = readJson("hsi-data", key);
    assertEquals(0, run(fixture("activator-scene.json"), env(1)).code());
    assertEquals(item1, readJson("hsi-data", key), "re-running is harmless: identical item");
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
    String event =
        "{\"scene\":\"s3://hsi-data/scenes/field-bil.hdr\",\"faults\":{\"failAttempts\":1}}";
    Outcome first = run(event, env(1));
    assertEquals(1, first.code());
    assertTrue(first.log().contains("injected transient failure"), first.log());
    assertTrue(receive().isEmpty(), "nothing is sent by a failed attempt");
    assertEquals(0, run(event, env(2)).code());
    assertEquals(1, receive().size());
  }
}
