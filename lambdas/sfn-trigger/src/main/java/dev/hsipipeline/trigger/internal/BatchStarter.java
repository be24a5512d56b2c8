package dev.hsipipeline.trigger.internal;

import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import dev.hsipipeline.trigger.ExecutionNames;
import dev.hsipipeline.trigger.TriggerConfig;
import dev.hsipipeline.trigger.internal.RecordOutcome.Kind;
import java.net.ConnectException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import software.amazon.awssdk.arns.Arn;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.InvalidArnException;
import software.amazon.awssdk.services.sfn.model.InvalidExecutionInputException;
import software.amazon.awssdk.services.sfn.model.InvalidNameException;
import software.amazon.awssdk.services.sfn.model.StateMachineDeletingException;
import software.amazon.awssdk.services.sfn.model.StateMachineDoesNotExistException;

/**
 * Starts one execution per record with at most {@code MAX_CONCURRENCY} calls in flight and returns
 * one outcome per record, in record order. Never throws for a record: every problem becomes an
 * outcome.
 *
 * <p>The calls run on reused platform threads, not on a fresh virtual thread per worker and batch:
 * each StartExecution blocks in a socket read under ~150 SDK frames, and a virtual thread that
 * blocks there copies that stack to the heap (a new stack chunk for every new thread, so per record
 * with 10-record batches) and goes through the poller to wake up. A few dozen idle platform threads
 * cost nothing per call (see docs/adr/0091).
 */
public final class BatchStarter implements AutoCloseable {

  /** Idle workers end after this long (a warm environment reuses them between batches). */
  private static final long WORKER_KEEP_ALIVE_SECONDS = 60;

  private static final Set<String> IDENTITY_FIELDS = Set.of("messageId", "eventSourceARN");

  private final SfnClient sfn;
  private final S3PayloadStore s3;
  private final TriggerConfig config;
  private final String executionArnPrefix;
  private final ThreadPoolExecutor pool;

  /** Uses the given clients and settings. */
  public BatchStarter(SfnClient sfn, S3PayloadStore s3, TriggerConfig config) {
    this.sfn = Objects.requireNonNull(sfn, "sfn client");
    this.s3 = s3;
    this.config = Objects.requireNonNull(config, "config");
    this.executionArnPrefix = executionArnPrefix(config.stateMachineArn());
    // Unbounded like a cached pool (a host may run batches of one handler concurrently; each
    // batch bounds its own calls), idle threads time out; daemon so they never keep a JVM alive.
    ThreadFactory threads = Thread.ofPlatform().name("sfn-trigger-", 0).daemon(true).factory();
    this.pool =
        new ThreadPoolExecutor(
            0,
            Integer.MAX_VALUE,
            WORKER_KEEP_ALIVE_SECONDS,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            threads);
  }

  /**
   * Processes all records; records still waiting when {@code deadlineNanos} (a {@link
   * System#nanoTime()} value, or {@link Long#MAX_VALUE}) passes, or after a batch-wide error, are
   * reported as {@link Kind#NOT_ATTEMPTED}.
   */
  public RecordOutcome[] startAll(List<SQSMessage> records, long deadlineNanos) {
    int n = records.size();
    RecordOutcome[] outcomes = new RecordOutcome[n];
    AtomicInteger next = new AtomicInteger();
    AtomicReference<String> batchError = new AtomicReference<>();
    Runnable worker =
        () -> {
          for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
            SQSMessage m = records.get(i);
            String fatal = batchError.get();
            if (fatal != null) {
              outcomes[i] = notAttempted(m, "not attempted after batch-wide error: " + fatal);
            } else if (System.nanoTime() - deadlineNanos > 0) {
              outcomes[i] = notAttempted(m, "not attempted: the invocation is about to time out");
            } else {
              outcomes[i] = startOne(m, batchError);
            }
          }
        };
    int workers = Math.min(config.maxConcurrency(), n);
    if (workers > 1) {
      CountDownLatch done = new CountDownLatch(workers - 1);
      for (int w = 1; w < workers; w++) {
        pool.execute(
            () -> {
              try {
                worker.run();
              } finally {
                done.countDown();
              }
            });
      }
      worker.run(); // the invoking thread is worker 0
      awaitUninterruptibly(done);
    } else {
      worker.run();
    }
    return outcomes;
  }

  /** Ends the idle worker threads (they also end by themselves after a minute without work). */
  @Override
  public void close() {
    pool.shutdown();
  }

  private RecordOutcome startOne(SQSMessage m, AtomicReference<String> batchError) {
    String messageId = m.getMessageId();
    String name = ExecutionNames.fromMessageId(messageId);
    try {
      String body = m.getBody() == null ? "" : m.getBody();
      if (config.requireJsonBody()) {
        String problem = Json.validate(body);
        if (problem != null) {
          return new RecordOutcome(
              Kind.PERMANENT_FAILURE, name, "body is not valid JSON: " + problem, false);
        }
      }
      String event = body;
      boolean offloaded = false;
      // Inline, the body travels in the job's command, inside ECS's container overrides (at most
      // 8,192 characters of escaped JSON): measure it as it will be there.
      int bytes = overridesLength(body);
      if (bytes > config.inlinePayloadLimitBytes()) {
        if (!config.canOffload() || s3 == null) {
          return new RecordOutcome(
              Kind.PERMANENT_FAILURE,
              name,
              "body of "
                  + bytes
                  + " characters as escaped JSON exceeds INLINE_PAYLOAD_LIMIT_BYTES="
                  + config.inlinePayloadLimitBytes()
                  + " and PAYLOAD_BUCKET is not set",
              false);
        }
        event = offload(name, body);
        offloaded = true;
      }
      String arn = m.getEventSourceArn();
      String input = Json.executionInput(arn, queueName(arn), messageId, event);
      try {
        sfn.startExecution(
            b -> b.stateMachineArn(config.stateMachineArn()).name(name).input(input));
        return new RecordOutcome(Kind.STARTED, name, null, offloaded);
      } catch (ExecutionAlreadyExistsException e) {
        return classifyExisting(name, input, messageId, arn, offloaded);
      }
    } catch (InvalidExecutionInputException | InvalidNameException e) {
      return new RecordOutcome(Kind.PERMANENT_FAILURE, name, describe(e), false);
    } catch (StateMachineDoesNotExistException
        | StateMachineDeletingException
        | InvalidArnException e) {
      batchError.compareAndSet(null, describe(e));
      return new RecordOutcome(Kind.FAILURE, name, describe(e), false);
    } catch (AwsServiceException e) {
      if (e.statusCode() == 401 || e.statusCode() == 403) {
        batchError.compareAndSet(null, describe(e));
      }
      return new RecordOutcome(Kind.FAILURE, name, describe(e), false);
    } catch (SdkClientException e) {
      if (hasCause(e, ConnectException.class)) {
        batchError.compareAndSet(null, describe(e));
      }
      return new RecordOutcome(Kind.FAILURE, name, describe(e), false);
    } catch (S3PayloadStore.S3WriteException e) {
      return new RecordOutcome(Kind.FAILURE, name, e.getMessage(), false);
    } catch (RuntimeException e) {
      return new RecordOutcome(Kind.FAILURE, name, "unexpected " + describe(e), false);
    }
  }

  /**
   * An execution with this name exists. Same message (same id and source queue) means a redelivery:
   * success, even if the input differs in form (e.g. the inline limit changed between deliveries).
   * A different message behind the same name is a real collision: a permanent failure, so the
   * message ends in the DLQ instead of being dropped.
   */
  private RecordOutcome classifyExisting(
      String name, String input, String messageId, String arn, boolean offloaded) {
    String existingInput =
        sfn.describeExecution(b -> b.executionArn(executionArnPrefix + name)).input();
    if (input.equals(existingInput)) {
      return new RecordOutcome(
          Kind.DUPLICATE, name, "execution already exists (redelivery)", offloaded);
    }
    Map<String, String> existing = Json.topLevelStrings(existingInput, IDENTITY_FIELDS);
    if (Objects.equals(existing.get("messageId"), messageId)
        && Objects.equals(existing.get("eventSourceARN"), arn)) {
      return new RecordOutcome(
          Kind.DUPLICATE,
          name,
          "execution already exists for this message with a differently shaped input",
          offloaded);
    }
    return new RecordOutcome(
        Kind.PERMANENT_FAILURE,
        name,
        "execution name collision: "
            + name
            + " already belongs to messageId="
            + existing.get("messageId")
            + " eventSourceARN="
            + existing.get("eventSourceARN"),
        offloaded);
  }

  private String offload(String name, String body) {
    String key = config.payloadPrefix() + name;
    s3.put(
        config.payloadBucket(),
        key,
        body,
        config.requireJsonBody() ? "application/json" : "text/plain; charset=utf-8");
    return "s3://" + config.payloadBucket() + "/" + key;
  }

  /** The queue name: the resource of {@code arn:aws:sqs:region:account:name}, else the input. */
  public static String queueName(String eventSourceArn) {
    if (eventSourceArn == null) {
      return null;
    }
    return Arn.tryFromString(eventSourceArn).map(Arn::resourceAsString).orElse(eventSourceArn);
  }

  /**
   * {@code arn:<p>:states:<r>:<a>:execution:<stateMachineName>:} for a state machine ARN, with or
   * without a version or alias qualifier.
   */
  static String executionArnPrefix(String stateMachineArn) {
    Arn machine = Arn.fromString(stateMachineArn);
    String name = machine.resource().resource();
    return machine.toBuilder().resource("execution:" + name + ":").build().toString();
  }

  private static RecordOutcome notAttempted(SQSMessage m, String reason) {
    return new RecordOutcome(
        Kind.NOT_ATTEMPTED, ExecutionNames.fromMessageId(m.getMessageId()), reason, false);
  }

  private static String describe(Exception e) {
    if (e instanceof AwsServiceException a && a.awsErrorDetails() != null) {
      return a.awsErrorDetails().errorCode()
          + " (HTTP "
          + a.statusCode()
          + "): "
          + a.awsErrorDetails().errorMessage();
    }
    if (e instanceof SdkException) {
      return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
    return e.getClass().getName() + ": " + e.getMessage();
  }

  private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (type.isInstance(c)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The characters a body takes as a JSON string in the job's container overrides, counted the
   * worst way AWS may write it: quote, backslash and the short escapes as 2, other control
   * characters and every non-ASCII UTF-16 unit as 6 ({@code \\uXXXX}), the rest as 1. Never less
   * than the body's UTF-8 length.
   */
  public static int overridesLength(String s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\' || c == '\n' || c == '\r' || c == '\t' || c == '\b' || c == '\f') {
        n += 2;
      } else if (c < 0x20 || c > 0x7e) {
        n += 6;
      } else {
        n++;
      }
    }
    return n;
  }

  static int utf8Length(String s) {
    int bytes = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        bytes++;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }

  private static void awaitUninterruptibly(CountDownLatch latch) {
    boolean interrupted = false;
    while (true) {
      try {
        latch.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
