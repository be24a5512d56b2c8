package dev.hsipipeline.job;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.SqsException;

/** Sends messages with classified failures. */
public final class SqsSender {
  private final SqsClient sqs;

  /** Wraps a client (not closed by the sender). */
  public SqsSender(SqsClient sqs) {
    this.sqs = sqs;
  }

  /**
   * Sends {@code body} to {@code queueUrl} and returns the message id.
   *
   * @throws JobFailure permanent when the queue does not exist or rejects the message, transient
   *     otherwise
   */
  public String send(String queueUrl, String body) {
    try {
      return sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(body)).messageId();
    } catch (QueueDoesNotExistException e) {
      throw JobFailure.permanent(
          "queue " + queueUrl + " does not exist (check PROCESSOR_QUEUE_URL)", e);
    } catch (SqsException e) {
      if (!e.isThrottlingException() && (e.statusCode() == 400 || e.statusCode() == 403)) {
        throw JobFailure.permanent(
            "SendMessage to " + queueUrl + " rejected: " + e.getMessage(), e);
      }
      throw JobFailure.transientFailure(
          "SendMessage to " + queueUrl + " failed: " + e.getMessage(), e);
    } catch (SdkException e) {
      throw JobFailure.transientFailure(
          "SendMessage to " + queueUrl + " failed: " + e.getMessage(), e);
    }
  }
}
