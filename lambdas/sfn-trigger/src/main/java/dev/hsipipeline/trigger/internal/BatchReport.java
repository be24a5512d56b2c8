package dev.hsipipeline.trigger.internal;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse.BatchItemFailure;
import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * What one invocation tells SQS and the log: a {@code batch_received} line when the batch arrives,
 * a {@code record_duplicate} or {@code record_failed} line per record that needs a look, and a
 * {@code batch_done} line with the tallies (WARN when anything failed). Builds the partial batch
 * response from the same outcomes, so the log and what SQS redelivers cannot disagree.
 */
public final class BatchReport {

  private final JsonLog log;
  private final String requestId;
  private final List<SQSMessage> records;
  private final long startNanos;

  /**
   * Reports on {@code records} (in the order outcomes will come back) of the invocation {@code
   * requestId} (may be {@code null}), timed from {@code startNanos} ({@link System#nanoTime()}).
   */
  public BatchReport(JsonLog log, String requestId, List<SQSMessage> records, long startNanos) {
    this.log = log;
    this.requestId = requestId;
    this.records = records;
    this.startNanos = startNanos;
  }

  /** Logs the batch's size and source queues, before any record is started. */
  public void received() {
    TreeSet<String> queues = new TreeSet<>();
    for (SQSMessage m : records) {
      queues.add(String.valueOf(BatchStarter.queueName(m.getEventSourceArn())));
    }
    log.info(
        "batch_received",
        g -> {
          g.writeStringField("requestId", requestId);
          g.writeNumberField("records", records.size());
          g.writeArrayFieldStart("queues");
          for (String q : queues) {
            g.writeString(q);
          }
          g.writeEndArray();
        });
  }

  /**
   * Logs every duplicate and failed record and the batch's tallies.
   *
   * @param outcomes one per record, in record order
   * @return the records SQS must redeliver
   */
  public SQSBatchResponse completed(RecordOutcome[] outcomes) {
    List<BatchItemFailure> failures = new ArrayList<>();
    Tally tally = new Tally();
    for (int i = 0; i < outcomes.length; i++) {
      RecordOutcome outcome = outcomes[i];
      SQSMessage record = records.get(i);
      tally.count(outcome);
      if (outcome.kind() == RecordOutcome.Kind.DUPLICATE) {
        logDuplicate(record, outcome);
      } else if (outcome.failed()) {
        failures.add(new BatchItemFailure(record.getMessageId()));
        logFailure(record, outcome);
      }
    }
    long millis = (System.nanoTime() - startNanos) / 1_000_000L;
    log.log(
        failures.isEmpty() ? "INFO" : "WARN",
        "batch_done",
        g -> {
          g.writeStringField("requestId", requestId);
          g.writeNumberField("records", records.size());
          g.writeNumberField("started", tally.started);
          g.writeNumberField("duplicates", tally.duplicates);
          g.writeNumberField("failed", failures.size());
          g.writeNumberField("permanentFailures", tally.permanent);
          g.writeNumberField("notAttempted", tally.notAttempted);
          g.writeNumberField("offloaded", tally.offloaded);
          g.writeNumberField("durationMs", millis);
        });
    return new SQSBatchResponse(failures);
  }

  /**
   * The batch machinery itself failed: every record is reported failed so SQS redelivers all of
   * them; none is dropped silently.
   */
  public SQSBatchResponse failedAsAWhole(Throwable cause) {
    log.error(
        "batch_failed",
        g -> {
          g.writeStringField("requestId", requestId);
          g.writeStringField("reason", cause.toString());
        });
    List<BatchItemFailure> all = new ArrayList<>(records.size());
    for (SQSMessage m : records) {
      all.add(new BatchItemFailure(m.getMessageId()));
    }
    return new SQSBatchResponse(all);
  }

  private void logDuplicate(SQSMessage record, RecordOutcome outcome) {
    log.info(
        "record_duplicate",
        g -> {
          g.writeStringField("messageId", record.getMessageId());
          g.writeStringField("executionName", outcome.executionName());
          g.writeStringField("reason", outcome.reason());
        });
  }

  private void logFailure(SQSMessage record, RecordOutcome outcome) {
    boolean permanent = outcome.kind() == RecordOutcome.Kind.PERMANENT_FAILURE;
    log.error(
        "record_failed",
        g -> {
          g.writeStringField("messageId", record.getMessageId());
          g.writeStringField("eventSourceARN", record.getEventSourceArn());
          g.writeStringField("executionName", outcome.executionName());
          g.writeStringField("kind", outcome.kind().name());
          g.writeBooleanField("permanent", permanent);
          g.writeStringField("reason", outcome.reason());
        });
  }

  /** Counts per outcome kind for the {@code batch_done} line. */
  private static final class Tally {
    int started;
    int duplicates;
    int permanent;
    int notAttempted;
    int offloaded;

    void count(RecordOutcome outcome) {
      if (outcome.offloaded()) {
        offloaded++;
      }
      switch (outcome.kind()) {
        case STARTED -> started++;
        case DUPLICATE -> duplicates++;
        case PERMANENT_FAILURE -> permanent++;
        case NOT_ATTEMPTED -> notAttempted++;
        case FAILURE -> {}
      }
    }
  }
}
