package dev.hsipipeline.local.esm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hsipipeline.local.LocalStack;
import dev.hsipipeline.local.aws.LocalSqs;
import dev.hsipipeline.local.aws.QueueSpec;
import dev.hsipipeline.local.esm.internal.InvokePayload;
import dev.hsipipeline.local.testlambda.TestLambdas;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

class EventSourceMappingTest {
  @TempDir static Path dir;
  private static LocalSqs sqs;
  private static SqsClient client;
  private static Path functionJar;
  private Path outFile;
  private LambdaFunction function;
  private EventSourceMapping esm;

  @BeforeAll
  static void servers() throws Exception {
    sqs =
        LocalSqs.start(
            new LocalSqs.Config(
                "127.0.0.1",
                0,
                "us-east-1",
                "000000000000",
                List.of(
                    // No test depends on how fast a loaded machine receives, invokes and deletes:
                    // "partial" keeps a received record invisible far longer than a round trip
                    // takes (nothing is redelivered there), "failing" redelivers quickly and holds
                    // only records that fail (any redelivery there is expected).
                    new QueueSpec("partial", "partial-dlq", 2, 120, 0),
                    new QueueSpec("failing", "failing-dlq", 2, 2, 0),
                    new QueueSpec("throwing", "throwing-dlq", 2, 3, 0),
                    new QueueSpec("large", "large-dlq", 2, 60, 0),
                    new QueueSpec("warm-up", null, 0, 30, 0, 3600, 3600))));
    client =
        SqsClient.builder()
            .endpointOverride(sqs.endpoint())
            .region(Region.US_EAST_1)
            .credentialsProvider(LocalStack.credentials())
            .httpClient(UrlConnectionHttpClient.create())
            .build();
    functionJar = TestLambdas.recordingHandlerJar(dir);
    // A first round trip through the server, so no test pays for its cold start.
    String warmUp = sqs.queueUrl("warm-up");
    client.sendMessage(b -> b.queueUrl(warmUp).messageBody("warm-up"));
    for (Message m : client.receiveMessage(b -> b.queueUrl(warmUp).waitTimeSeconds(1)).messages()) {
      client.deleteMessage(b -> b.queueUrl(warmUp).receiptHandle(m.receiptHandle()));
    }
  }

  @AfterAll
  static void stopServers() {
    client.close();
    long t0 = System.nanoTime();
    sqs.close();
    assertTrue(
        System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(15),
        "stopped mappings leave no long poll behind that would hold the server");
  }

  @AfterEach
  void stop() {
    if (esm != null) {
      esm.stop(Duration.ofSeconds(10));
    }
    if (function != null) {
      function.close();
    }
  }

  private void start(String queue, Duration window) throws Exception {
    load(queue);
    // A warm function, as after its first invocation: class loading is not timed by a test.
    assertTrue(
        function
            .invoke(List.of(message("warm-up", "warm-up")), sqs.queueArn(queue))
            .allSucceeded());
    esm =
        EventSourceMapping.start(
            new EventSourceMapping.Settings(
                sqs.queueUrl(queue), sqs.queueArn(queue), 10, window, 2, 2),
            client,
            function);
  }

  private void load(String queue) throws Exception {
    outFile = Files.createTempFile(dir, queue, ".tsv");
    function =
        LambdaFunction.load(
            new LambdaFunction.Config(
                functionJar,
                "dev.hsipipeline.local.testlambda.RecordingHandler",
                "recording",
                Map.of("OUT_FILE", outFile.toString()),
                "us-east-1",
                "000000000000",
                256,
                30_000));
  }

  private List<String[]> lines() throws Exception {
    List<String[]> out = new ArrayList<>();
    for (String l : Files.readAllLines(outFile)) {
      out.add(l.split("\t", -1));
    }
    return out;
  }

  private List<String[]> linesFor(String body) throws Exception {
    return lines().stream().filter(l -> l[0].equals(body)).toList();
  }

  private static void await(String what, BooleanSupplier condition) {
    Awaitility.await(what)
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(50))
        .until(condition::getAsBoolean);
  }

  private static List<String> drain(String queue) {
    List<String> bodies = new ArrayList<>();
    for (Message m :
        client
            .receiveMessage(
                b -> b.queueUrl(sqs.queueUrl(queue)).maxNumberOfMessages(10).waitTimeSeconds(1))
            .messages()) {
      bodies.add(m.body());
    }
    return bodies;
  }

  private static int visibleAndInFlight(String queue) {
    var a =
        client
            .getQueueAttributes(
                b ->
                    b.queueUrl(sqs.queueUrl(queue))
                        .attributeNames(
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
            .attributes();
    return Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
        + Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
  }

  private static boolean unchecked(ThrowingSupplier s) {
    try {
      return s.get();
    } catch (Exception e) {
      throw new RuntimeException(e);
    }
  }

  private interface ThrowingSupplier {
    boolean get() throws Exception;
  }

  @Test
  void deliversLambdaShapedEventsAndDeletesOnlySuccessfulRecords() throws Exception {
    start("partial", Duration.ofMillis(300));
    client.sendMessageBatch(
        b ->
            b.queueUrl(sqs.queueUrl("partial"))
                .entries(
                    SendMessageBatchRequestEntry.builder()
                        .id("1")
                        .messageBody("ok-1")
                        .messageAttributes(
                            Map.of(
                                "color",
                                MessageAttributeValue.builder()
                                    .dataType("String")
                                    .stringValue("blue")
                                    .build()))
                        .build(),
                    SendMessageBatchRequestEntry.builder().id("2").messageBody("fail-2").build(),
                    SendMessageBatchRequestEntry.builder().id("3").messageBody("ok-3").build()));

    // The successful records are deleted after their invocation; the failed one stays in flight
    // until the (long) visibility timeout: nothing is deleted that failed.
    await("the two successes deleted", () -> esm.deletedMessages() == 2);
    assertEquals(1, visibleAndInFlight("partial"), "the failed record is left on the queue");
    assertEquals(1, linesFor("fail-2").size());
    assertEquals(1, linesFor("ok-1").size(), "a successful record is deleted, never redelivered");
    assertEquals(1, linesFor("ok-3").size());
    assertEquals(1, esm.failedMessages());

    String[] ok = linesFor("ok-1").get(0);
    assertEquals("true", ok[2], "receiptHandle");
    assertEquals("aws:sqs", ok[3]);
    assertEquals(sqs.queueArn("partial"), ok[4]);
    assertEquals("us-east-1", ok[5]);
    assertEquals(
        HexFormat.of()
            .formatHex(
                MessageDigest.getInstance("MD5").digest("ok-1".getBytes(StandardCharsets.UTF_8))),
        ok[6]);
    assertEquals("1", ok[7]);
    assertEquals("true", ok[8], "SentTimestamp attribute");
    assertEquals("String:blue", ok[9], "message attributes");
    assertEquals("own-loader", ok[11], "the function sees its own copy of the event classes");
    assertEquals("recording", ok[12]);
    assertEquals("true", ok[13], "remaining time");
  }

  @Test
  void aFailedRecordIsRedeliveredAfterTheVisibilityTimeoutThenMovesToTheDlq() throws Exception {
    start("failing", Duration.ZERO);
    client.sendMessage(b -> b.queueUrl(sqs.queueUrl("failing")).messageBody("fail-again"));

    // maxReceiveCount 2: delivered, failed, visible again after 2 s, delivered, failed, then
    // moved to the DLQ by the next receive.
    await("the queue empty", () -> visibleAndInFlight("failing") == 0);
    assertEquals(List.of("fail-again"), drain("failing-dlq"));
    List<String> receiveCounts = linesFor("fail-again").stream().map(l -> l[7]).sorted().toList();
    assertEquals(List.of("1", "2"), receiveCounts, "ApproximateReceiveCount of each delivery");
    assertEquals(0, esm.deletedMessages(), "a failed record is never deleted");
  }

  @Test
  void recordsBeyondTheSixMegabyteInvokePayloadGoToTheNextInvocation() throws Exception {
    // Seven ~1 MB messages: six make an event just under Lambda's 6,291,456-byte synchronous
    // payload, seven would be far over it. Lambda invokes with six, then with the seventh.
    List<String> bodies = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      String body = "big-" + i + "-" + "x".repeat(1_000_000);
      bodies.add(body);
      client.sendMessage(b -> b.queueUrl(sqs.queueUrl("large")).messageBody(body));
    }
    start("large", Duration.ofSeconds(2));
    await("all seven deleted", () -> esm.deletedMessages() == 7);
    List<Integer> recordsPerInvocation = new ArrayList<>();
    for (String body : bodies) {
      List<String[]> seen = linesFor(body);
      assertEquals(1, seen.size(), "each record is delivered once");
      recordsPerInvocation.add(Integer.parseInt(seen.get(0)[10]));
    }
    recordsPerInvocation.sort(null);
    assertEquals(List.of(1, 6, 6, 6, 6, 6, 6), recordsPerInvocation);
    assertEquals(2, esm.invocations());
    assertEquals(0, esm.failedMessages(), "a full batch is split, never failed");
  }

  @Test
  void anEventJustUnderTheInvokePayloadLimitRunsAndOneByteMoreIsRefusedAsLambdaRefusesIt()
      throws Exception {
    load("large");
    String arn = sqs.queueArn("large");
    long envelope = InvokePayload.eventBytes(function.recordBytes(message("m0", ""), arn), 1);
    String under = "u".repeat((int) (InvokePayload.MAX_BYTES - 1 - envelope));
    assertEquals(
        InvokePayload.MAX_BYTES - 1,
        InvokePayload.eventBytes(function.recordBytes(message("m1", under), arn), 1));
    LambdaFunction.Result ran = function.invoke(List.of(message("m1", under)), arn);
    assertTrue(ran.allSucceeded(), String.valueOf(ran.error()));
    assertEquals(1, linesFor(under).size());

    String over = under + "o";
    LambdaFunction.Result refused = function.invoke(List.of(message("m2", over)), arn);
    assertEquals(Set.of("m2"), refused.failedMessageIds());
    assertEquals(
        "RequestEntityTooLargeException: Request must be smaller than 6291456 bytes for the"
            + " InvokeFunction operation",
        refused.error());
    assertEquals(0, linesFor(over).size(), "the handler never ran");
  }

  private static Message message(String id, String body) {
    return Message.builder()
        .messageId(id)
        .receiptHandle("receipt-" + id)
        .body(body)
        .md5OfBody("0".repeat(32))
        .attributesWithStrings(
            Map.of("ApproximateReceiveCount", "1", "SentTimestamp", "1767225600000"))
        .build();
  }

  @Test
  void aHandlerExceptionFailsTheWholeBatch() throws Exception {
    start("throwing", Duration.ofMillis(500));
    client.sendMessageBatch(
        b ->
            b.queueUrl(sqs.queueUrl("throwing"))
                .entries(
                    SendMessageBatchRequestEntry.builder().id("1").messageBody("throw").build(),
                    SendMessageBatchRequestEntry.builder().id("2").messageBody("fine").build()));
    await("both in the DLQ", () -> visibleAndInFlight("throwing") == 0);
    List<String> dlq = new ArrayList<>(drain("throwing-dlq"));
    dlq.sort(null);
    List<String[]> fine = linesFor("fine");
    assertTrue(fine.size() >= 2, "the good record of a failed batch is redelivered too");
    // Both went to the DLQ unless a redelivery put 'fine' in a batch without 'throw'.
    assertTrue(dlq.contains("throw"), "the throwing record ends in the DLQ: " + dlq);
    assertTrue(esm.invocations() >= 2);
  }

  @Test
  void functionClassesAreIsolatedFromTheStack() throws Exception {
    start("warm-up", Duration.ZERO);
    Class<?> handler =
        function.classLoader().loadClass("dev.hsipipeline.local.testlambda.RecordingHandler");
    assertNotSame(getClass().getClassLoader(), handler.getClassLoader());
    assertThrows(
        ClassNotFoundException.class,
        () -> function.classLoader().loadClass(LocalStack.class.getName()),
        "the function cannot see the stack's classes");
    assertThrows(
        ClassNotFoundException.class,
        () -> function.classLoader().loadClass("org.slf4j.Logger"),
        "nor the stack's libraries");
  }

  @Test
  void aMissingArtifactNamesTheBuildCommand() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                LambdaFunction.load(
                    new LambdaFunction.Config(
                        dir.resolve("nope.jar"),
                        "x.Y",
                        "f",
                        Map.of(),
                        "us-east-1",
                        "000000000000",
                        128,
                        1000)));
    assertTrue(e.getMessage().contains("./pipeline build"), e.getMessage());
  }
}
