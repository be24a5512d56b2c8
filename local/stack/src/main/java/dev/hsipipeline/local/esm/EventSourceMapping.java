package dev.hsipipeline.local.esm;

import dev.hsipipeline.local.esm.internal.InvokePayload;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.arns.Arn;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;

/**
 * The Lambda SQS event source mapping for one queue, with {@code ReportBatchItemFailures}: it
 * long-polls the queue, gathers up to {@code batchSize} messages within the batching window (and no
 * more than Lambda's 6 MB synchronous invocation payload holds), invokes the function, deletes the
 * records that succeeded and leaves the failed ones to become visible again after the visibility
 * timeout (and, after {@code maxReceiveCount} receives, to move to the DLQ by the queue's redrive
 * policy). At most {@code maximumConcurrency} batches of this queue are in the function at once.
 */
public final class EventSourceMapping implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EventSourceMapping.class);

  /**
   * @param queueUrl the queue to poll
   * @param queueArn its ARN ({@code eventSourceARN} of every record)
   * @param batchSize records per invocation (1-10000)
   * @param batchingWindow how long to keep gathering after the first message (0 = invoke with what
   *     one receive returned)
   * @param maximumConcurrency concurrent invocations for this queue (2-1000 on AWS)
   * @param waitTimeSeconds the long-poll wait of each ReceiveMessage (0-20)
   */
  public record Settings(
      String queueUrl,
      String queueArn,
      int batchSize,
      Duration batchingWindow,
      int maximumConcurrency,
      int waitTimeSeconds) {
    public Settings {
      Objects.requireNonNull(queueUrl, "queueUrl");
      Objects.requireNonNull(queueArn, "queueArn");
      if (batchSize < 1 || batchSize > 10_000) {
        throw new IllegalArgumentException("batch_size must be 1-10000, got " + batchSize);
      }
      if (batchingWindow.isNegative() || batchingWindow.toSeconds() > 300) {
        throw new IllegalArgumentException(
            "maximum_batching_window_seconds must be 0-300, got " + batchingWindow);
      }
      if (maximumConcurrency < 1) {
        throw new IllegalArgumentException(
            "maximum_concurrency must be >= 1, got " + maximumConcurrency);
      }
      if (waitTimeSeconds < 0 || waitTimeSeconds > 20) {
        throw new IllegalArgumentException("wait time must be 0-20 s, got " + waitTimeSeconds);
      }
    }

    /** The queue's name: the resource part of its ARN. */
    public String queueName() {
      return Arn.fromString(queueArn).resourceAsString();
    }
  }

  private final Settings settings;
  private final SqsClient sqs;
  private final LambdaFunction function;
  private final Semaphore slots;
  private final ExecutorService invokers;
  private final Thread poller;
  private final AtomicLong invocations = new AtomicLong();
  private final AtomicLong deleted = new AtomicLong();
  private final AtomicLong leftForRetry = new AtomicLong();
  private final int visibilityTimeoutSeconds;
  private volatile boolean running = true;

  /** Received messages the previous batch had no room for; the next batch starts with them. */
  private final ArrayDeque<Sized> carried = new ArrayDeque<>();

  private EventSourceMapping(Settings settings, SqsClient sqs, LambdaFunction function) {
    this.settings = settings;
    this.sqs = sqs;
    this.function = function;
    this.visibilityTimeoutSeconds = visibilityTimeout(sqs, settings);
    this.slots = new Semaphore(settings.maximumConcurrency());
    this.invokers =
        Executors.newThreadPerTaskExecutor(
            Thread.ofPlatform()
                .name("esm-" + settings.queueName() + "-", 0)
                .daemon(true)
                .factory());
    this.poller =
        Thread.ofPlatform()
            .name("esm-poller-" + settings.queueName())
            .daemon(true)
            .unstarted(this::pollLoop);
  }

  /** The queue's VisibilityTimeout (Lambda reads the queue's attributes too), or -1. */
  private static int visibilityTimeout(SqsClient sqs, Settings settings) {
    try {
      String v =
          sqs.getQueueAttributes(
                  b ->
                      b.queueUrl(settings.queueUrl())
                          .attributeNames(QueueAttributeName.VISIBILITY_TIMEOUT))
              .attributes()
              .get(QueueAttributeName.VISIBILITY_TIMEOUT);
      return v == null ? -1 : Integer.parseInt(v);
    } catch (RuntimeException e) {
      LOG.warn(
          "{}: cannot read the queue's visibility timeout: {}", settings.queueName(), e.toString());
      return -1;
    }
  }

  /** Starts polling. The SQS client and function stay owned by the caller. */
  public static EventSourceMapping start(
      Settings settings, SqsClient sqs, LambdaFunction function) {
    EventSourceMapping esm = new EventSourceMapping(settings, sqs, function);
    esm.poller.start();
    LOG.debug("event source mapping started for {}", settings.queueArn());
    return esm;
  }

  public Settings settings() {
    return settings;
  }

  /** Batches handed to the function since start, whatever the outcome. */
  public long invocations() {
    return invocations.get();
  }

  /** Messages deleted after successful processing. */
  public long deletedMessages() {
    return deleted.get();
  }

  /** Messages left on the queue for redelivery because their record failed. */
  public long failedMessages() {
    return leftForRetry.get();
  }

  private void pollLoop() {
    while (running) {
      try {
        slots.acquire();
      } catch (InterruptedException e) {
        return;
      }
      boolean handedOff = false;
      try {
        Batch batch = gather();
        if (!batch.isEmpty()) {
          if (!running) {
            // Received while stopping: not invoked, they become visible again after the timeout.
            LOG.debug(
                "stopping: {} received message(s) left for redelivery", batch.messages.size());
          } else {
            invokers.execute(
                () -> {
                  try {
                    process(batch);
                  } finally {
                    slots.release();
                  }
                });
            handedOff = true;
          }
        }
      } catch (RuntimeException e) {
        if (running) {
          LOG.warn("polling {} failed: {} (retrying in 1 s)", settings.queueName(), e.toString());
          sleepQuietly(1000);
        }
      } finally {
        if (!handedOff) {
          slots.release();
        }
      }
    }
  }

  /**
   * One long poll, then more receives until the batch is full or the window has passed. A batch is
   * full at {@code batchSize} records or when the next record would take the event beyond Lambda's
   * synchronous invocation payload (6 MB): like Lambda, the mapping then invokes with what fits and
   * starts the next batch with the rest, which it already received.
   */
  private Batch gather() {
    Batch batch = new Batch();
    while (!carried.isEmpty() && batch.offer(carried.peek())) {
      carried.poll();
    }
    if (batch.isEmpty()) {
      take(batch, receive(settings.waitTimeSeconds(), settings.batchSize()));
    }
    if (batch.isEmpty() || settings.batchingWindow().isZero()) {
      return batch;
    }
    long deadline = System.nanoTime() + settings.batchingWindow().toNanos();
    while (running && !batch.full) {
      long remainingMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      if (remainingMs <= 0) {
        break;
      }
      int wait = (int) Math.min(20, Math.max(0, remainingMs / 1000));
      List<Message> more = receive(wait, settings.batchSize() - batch.messages.size());
      take(batch, more);
      if (more.isEmpty() && wait == 0) {
        sleepQuietly(Math.min(remainingMs, 50));
      }
    }
    return batch;
  }

  /** Adds received messages to the batch in order; those after the first that does not fit wait. */
  private void take(Batch batch, List<Message> received) {
    long now = System.nanoTime();
    for (Message m : received) {
      Sized s = new Sized(m, function.recordBytes(m, settings.queueArn()), now);
      if (!carried.isEmpty() || !batch.offer(s)) {
        carried.add(s);
      }
    }
  }

  /** A received message, the bytes it takes in the function's event and when it was received. */
  private record Sized(Message message, long bytes, long receivedNanos) {}

  /** The records of one invocation being gathered (poller thread only). */
  private final class Batch {
    final List<Message> messages = new ArrayList<>();
    long recordBytes;
    long firstReceivedNanos = Long.MAX_VALUE;
    boolean full;

    boolean isEmpty() {
      return messages.isEmpty();
    }

    /** Adds the message if it fits; the first that does not makes the batch full. */
    boolean offer(Sized s) {
      if (full) {
        return false;
      }
      long event = InvokePayload.eventBytes(recordBytes + s.bytes(), messages.size() + 1);
      // A lone record always goes (the function then refuses it if it alone is too large).
      if (!messages.isEmpty() && !InvokePayload.fits(event)) {
        full = true;
        LOG.debug(
            "{}: batch cut at {} records: the next would make a {}-byte event",
            settings.queueName(),
            messages.size(),
            event);
        return false;
      }
      messages.add(s.message());
      recordBytes += s.bytes();
      firstReceivedNanos = Math.min(firstReceivedNanos, s.receivedNanos());
      full = messages.size() >= settings.batchSize();
      return true;
    }
  }

  private List<Message> receive(int waitSeconds, int max) {
    if (!running) {
      return List.of();
    }
    ReceiveMessageResponse r =
        sqs.receiveMessage(
            b ->
                b.queueUrl(settings.queueUrl())
                    .maxNumberOfMessages(Math.min(10, max))
                    .waitTimeSeconds(waitSeconds)
                    .messageSystemAttributeNames(MessageSystemAttributeName.ALL)
                    .messageAttributeNames("All"));
    return r.messages();
  }

  private void process(Batch gathered) {
    List<Message> batch = gathered.messages;
    invocations.incrementAndGet();
    LambdaFunction.Result result = function.invoke(batch, settings.queueArn());
    List<Message> succeeded = new ArrayList<>();
    for (Message m : batch) {
      if (!result.failedMessageIds().contains(m.messageId())) {
        succeeded.add(m);
      }
    }
    leftForRetry.addAndGet(batch.size() - succeeded.size());
    if (!result.allSucceeded()) {
      LOG.info(
          "{}: {} of {} record(s) failed, left for redelivery{}",
          settings.queueName(),
          batch.size() - succeeded.size(),
          batch.size(),
          result.error() == null ? "" : " (" + result.error() + ")");
    }
    for (int i = 0; i < succeeded.size(); i += 10) {
      List<Message> chunk = succeeded.subList(i, Math.min(succeeded.size(), i + 10));
      List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
      for (int k = 0; k < chunk.size(); k++) {
        entries.add(
            DeleteMessageBatchRequestEntry.builder()
                .id(Integer.toString(k))
                .receiptHandle(chunk.get(k).receiptHandle())
                .build());
      }
      try {
        DeleteMessageBatchResponse r =
            sqs.deleteMessageBatch(b -> b.queueUrl(settings.queueUrl()).entries(entries));
        deleted.addAndGet(r.successful().size());
        r.failed()
            .forEach(
                f ->
                    LOG.warn(
                        "{}: could not delete a processed message ({}: {}); it will be redelivered",
                        settings.queueName(),
                        f.code(),
                        f.message()));
      } catch (RuntimeException e) { // CompletionException wraps the SDK's
        LOG.warn(
            "{}: DeleteMessageBatch failed ({}); {} processed message(s) will be redelivered",
            settings.queueName(),
            e.toString(),
            chunk.size());
      }
    }
    warnIfSlowerThanVisibility(gathered, batch.size());
  }

  /**
   * A batch whose records were received longer ago than the visibility timeout may already have
   * been delivered again (AWS advises a visibility timeout of six times the function timeout).
   */
  private void warnIfSlowerThanVisibility(Batch gathered, int records) {
    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - gathered.firstReceivedNanos);
    if (visibilityTimeoutSeconds >= 0 && tookMs > visibilityTimeoutSeconds * 1000L) {
      LOG.warn(
          "{}: {} record(s) took {} ms from receive to delete, longer than the queue's {} s"
              + " visibility timeout: they may have been delivered again",
          settings.queueName(),
          records,
          tookMs,
          visibilityTimeoutSeconds);
    }
  }

  private static void sleepQuietly(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Stops polling and waits (up to {@code drain}) for in-flight invocations to finish and delete
   * their messages. A long poll in progress is abandoned (the SQS server keeps it open until its
   * wait time ends, which is why the stack caps the wait); anything it receives stays on the queue
   * for redelivery after the visibility timeout.
   */
  public void stop(Duration drain) {
    running = false;
    poller.interrupt();
    invokers.shutdown();
    try {
      if (!invokers.awaitTermination(drain.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("{}: in-flight invocations did not finish within {}", settings.queueName(), drain);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    stop(Duration.ofSeconds(30));
  }
}
