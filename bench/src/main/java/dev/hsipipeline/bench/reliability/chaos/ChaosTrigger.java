package dev.hsipipeline.bench.reliability.chaos;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.hsipipeline.trigger.SfnTriggerHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fault injection around the REAL trigger handler, packaged into a copy of the deployable trigger
 * jar and loaded by the stack's event source mapping exactly like the handler itself. Per
 * invocation, decided by a generator seeded with CHAOS_SEED and the batch's first message:
 *
 * <ul>
 *   <li><b>slow</b> ({@code CHAOS_SLOW_RATE}): holds the batch for {@code CHAOS_SLOW_MILLIS} before
 *       handling it, longer than the queue's visibility timeout, so SQS redelivers its messages to
 *       another invocation while this one still runs;
 *   <li><b>crash</b> ({@code CHAOS_CRASH_RATE}): the function dies mid-batch — the first half of
 *       the records is handled (their executions start), then it throws, so Lambda's ESM leaves the
 *       whole batch for redelivery;
 *   <li><b>duplicate</b> ({@code CHAOS_DUPLICATE_RATE}): the batch is delivered twice (SQS's
 *       at-least-once delivery).
 * </ul>
 *
 * Every injection is appended as one line to {@code CHAOS_LOG} so the suite can count them. Only
 * JDK, Lambda and trigger classes are referenced: this class runs inside the trigger's isolated
 * class loader.
 */
public final class ChaosTrigger
    implements RequestHandler<SQSEvent, SQSBatchResponse>, AutoCloseable {
  private final SfnTriggerHandler delegate;
  private final double slowRate;
  private final long slowMillis;
  private final double crashRate;
  private final double duplicateRate;
  private final long seed;
  private final Path log;
  private final AtomicLong invocations = new AtomicLong();

  public ChaosTrigger(Map<String, String> environment) {
    this.delegate = new SfnTriggerHandler(environment);
    this.slowRate = Double.parseDouble(environment.getOrDefault("CHAOS_SLOW_RATE", "0"));
    this.slowMillis = Long.parseLong(environment.getOrDefault("CHAOS_SLOW_MILLIS", "0"));
    this.crashRate = Double.parseDouble(environment.getOrDefault("CHAOS_CRASH_RATE", "0"));
    this.duplicateRate = Double.parseDouble(environment.getOrDefault("CHAOS_DUPLICATE_RATE", "0"));
    this.seed = Long.parseLong(environment.getOrDefault("CHAOS_SEED", "1"));
    this.log = Path.of(environment.getOrDefault("CHAOS_LOG", "chaos.log"));
  }

  @Override
  public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
    invocations.incrementAndGet();
    List<SQSEvent.SQSMessage> records = event.getRecords();
    // Decided by the batch's content (first message id + its receive count), not by a counter:
    // the ESM runs many handler instances, and a redelivered batch must get a fresh decision.
    String first = "";
    if (!records.isEmpty()) {
      Map<String, String> attributes = records.get(0).getAttributes();
      first =
          records.get(0).getMessageId()
              + (attributes == null
                  ? "1"
                  : attributes.getOrDefault("ApproximateReceiveCount", "1"));
    }
    SplittableRandom random = new SplittableRandom(seed * 1_000_003L + first.hashCode());
    if (random.nextDouble() < slowRate) {
      record("slow", records.size());
      try {
        Thread.sleep(slowMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (random.nextDouble() < crashRate && records.size() > 1) {
      SQSEvent firstHalf = new SQSEvent();
      firstHalf.setRecords(records.subList(0, records.size() / 2));
      delegate.handleRequest(firstHalf, context);
      record("crash", records.size());
      throw new IllegalStateException(
          "chaos: trigger killed mid-batch after handling "
              + records.size() / 2
              + " of "
              + records.size()
              + " records");
    }
    if (random.nextDouble() < duplicateRate) {
      record("duplicate", records.size());
      delegate.handleRequest(event, context);
    }
    return delegate.handleRequest(event, context);
  }

  private synchronized void record(String what, int records) {
    try {
      Files.writeString(
          log,
          what + " " + records + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the chaos log " + log, e);
    }
  }

  @Override
  public void close() throws Exception {
    delegate.close();
  }
}
