package dev.hsipipeline.local.console.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.arns.Arn;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * Queue operations behind the console's Queues view, through the real SQS API: counts, sending a
 * message, and redriving a dead-letter queue back to its source queue.
 */
public final class QueueService {

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  private final SqsClient sqs;
  private final List<QueueBinding> queues;

  public QueueService(SqsClient sqs, List<QueueBinding> queues) {
    this.sqs = sqs;
    this.queues = List.copyOf(queues);
  }

  /** Counts for one queue, as GetQueueAttributes reports them (approximate, like AWS). */
  public record QueueStats(
      String name, String url, String arn, long visible, long inFlight, long delayed) {}

  /** A source queue with its DLQ (dlq is null when the queue has none). */
  public record QueueView(String key, QueueStats queue, QueueStats dlq, Integer maxReceiveCount) {}

  /** The outcome of a redrive. */
  public record RedriveResult(
      String key, String method, String taskHandle, long approximateMessages, long moved) {}

  public List<QueueView> list() {
    List<QueueView> views = new ArrayList<>();
    for (QueueBinding q : queues) {
      Map<String, String> attrs = attributes(q.queueUrl());
      QueueStats main = stats(q.queueUrl(), attrs);
      QueueStats dlq = q.dlqUrl() == null ? null : stats(q.dlqUrl(), attributes(q.dlqUrl()));
      views.add(new QueueView(q.key(), main, dlq, maxReceiveCount(attrs.get("RedrivePolicy"))));
    }
    return views;
  }

  /** Sends {@code body} to the queue named by {@code key}; returns the new message id. */
  public String send(String key, String body) {
    QueueBinding q = binding(key);
    if (body == null || body.isEmpty()) {
      throw new Exchanges.BadRequest(
          "The message body is empty; SQS needs at least one character.");
    }
    try {
      return sqs.sendMessage(b -> b.queueUrl(q.queueUrl()).messageBody(body)).messageId();
    } catch (AwsServiceException e) {
      if (e.statusCode() != 400) {
        throw e;
      }
      // SQS itself judges the body (the queue's MaximumMessageSize, allowed characters): its
      // answer names the limit, which the console would otherwise have to keep in step.
      throw new Exchanges.BadRequest(
          400,
          e.awsErrorDetails().errorCode(),
          "SQS refused the message: " + e.awsErrorDetails().errorMessage());
    }
  }

  /**
   * Moves the DLQ's messages back to the source queue. Uses SQS's own StartMessageMoveTask (what
   * the AWS console's "Start DLQ redrive" does), and falls back to receive → send → delete when the
   * endpoint does not implement it.
   */
  public RedriveResult redrive(String key) {
    QueueBinding q = binding(key);
    if (q.dlqUrl() == null) {
      throw new Exchanges.BadRequest("Queue '" + key + "' has no dead-letter queue.");
    }
    long waiting = count(attributes(q.dlqUrl()), QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES);
    String dlqArn = attributes(q.dlqUrl()).get("QueueArn");
    String sourceArn = attributes(q.queueUrl()).get("QueueArn");
    try {
      String handle =
          sqs.startMessageMoveTask(b -> b.sourceArn(dlqArn).destinationArn(sourceArn)).taskHandle();
      return new RedriveResult(key, "StartMessageMoveTask", handle, waiting, -1);
    } catch (AwsServiceException e) {
      if (!unsupported(e)) {
        throw e;
      }
    }
    return new RedriveResult(key, "ReceiveSendDelete", null, waiting, moveByHand(q, waiting));
  }

  /** Receive → send → delete in batches of 10, until the DLQ looks empty or we moved a lot. */
  long moveByHand(QueueBinding q, long expected) {
    long moved = 0;
    long limit = Math.max(expected, 0) + 1000;
    while (moved < limit) {
      List<Message> batch =
          sqs.receiveMessage(
                  b ->
                      b.queueUrl(q.dlqUrl())
                          .maxNumberOfMessages(10)
                          .waitTimeSeconds(0)
                          .visibilityTimeout(60)
                          .messageAttributeNames("All")
                          .messageSystemAttributeNames(MessageSystemAttributeName.ALL))
              .messages();
      if (batch.isEmpty()) {
        break;
      }
      List<SendMessageBatchRequestEntry> sends = new ArrayList<>();
      for (int i = 0; i < batch.size(); i++) {
        Message m = batch.get(i);
        sends.add(
            SendMessageBatchRequestEntry.builder()
                .id(Integer.toString(i))
                .messageBody(m.body())
                .messageAttributes(m.messageAttributes())
                .build());
      }
      var sent = sqs.sendMessageBatch(b -> b.queueUrl(q.queueUrl()).entries(sends));
      List<DeleteMessageBatchRequestEntry> deletes = new ArrayList<>();
      // Delete only what reached the source queue: a failed send stays in the DLQ.
      sent.successful()
          .forEach(
              ok -> {
                Message m = batch.get(Integer.parseInt(ok.id()));
                deletes.add(
                    DeleteMessageBatchRequestEntry.builder()
                        .id(ok.id())
                        .receiptHandle(m.receiptHandle())
                        .build());
              });
      if (!deletes.isEmpty()) {
        sqs.deleteMessageBatch(b -> b.queueUrl(q.dlqUrl()).entries(deletes));
      }
      moved += deletes.size();
      if (!sent.failed().isEmpty()) {
        throw new IllegalStateException(
            "Moved "
                + moved
                + " messages, then SQS refused one: "
                + sent.failed().get(0).message());
      }
    }
    return moved;
  }

  private static boolean unsupported(AwsServiceException e) {
    String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    return e.statusCode() == 501
        || "UnsupportedOperation".equals(code)
        || "InvalidAction".equals(code)
        || "AWS.SimpleQueueService.UnsupportedOperation".equals(code);
  }

  private QueueBinding binding(String key) {
    return queues.stream()
        .filter(q -> q.key().equals(key))
        .findFirst()
        .orElseThrow(
            () ->
                new Exchanges.BadRequest(
                    404,
                    "UnknownQueue",
                    "No queue '"
                        + key
                        + "'; known: "
                        + queues.stream().map(QueueBinding::key).toList()));
  }

  private Map<String, String> attributes(String url) {
    return new LinkedHashMap<>(
        sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.ALL))
            .attributesAsStrings());
  }

  private static QueueStats stats(String url, Map<String, String> attrs) {
    String arn = attrs.get("QueueArn");
    String name =
        arn == null
            ? url.substring(url.lastIndexOf('/') + 1)
            : Arn.tryFromString(arn).map(Arn::resourceAsString).orElse(arn);
    return new QueueStats(
        name,
        url,
        arn,
        count(attrs, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES),
        count(attrs, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE),
        count(attrs, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED));
  }

  private static long count(Map<String, String> attrs, QueueAttributeName name) {
    String v = attrs.get(name.toString());
    try {
      return v == null ? 0 : Long.parseLong(v);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static Integer maxReceiveCount(String redrivePolicy) {
    if (redrivePolicy == null) {
      return null;
    }
    try {
      // SQS returns the number as a string or a number depending on who set the policy.
      var node = JSON.readTree(redrivePolicy).path("maxReceiveCount");
      return node.isMissingNode() ? null : Integer.valueOf(node.asInt());
    } catch (java.io.IOException e) {
      return null;
    }
  }

  Optional<QueueBinding> find(String key) {
    return queues.stream().filter(q -> q.key().equals(key)).findFirst();
  }
}
