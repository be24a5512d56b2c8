package dev.hsipipeline.local.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

class LocalSqsTest {

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
                    new QueueSpec("work-queue", "work-dlq", 2, 30, 0),
                    new QueueSpec("plain-queue", null, 0, 30, 0, 3600, 3600))));
    sqs = client(server.endpoint());
  }

  @AfterAll
  static void stop() {
    if (sqs != null) sqs.close();
    if (server != null) server.close();
  }

  static SqsClient client(URI endpoint) {
    return SqsClient.builder()
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  @Test
  void createsQueuesWithAwsShapedUrlsAndArns() {
    assertEquals("127.0.0.1", server.endpoint().getHost());
    assertEquals(
        "http://127.0.0.1:" + server.port() + "/000000000000/work-queue",
        server.queueUrl("work-queue"));
    assertEquals("arn:aws:sqs:us-east-1:000000000000:work-queue", server.queueArn("work-queue"));
    assertEquals(
        server.queueUrl("work-queue"), sqs.getQueueUrl(b -> b.queueName("work-queue")).queueUrl());
    Map<QueueAttributeName, String> attrs =
        sqs.getQueueAttributes(
                b ->
                    b.queueUrl(server.queueUrl("work-queue"))
                        .attributeNames(QueueAttributeName.ALL))
            .attributes();
    assertEquals(
        "arn:aws:sqs:us-east-1:000000000000:work-queue", attrs.get(QueueAttributeName.QUEUE_ARN));
    assertEquals("30", attrs.get(QueueAttributeName.VISIBILITY_TIMEOUT));
    String redrive = attrs.get(QueueAttributeName.REDRIVE_POLICY);
    assertNotNull(redrive);
    assertTrue(redrive.contains("arn:aws:sqs:us-east-1:000000000000:work-dlq"), redrive);
    assertTrue(
        redrive.replace(" ", "").contains("\"maxReceiveCount\":2")
            || redrive.replace(" ", "").contains("\"maxReceiveCount\":\"2\""),
        redrive);
    assertEquals(
        "arn:aws:sqs:us-east-1:000000000000:work-dlq",
        sqs.getQueueAttributes(
                b ->
                    b.queueUrl(server.queueUrl("work-dlq"))
                        .attributeNames(QueueAttributeName.QUEUE_ARN))
            .attributes()
            .get(QueueAttributeName.QUEUE_ARN));
    assertEquals(List.of("work-dlq", "work-queue", "plain-queue"), server.queueNames());
  }

  @Test
  void sendReceiveDelete() {
    String url = server.queueUrl("plain-queue");
    String id = sqs.sendMessage(b -> b.queueUrl(url).messageBody("{\"hello\":1}")).messageId();
    List<Message> got = receive(url, 10, 5);
    assertEquals(1, got.size());
    assertEquals(id, got.get(0).messageId());
    assertEquals("{\"hello\":1}", got.get(0).body());
    sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(got.get(0).receiptHandle()));
    assertEquals(
        "0",
        sqs.getQueueAttributes(
                b ->
                    b.queueUrl(url)
                        .attributeNames(
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
            .attributes()
            .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
  }

  @Test
  void messageMovesToDlqAfterMaxReceiveCount() {
    String url = server.queueUrl("work-queue");
    String id = sqs.sendMessage(b -> b.queueUrl(url).messageBody("poison")).messageId();
    // Receive without deleting, making it visible again at once: receives 1 and 2 count.
    for (int i = 0; i < 2; i++) {
      List<Message> got = receiveVisibilityZero(url);
      assertEquals(1, got.size(), "receive " + (i + 1));
      assertEquals(id, got.get(0).messageId());
    }
    // The third receive exceeds maxReceiveCount=2: the message is redriven, not delivered.
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    List<Message> fromDlq = List.of();
    while (fromDlq.isEmpty() && System.nanoTime() < deadline) {
      assertTrue(receiveVisibilityZero(url).isEmpty(), "message delivered beyond maxReceiveCount");
      fromDlq = receive(server.queueUrl("work-dlq"), 1, 1);
    }
    assertEquals(1, fromDlq.size());
    assertEquals("poison", fromDlq.get(0).body());
  }

  @Test
  void unknownQueueNameIsAClearError() {
    var e = assertThrows(IllegalArgumentException.class, () -> server.queueUrl("nope"));
    assertTrue(e.getMessage().contains("nope") && e.getMessage().contains("work-queue"));
  }

  @Test
  void invalidConfigNamesTheField() {
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new LocalSqs.Config("127.0.0.1", 0, "us-east-1", "123", List.of()));
    assertTrue(e.getMessage().contains("account"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new LocalSqs.Config(
                    "127.0.0.1",
                    0,
                    "us-east-1",
                    "000000000000",
                    List.of(
                        new QueueSpec("a", "b", 3, 30, 0), new QueueSpec("b", null, 0, 30, 0))));
    assertTrue(e.getMessage().contains("DLQ b"), e.getMessage());
  }

  private static List<Message> receiveVisibilityZero(String url) {
    return sqs.receiveMessage(
            b -> b.queueUrl(url).maxNumberOfMessages(10).visibilityTimeout(0).waitTimeSeconds(1))
        .messages();
  }

  private static List<Message> receive(String url, int max, int waitSeconds) {
    return sqs.receiveMessage(
            b -> b.queueUrl(url).maxNumberOfMessages(max).waitTimeSeconds(waitSeconds))
        .messages();
  }
}
