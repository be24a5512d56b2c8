package dev.hsipipeline.local.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** Queues and messages survive a restart (graceful and kill -9) when a message store is set. */
class DurableLocalSqsTest {

  static final List<QueueSpec> QUEUES = List.of(new QueueSpec("work-queue", "work-dlq", 2, 2, 0));

  static LocalSqs.Config config(int port, Path dir) {
    return new LocalSqs.Config("127.0.0.1", port, "us-east-1", "000000000000", QUEUES, dir);
  }

  @Test
  void restoresQueuedAndInFlightMessagesWithReceiveCountsSoRedriveStillWorks(@TempDir Path data)
      throws IOException {
    Path store = data.resolve("sqs");
    int port = freePort();
    String url;
    String dlqUrl;
    String inFlightId;
    try (LocalSqs first = LocalSqs.start(config(port, store));
        SqsClient sqs = LocalSqsTest.client(first.endpoint())) {
      url = first.queueUrl("work-queue");
      dlqUrl = first.queueUrl("work-dlq");
      for (String body : List.of("a", "b", "c")) {
        sqs.sendMessage(b -> b.queueUrl(first.queueUrl("work-queue")).messageBody(body));
      }
      List<Message> got =
          sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(1)).messages();
      assertEquals(1, got.size());
      inFlightId = got.get(0).messageId();
    }

    try (LocalSqs second = LocalSqs.start(config(port, store));
        SqsClient sqs = LocalSqsTest.client(second.endpoint())) {
      assertEquals(url, second.queueUrl("work-queue"));
      assertEquals(dlqUrl, second.queueUrl("work-dlq"));
      assertEquals(url, sqs.getQueueUrl(b -> b.queueName("work-queue")).queueUrl());
      assertEquals("arn:aws:sqs:us-east-1:000000000000:work-queue", second.queueArn("work-queue"));

      // All three come back; the one in flight at shutdown is on its second receive.
      Map<String, Message> received = receiveAll(sqs, url, 3, null, null);
      assertEquals(new TreeSet<>(List.of("a", "b", "c")), bodies(received));
      assertEquals(
          "2",
          received
              .get(inFlightId)
              .attributes()
              .get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT));

      // maxReceiveCount is 2: the next receive attempt after the visibility timeout moves it to
      // the DLQ, which only works if the persisted receive count was restored.
      for (Message m : received.values()) {
        if (!m.messageId().equals(inFlightId)) {
          sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()));
        }
      }
      Map<String, Message> dead = receiveAll(sqs, dlqUrl, 1, sqs, url);
      assertTrue(dead.containsKey(inFlightId), dead.keySet().toString());
    }
  }

  @Test
  void aChangedQueueSettingAppliesToTheRestoredQueueWhichKeepsItsMessages(@TempDir Path data)
      throws IOException {
    Path store = data.resolve("sqs");
    int port = freePort();
    try (LocalSqs first = LocalSqs.start(config(port, store));
        SqsClient sqs = LocalSqsTest.client(first.endpoint())) {
      sqs.sendMessage(b -> b.queueUrl(first.queueUrl("work-queue")).messageBody("kept"));
    }
    List<QueueSpec> longer = List.of(new QueueSpec("work-queue", "work-dlq", 2, 45, 0));
    try (LocalSqs second =
            LocalSqs.start(
                new LocalSqs.Config(
                    "127.0.0.1", port, "us-east-1", "000000000000", longer, store));
        SqsClient sqs = LocalSqsTest.client(second.endpoint())) {
      String url = second.queueUrl("work-queue");
      assertEquals(
          "45",
          sqs.getQueueAttributes(
                  b -> b.queueUrl(url).attributeNames(QueueAttributeName.VISIBILITY_TIMEOUT))
              .attributes()
              .get(QueueAttributeName.VISIBILITY_TIMEOUT));
      assertEquals(new TreeSet<>(List.of("kept")), bodies(receiveAll(sqs, url, 1, null, null)));
    }
  }

  @Test
  void messagesSurviveKillMinusNine(@TempDir Path data) throws Exception {
    Path store = data.resolve("sqs");
    int port = freePort();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                SqsStoreChild.class.getName(),
                store.toString(),
                Integer.toString(port))
            .redirectErrorStream(true)
            .start();
    String url = null;
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        if (line.startsWith("SENT ")) {
          url = line.substring(5);
          break;
        }
      }
      assertTrue(url != null, "child exited before reporting SENT");
      child.destroyForcibly(); // SIGKILL: no shutdown hooks, no pool close
      assertTrue(child.waitFor(60, TimeUnit.SECONDS));
    } finally {
      child.destroyForcibly();
    }

    try (LocalSqs restarted = LocalSqs.start(config(port, store));
        SqsClient sqs = LocalSqsTest.client(restarted.endpoint())) {
      assertEquals(url, restarted.queueUrl("work-queue"));
      Map<String, Message> received = receiveAll(sqs, url, SqsStoreChild.COUNT, null, null);
      List<String> expected = new ArrayList<>();
      for (int i = 0; i < SqsStoreChild.COUNT; i++) {
        expected.add("m" + i);
      }
      assertEquals(new TreeSet<>(expected), bodies(received));
    }
  }

  @Test
  void secondStoreInTheSameJvmFailsClearly(@TempDir Path data) {
    try (LocalSqs first = LocalSqs.start(config(0, data.resolve("one")))) {
      IllegalStateException e =
          assertThrows(
              IllegalStateException.class, () -> LocalSqs.start(config(0, data.resolve("two"))));
      assertTrue(e.getMessage().contains("already open"), e.getMessage());
      assertEquals("work-queue", first.queueNames().get(1));
    }
  }

  static TreeSet<String> bodies(Map<String, Message> messages) {
    TreeSet<String> out = new TreeSet<>();
    messages.values().forEach(m -> out.add(m.body()));
    return out;
  }

  /**
   * Polls until {@code expected} distinct messages arrived; with {@code other} set, also polls that
   * queue each round (redrive to a DLQ happens on a receive attempt).
   */
  static Map<String, Message> receiveAll(
      SqsClient sqs, String url, int expected, SqsClient other, String otherUrl) {
    Map<String, Message> got = new HashMap<>();
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (got.size() < expected && Instant.now().isBefore(deadline)) {
      if (other != null) {
        other.receiveMessage(b -> b.queueUrl(otherUrl).maxNumberOfMessages(10).waitTimeSeconds(1));
      }
      for (Message m :
          sqs.receiveMessage(
                  b ->
                      b.queueUrl(url)
                          .maxNumberOfMessages(10)
                          .waitTimeSeconds(1)
                          .messageSystemAttributeNames(
                              MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT))
              .messages()) {
        got.putIfAbsent(m.messageId(), m);
      }
    }
    assertEquals(expected, got.size(), "messages received from " + url + ": " + got.keySet());
    return got;
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress("127.0.0.1", 0));
      return s.getLocalPort();
    }
  }
}
