package dev.hsipipeline.local.aws.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hsipipeline.local.aws.QueueSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueNameExistsException;

/**
 * Creates the queues of the specs on a fresh or restored server: DLQs first, then the queues with
 * their redrive policy; a queue restored from the message store keeps its messages and gets the
 * current attributes.
 */
public final class QueueCreation {
  private static final ObjectMapper JSON = new ObjectMapper();

  private QueueCreation() {}

  /**
   * @param arnOf a queue's ARN by name
   * @return every queue's URL by name, DLQs first
   * @throws IllegalStateException naming the queue and attributes when one cannot be created
   */
  public static Map<String, String> createAll(
      SqsClient sqs, List<QueueSpec> queues, UnaryOperator<String> arnOf) {
    Map<String, String> urls = new LinkedHashMap<>();
    for (QueueSpec q : queues) {
      if (q.hasDeadLetterQueue()) {
        Map<QueueAttributeName, String> attrs = new LinkedHashMap<>();
        attrs.put(
            QueueAttributeName.MESSAGE_RETENTION_PERIOD,
            Integer.toString(q.dlqMessageRetentionSeconds()));
        attrs.put(
            QueueAttributeName.VISIBILITY_TIMEOUT, Integer.toString(q.visibilityTimeoutSeconds()));
        urls.put(q.dlqName(), createOrUpdate(sqs, q.dlqName(), attrs));
      }
    }
    for (QueueSpec q : queues) {
      Map<QueueAttributeName, String> attrs = new LinkedHashMap<>();
      attrs.put(
          QueueAttributeName.VISIBILITY_TIMEOUT, Integer.toString(q.visibilityTimeoutSeconds()));
      attrs.put(
          QueueAttributeName.RECEIVE_MESSAGE_WAIT_TIME_SECONDS,
          Integer.toString(q.receiveWaitTimeSeconds()));
      attrs.put(
          QueueAttributeName.MESSAGE_RETENTION_PERIOD,
          Integer.toString(q.messageRetentionSeconds()));
      if (q.hasDeadLetterQueue()) {
        ObjectNode redrive = JSON.createObjectNode();
        redrive.put("deadLetterTargetArn", arnOf.apply(q.dlqName()));
        redrive.put("maxReceiveCount", q.maxReceiveCount());
        attrs.put(QueueAttributeName.REDRIVE_POLICY, redrive.toString());
      }
      urls.put(q.name(), createOrUpdate(sqs, q.name(), attrs));
    }
    return urls;
  }

  /**
   * Creates a queue, or, when it was restored from the message store with other attributes (e.g. a
   * visibility timeout changed in queues.json), keeps it and its messages and applies the current
   * attributes.
   */
  private static String createOrUpdate(
      SqsClient sqs, String name, Map<QueueAttributeName, String> attributes) {
    try {
      try {
        return sqs.createQueue(b -> b.queueName(name).attributes(attributes)).queueUrl();
      } catch (QueueNameExistsException e) {
        String url = sqs.getQueueUrl(b -> b.queueName(name)).queueUrl();
        sqs.setQueueAttributes(b -> b.queueUrl(url).attributes(attributes));
        return url;
      }
    } catch (SdkException e) {
      throw new IllegalStateException(
          "cannot create queue " + name + " " + attributes + ": " + e.getMessage(), e);
    }
  }
}
