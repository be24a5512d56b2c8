package dev.hsipipeline.local.console.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.hsipipeline.local.aws.LocalSqs;
import dev.hsipipeline.local.aws.QueueSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The console's JSON API and static files, against a real ElasticMQ and real SDK clients. */
class ConsoleApiTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static LocalSqs sqsServer;
  private static SqsClient sqs;
  private static HttpServer http;
  private static URI base;
  private static Path dataDir;
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  @BeforeAll
  static void start(@TempDir Path tmp) throws IOException {
    Map<String, QueueSpec> specs =
        QueueSpec.fromSettingsByRole(repoRoot().resolve("terraform/queues.json"));
    sqsServer =
        LocalSqs.start(
            new LocalSqs.Config(
                "127.0.0.1", 0, "us-east-1", "000000000000", List.copyOf(specs.values())));
    sqs =
        SqsClient.builder()
            .endpointOverride(sqsServer.endpoint())
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
            .httpClient(UrlConnectionHttpClient.create())
            .build();
    List<QueueBinding> bindings =
        specs.entrySet().stream()
            .map(
                e ->
                    new QueueBinding(
                        e.getKey(),
                        sqsServer.queueUrl(e.getValue().name()),
                        sqsServer.queueUrl(e.getValue().dlqName())))
            .toList();
    dataDir = tmp;
    http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    ConsoleRoutes.install(http::createContext, new ConsoleConfig(sqs, bindings, dataDir));
    http.start();
    base = URI.create("http://127.0.0.1:" + http.getAddress().getPort());
  }

  @AfterAll
  static void stop() {
    if (http != null) {
      http.stop(0);
    }
    if (sqs != null) {
      sqs.close();
    }
    if (sqsServer != null) {
      sqsServer.close();
    }
  }

  @BeforeEach
  void emptyQueues() {
    for (String name : sqsServer.queueNames()) {
      sqs.purgeQueue(b -> b.queueUrl(sqsServer.queueUrl(name)));
    }
  }

  static Path repoRoot() {
    String home = System.getProperty("pipeline.home");
    Path p = home != null ? Path.of(home) : Path.of("").toAbsolutePath();
    while (p != null && !Files.exists(p.resolve("terraform/queues.json"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException("cannot find the repository root (terraform/queues.json)");
    }
    return p;
  }

  // ------------------------------------------------------------------ static files

  @Test
  void servesThePageWithContentTypesAndAStrictContentSecurityPolicy() throws Exception {
    HttpResponse<String> index = get("/console/");
    assertEquals(200, index.statusCode());
    assertTrue(index.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
    String csp = index.headers().firstValue("Content-Security-Policy").orElse("");
    assertTrue(csp.contains("script-src 'self'"), csp);
    assertFalse(csp.contains("unsafe-inline"), csp);
    assertTrue(index.body().contains("js/app.js"));

    for (var e :
        Map.of(
                "/console/js/app.js", "text/javascript",
                "/console/js/graph.js", "text/javascript",
                "/console/css/console.css", "text/css",
                "/console/favicon.svg", "image/svg+xml")
            .entrySet()) {
      HttpResponse<String> r = get(e.getKey());
      assertEquals(200, r.statusCode(), e.getKey());
      assertTrue(
          r.headers().firstValue("Content-Type").orElse("").startsWith(e.getValue()), e.getKey());
      assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(""));
    }
  }

  @Test
  void refusesPathsOutsideTheConsoleFolder() throws Exception {
    for (String path :
        List.of(
            "/console/../logback.xml",
            "/console/js/../../logback.xml",
            "/console/%2e%2e/logback.xml",
            "/console/..%2fconsole/index.html",
            "/console/js/",
            "/console/js",
            "/console/.hidden.js",
            "/console/dev/hsipipeline/local/console/Console.class",
            "/console/index.html%00.js",
            "/console/js\\app.js")) {
      int status =
          rawStatus("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
      assertTrue(status == 404 || status == 400, path + " gave " + status);
    }
  }

  @Test
  void refusesRequestsAddressedToAnotherHost() throws Exception {
    assertEquals(
        403,
        rawStatus(
            "GET /console/ HTTP/1.1\r\nHost: evil.example:8083\r\nConnection: close\r\n\r\n"));
    assertEquals(
        403,
        rawStatus(
            "GET /console/api/queues HTTP/1.1\r\nHost: attacker.test\r\nConnection: close\r\n\r\n"));
    assertEquals(
        200, rawStatus("GET /console/ HTTP/1.1\r\nHost: localhost:1\r\nConnection: close\r\n\r\n"));
  }

  // ------------------------------------------------------------------ queues

  @Test
  void listsEachQueueWithItsDeadLetterQueueAndCounts() throws Exception {
    String activator = sqsServer.queueUrl("activator-queue");
    sqs.sendMessage(b -> b.queueUrl(activator).messageBody("{\"a\":1}"));
    sqs.sendMessage(b -> b.queueUrl(activator).messageBody("{\"a\":2}"));
    sqs.sendMessage(b -> b.queueUrl(sqsServer.queueUrl("processor-dlq")).messageBody("dead"));
    // One in flight: received but not deleted.
    sqs.receiveMessage(b -> b.queueUrl(activator).maxNumberOfMessages(1).visibilityTimeout(60));

    JsonNode queues = json(get("/console/api/queues")).path("queues");
    assertEquals(2, queues.size());
    JsonNode a = find(queues, "activator");
    assertEquals("activator-queue", a.path("queue").path("name").asText());
    assertEquals(
        "arn:aws:sqs:us-east-1:000000000000:activator-queue", a.path("queue").path("arn").asText());
    assertEquals(1, a.path("queue").path("visible").asInt());
    assertEquals(1, a.path("queue").path("inFlight").asInt());
    assertEquals("activator-dlq", a.path("dlq").path("name").asText());
    assertEquals(
        QueueSpec.fromSettingsByRole(repoRoot().resolve("terraform/queues.json"))
            .get("activator")
            .maxReceiveCount(),
        a.path("maxReceiveCount").asInt(),
        "the redrive policy from queues.json");
    assertEquals(1, find(queues, "processor").path("dlq").path("visible").asInt());
  }

  @Test
  void sendsAMessageToTheChosenQueue() throws Exception {
    String body = "{\"scene\":\"s3://hsi-data/scenes/x.hdr\",\"note\":\"<b>bold</b>\"}";
    HttpResponse<String> r =
        post(
            "/console/api/queues/processor/messages",
            JSON.writeValueAsString(Map.of("body", body)));
    assertEquals(200, r.statusCode(), r.body());
    String id = json(r).path("messageId").asText();
    assertFalse(id.isEmpty());
    var received =
        sqs.receiveMessage(
                b -> b.queueUrl(sqsServer.queueUrl("processor-queue")).waitTimeSeconds(5))
            .messages();
    assertEquals(1, received.size());
    assertEquals(id, received.get(0).messageId());
    assertEquals(body, received.get(0).body());
  }

  @Test
  void aBodyAtTheQueuesMaximumIsSentAndOneByteMoreGetsSqsOwnRefusal() throws Exception {
    int max =
        QueueSpec.fromSettingsByRole(repoRoot().resolve("terraform/queues.json"))
            .get("processor")
            .maxMessageSize();
    String fits = "x".repeat(max);
    HttpResponse<String> sent =
        post(
            "/console/api/queues/processor/messages",
            JSON.writeValueAsString(Map.of("body", fits)));
    assertEquals(200, sent.statusCode(), sent.body());

    HttpResponse<String> refused =
        post(
            "/console/api/queues/processor/messages",
            JSON.writeValueAsString(Map.of("body", fits + "x")));
    assertEquals(400, refused.statusCode());
    assertTrue(
        json(refused)
            .path("message")
            .asText()
            .contains("Message must be shorter than " + max + " bytes"),
        refused.body());
  }

  @Test
  void rejectsBadSendRequestsWithAClearError() throws Exception {
    HttpResponse<String> unknown = post("/console/api/queues/nope/messages", "{\"body\":\"x\"}");
    assertEquals(404, unknown.statusCode());
    assertTrue(json(unknown).path("message").asText().contains("activator"), unknown.body());

    HttpResponse<String> empty = post("/console/api/queues/activator/messages", "{\"body\":\"\"}");
    assertEquals(400, empty.statusCode());
    assertTrue(json(empty).path("message").asText().contains("empty"), empty.body());

    HttpResponse<String> notJson = post("/console/api/queues/activator/messages", "{body:");
    assertEquals(400, notJson.statusCode());
    assertTrue(json(notJson).path("message").asText().contains("not valid JSON"), notJson.body());

    HttpResponse<String> noBody =
        post("/console/api/queues/activator/messages", "{\"text\":\"x\"}");
    assertEquals(400, noBody.statusCode());

    // A form post from another site (no JSON content type) never reaches SQS.
    HttpResponse<String> form =
        CLIENT.send(
            HttpRequest.newBuilder(base.resolve("/console/api/queues/activator/messages"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("body=x"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(415, form.statusCode());
    HttpResponse<String> foreign =
        CLIENT.send(
            HttpRequest.newBuilder(base.resolve("/console/api/queues/activator/messages"))
                .header("Content-Type", "application/json")
                .header("Origin", "http://evil.example")
                .POST(HttpRequest.BodyPublishers.ofString("{\"body\":\"x\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(403, foreign.statusCode());
    HttpResponse<String> wrongMethod = get("/console/api/queues/activator/messages");
    assertEquals(405, wrongMethod.statusCode());
    assertEquals(
        0,
        Integer.parseInt(
            sqs.getQueueAttributes(
                    b ->
                        b.queueUrl(sqsServer.queueUrl("activator-queue"))
                            .attributeNamesWithStrings("ApproximateNumberOfMessages"))
                .attributesAsStrings()
                .get("ApproximateNumberOfMessages")));
  }

  @Test
  void redrivesADeadLetterQueueBackToItsSourceQueue() throws Exception {
    String dlq = sqsServer.queueUrl("activator-dlq");
    for (int i = 0; i < 3; i++) {
      int n = i;
      sqs.sendMessage(b -> b.queueUrl(dlq).messageBody("{\"n\":" + n + "}"));
    }
    HttpResponse<String> r = post("/console/api/queues/activator/redrive", "{}");
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(3, json(r).path("approximateMessages").asInt());
    eventually(
        () -> visible("activator-queue") == 3 && visible("activator-dlq") == 0,
        "3 messages back on activator-queue");
  }

  @Test
  void movesMessagesByHandWhenTheEndpointHasNoMessageMoveTasks() {
    String dlq = sqsServer.queueUrl("processor-dlq");
    for (int i = 0; i < 12; i++) {
      int n = i;
      sqs.sendMessage(b -> b.queueUrl(dlq).messageBody("m" + n));
    }
    QueueService service =
        new QueueService(
            sqs,
            List.of(new QueueBinding("processor", sqsServer.queueUrl("processor-queue"), dlq)));
    assertEquals(
        12,
        service.moveByHand(
            new QueueBinding("processor", sqsServer.queueUrl("processor-queue"), dlq), 12));
    assertEquals(12, visible("processor-queue"));
    assertEquals(0, visible("processor-dlq"));
  }

  // ------------------------------------------------------------------ jobs

  @Test
  void returnsAJobRecordWithEachAttemptsLogLines() throws Exception {
    String jobId = "5b1f3c7e-0000-4000-8000-000000000001";
    String arn = "arn:aws:states:us-east-1:000000000000:execution:pipeline:msg-1";
    writeJob(jobId, arn, "activator");
    Path logs = Files.createDirectories(dataDir.resolve("batch/logs").resolve(jobId));
    Files.writeString(logs.resolve("1.log"), "attempt one\n<script>alert(1)</script>\nboom\n");
    Files.writeString(logs.resolve("2.log"), "attempt two\nok\n");

    JsonNode r = json(get("/console/api/jobs/" + jobId));
    assertEquals(jobId, r.path("job").path("jobId").asText());
    assertEquals(2, r.path("logs").size());
    assertEquals(1, r.path("logs").get(0).path("attempt").asInt());
    assertEquals("<script>alert(1)</script>", r.path("logs").get(0).path("lines").get(1).asText());
    assertEquals("ok", r.path("logs").get(1).path("lines").get(1).asText());

    JsonNode tail = json(get("/console/api/jobs/" + jobId + "?tail=1"));
    assertEquals("boom", tail.path("logs").get(0).path("lines").get(0).asText());
    assertTrue(tail.path("logs").get(0).path("truncated").asBoolean());
    assertEquals(2, tail.path("logs").get(0).path("skippedLines").asInt());

    JsonNode ofExecution =
        json(
            get(
                "/console/api/jobs?executionArn="
                    + java.net.URLEncoder.encode(arn, StandardCharsets.UTF_8)));
    assertEquals(1, ofExecution.path("jobs").size());
    assertEquals(jobId, ofExecution.path("jobs").get(0).path("jobId").asText());
  }

  @Test
  void answersUnknownOrMalformedJobIdsWithClearErrors() throws Exception {
    HttpResponse<String> missing = get("/console/api/jobs/does-not-exist");
    assertEquals(404, missing.statusCode());
    assertTrue(json(missing).path("message").asText().contains("does-not-exist"));
    assertEquals(400, get("/console/api/jobs/..%2f..%2fetc").statusCode());
    assertEquals(400, get("/console/api/jobs/x?tail=0").statusCode());
    assertEquals(400, get("/console/api/jobs").statusCode());
    assertEquals(404, get("/console/api/nothing-here").statusCode());
  }

  // ------------------------------------------------------------------ helpers

  private static void writeJob(String jobId, String executionArn, String name) throws IOException {
    Path jobs = Files.createDirectories(dataDir.resolve("batch/jobs"));
    var job = JSON.createObjectNode();
    job.put("jobId", jobId);
    job.put("jobName", name);
    job.put("status", "SUCCEEDED");
    job.put("createdAt", System.currentTimeMillis());
    var env = job.putObject("container").putArray("environment");
    env.addObject().put("name", "PIPELINE_EXECUTION_ARN").put("value", executionArn);
    var attempt = job.putArray("attempts").addObject();
    attempt.putObject("container").put("exitCode", 0);
    Files.write(jobs.resolve(jobId + ".json"), JSON.writeValueAsBytes(job));
  }

  private static long visible(String queue) {
    return Long.parseLong(
        sqs.getQueueAttributes(
                b ->
                    b.queueUrl(sqsServer.queueUrl(queue))
                        .attributeNamesWithStrings("ApproximateNumberOfMessages"))
            .attributesAsStrings()
            .get("ApproximateNumberOfMessages"));
  }

  private static void eventually(BooleanSupplier condition, String what) {
    Awaitility.await(what)
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(condition::getAsBoolean);
  }

  private static JsonNode find(JsonNode queues, String key) {
    for (JsonNode q : queues) {
      if (key.equals(q.path("key").asText())) {
        return q;
      }
    }
    throw new AssertionError("no queue " + key + " in " + queues);
  }

  private static JsonNode json(HttpResponse<String> r) throws IOException {
    assertNotNull(r.body());
    return JSON.readTree(r.body());
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return CLIENT.send(
        HttpRequest.newBuilder(base.resolve(path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> post(String path, String body) throws Exception {
    return CLIENT.send(
        HttpRequest.newBuilder(base.resolve(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Sends a raw request (paths and Host headers HttpClient would normalise or refuse). */
  private static int rawStatus(String request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", base.getPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      String status = new String(in.readNBytes(12), StandardCharsets.ISO_8859_1);
      return Integer.parseInt(status.substring(9, 12));
    }
  }
}
