package dev.hsipipeline.local.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchRequestTooLongException;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * SQS's message size limits at their boundaries, through the real SDK: a queue's configured
 * MaximumMessageSize (the module's 256 KiB), SQS's 1 MiB maximum, and the 1 MiB of one batch.
 */
class SqsMessageSizeTest {

  private static final int CONFIGURED = 262_144;
  private static final int SERVICE_MAX = QueueSpec.MAX_MESSAGE_SIZE;

  static LocalSqs server;
  static SqsClient sqs;

  @BeforeAll
  static void start() {
    server =
        LocalSqs.start(
            new LocalSqs.Config(
                "127.0.0.1",
                0,
                "us-east-1",
                "000000000000",
                List.of(
                    new QueueSpec("configured", null, 0, 30, 0, 3600, 3600, CONFIGURED),
                    new QueueSpec("largest", null, 0, 30, 0, 3600, 3600, SERVICE_MAX))));
    sqs = LocalSqsTest.client(server.endpoint());
  }

  @AfterAll
  static void stop() {
    if (sqs != null) sqs.close();
    if (server != null) server.close();
  }

  private static String send(String queue, String body) {
    return sqs.sendMessage(b -> b.queueUrl(server.queueUrl(queue)).messageBody(body)).messageId();
  }

  private static String receiveBody(String queue) {
    List<Message> m =
        sqs.receiveMessage(b -> b.queueUrl(server.queueUrl(queue)).waitTimeSeconds(1)).messages();
    assertEquals(1, m.size());
    sqs.deleteMessage(
        b -> b.queueUrl(server.queueUrl(queue)).receiptHandle(m.get(0).receiptHandle()));
    return m.get(0).body();
  }

  @Test
  void theQueuesConfiguredMaximumIsAcceptedAndOneByteMoreIsRefusedWithSqsMessage() {
    String fits = "a".repeat(CONFIGURED);
    send("configured", fits);
    assertEquals(fits, receiveBody("configured"));

    SqsException e = assertThrows(SqsException.class, () -> send("configured", fits + "a"));
    assertEquals("InvalidParameterValue", e.awsErrorDetails().errorCode());
    assertEquals(
        "One or more parameters are invalid. Reason: Message must be shorter than 262144 bytes.",
        e.awsErrorDetails().errorMessage());
    assertEquals(400, e.statusCode());
  }

  @Test
  void bytesAreCountedAsUtf8AndAttributesCountToo() {
    // 'é' is two UTF-8 bytes: 131072 of them are exactly the limit.
    send("configured", "é".repeat(CONFIGURED / 2));
    receiveBody("configured");
    assertThrows(SqsException.class, () -> send("configured", "é".repeat(CONFIGURED / 2) + "a"));

    // Name "k" (1) + type "String" (6) + value "v" (1) = 8 bytes beside the body.
    MessageAttributeValue v =
        MessageAttributeValue.builder().dataType("String").stringValue("v").build();
    String body = "b".repeat(CONFIGURED - 8);
    sqs.sendMessage(
        b ->
            b.queueUrl(server.queueUrl("configured"))
                .messageBody(body)
                .messageAttributes(Map.of("k", v)));
    receiveBody("configured");
    assertThrows(
        SqsException.class,
        () ->
            sqs.sendMessage(
                b ->
                    b.queueUrl(server.queueUrl("configured"))
                        .messageBody(body + "b")
                        .messageAttributes(Map.of("k", v))));
  }

  @Test
  void sqsLargestMessageOf1MiBIsAcceptedAndOneByteMoreIsRefused() {
    // Quotes double on the wire as JSON escapes: the request is twice the message.
    String fits = "\"".repeat(SERVICE_MAX);
    send("largest", fits);
    assertEquals(fits, receiveBody("largest"));

    SqsException e = assertThrows(SqsException.class, () -> send("largest", fits + "a"));
    assertEquals("InvalidParameterValue", e.awsErrorDetails().errorCode());
    assertEquals(
        "One or more parameters are invalid. Reason: Message must be shorter than 1048576 bytes.",
        e.awsErrorDetails().errorMessage());
  }

  @Test
  void aBatchOf1MiBIsAcceptedAndOneByteMoreIsBatchRequestTooLong() {
    // Five entries under the queue's 256 KiB each, 1 MiB together.
    List<SendMessageBatchRequestEntry> fits = batch(SERVICE_MAX);
    assertEquals(
        5,
        sqs.sendMessageBatch(b -> b.queueUrl(server.queueUrl("configured")).entries(fits))
            .successful()
            .size());
    sqs.purgeQueue(b -> b.queueUrl(server.queueUrl("configured")));

    BatchRequestTooLongException e =
        assertThrows(
            BatchRequestTooLongException.class,
            () ->
                sqs.sendMessageBatch(
                    b ->
                        b.queueUrl(server.queueUrl("configured")).entries(batch(SERVICE_MAX + 1))));
    assertEquals(
        "Batch requests cannot be longer than 1048576 bytes. You have sent 1048577 bytes.",
        e.awsErrorDetails().errorMessage());
  }

  @Test
  void aBatchEntryOverTheQueuesMaximumFailsTheRequest() {
    List<SendMessageBatchRequestEntry> entries =
        List.of(
            SendMessageBatchRequestEntry.builder().id("small").messageBody("x").build(),
            SendMessageBatchRequestEntry.builder()
                .id("big")
                .messageBody("y".repeat(CONFIGURED + 1))
                .build());
    assertThrows(
        SqsException.class,
        () ->
            sqs.sendMessageBatch(b -> b.queueUrl(server.queueUrl("configured")).entries(entries)));
  }

  @Test
  void theQueryProtocolIsHeldToTheSameLimitWithAnXmlError() throws Exception {
    try (HttpClient http = HttpClient.newHttpClient()) {
      String url = server.queueUrl("configured");
      HttpResponse<String> fits = postForm(http, url, "a".repeat(CONFIGURED));
      assertEquals(200, fits.statusCode(), fits.body());
      receiveBody("configured");
      HttpResponse<String> over = postForm(http, url, "a".repeat(CONFIGURED + 1));
      assertEquals(400, over.statusCode());
      assertTrue(over.body().contains("<Code>InvalidParameterValue</Code>"), over.body());
      assertTrue(over.body().contains("Message must be shorter than 262144 bytes."), over.body());
    }
  }

  /** Five entries whose bodies add up to {@code total} bytes. */
  private static List<SendMessageBatchRequestEntry> batch(int total) {
    int each = total / 5;
    return java.util.stream.IntStream.range(0, 5)
        .mapToObj(
            i ->
                SendMessageBatchRequestEntry.builder()
                    .id("e" + i)
                    .messageBody("z".repeat(i == 4 ? total - 4 * each : each))
                    .build())
        .toList();
  }

  private static HttpResponse<String> postForm(HttpClient http, String queueUrl, String body)
      throws Exception {
    String form =
        "Action=SendMessage&Version=2012-11-05&QueueUrl="
            + URLEncoder.encode(queueUrl, StandardCharsets.UTF_8)
            + "&MessageBody="
            + URLEncoder.encode(body, StandardCharsets.UTF_8);
    return http.send(
        HttpRequest.newBuilder(URI.create(queueUrl))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
