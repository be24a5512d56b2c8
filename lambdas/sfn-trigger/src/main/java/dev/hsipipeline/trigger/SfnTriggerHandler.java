package dev.hsipipeline.trigger;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import dev.hsipipeline.trigger.internal.AwsClients;
import dev.hsipipeline.trigger.internal.BatchStarter;
import dev.hsipipeline.trigger.internal.ExecutionNames;
import dev.hsipipeline.trigger.internal.Json;
import dev.hsipipeline.trigger.internal.JsonLog;
import dev.hsipipeline.trigger.internal.RecordOutcome;
import dev.hsipipeline.trigger.internal.S3PayloadStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * SQS → Step Functions trigger: starts one execution of {@code STATE_MACHINE_ARN} per record and
 * reports only the failed records ({@code ReportBatchItemFailures}), so SQS redelivers exactly
 * those and moves them to the DLQ after the queue's {@code maxReceiveCount}.
 *
 * <p>Execution input: {@code {"eventSourceARN", "queueName", "messageId", "parameters": {"event":
 * <body, or s3://bucket/prefix/name when larger than INLINE_PAYLOAD_LIMIT_BYTES>}}} — identical on
 * every delivery of a message. The execution name is derived from the message id, so a redelivery
 * cannot start a second execution: {@code ExecutionAlreadyExists} for the same message counts as
 * success. Records start concurrently (up to {@code MAX_CONCURRENCY} calls in flight). Settings:
 * see {@link TriggerConfig}.
 *
 * <p><b>Local hook.</b> The local stack loads the deployable jar in an isolated class loader (as
 * Lambda isolates a function) and cannot change its own process environment, so it constructs the
 * handler with {@link #SfnTriggerHandler(Map)}, passing the same variables Lambda would set
 * (including {@code AWS_ENDPOINT_URL_SFN}, {@code AWS_ENDPOINT_URL_S3}, {@code AWS_REGION} and
 * credentials). The handler implements {@link AutoCloseable} so such a host can release its HTTP
 * client; Lambda never calls it.
 */
public final class SfnTriggerHandler
    implements RequestHandler<SQSEvent, SQSBatchResponse>, AutoCloseable {

  /** Safety margin kept free before the Lambda deadline to report unattempted records. */
  private static final long DEADLINE_MARGIN_MILLIS = 2_000;

  private final TriggerConfig config;
  private final BatchStarter starter;
  private final AutoCloseable resources;
  private final JsonLog log;

  /** Lambda entry: reads settings from the process environment once, at init. */
  public SfnTriggerHandler() {
    this(System.getenv());
  }

  /**
   * Reads settings and AWS client configuration from {@code environment} instead of the process
   * environment (the local stack's hook, see the class comment).
   *
   * @throws IllegalArgumentException naming the variable when a setting is missing or invalid
   */
  public SfnTriggerHandler(Map<String, String> environment) {
    this(
        TriggerConfig.fromEnvironment(Objects.requireNonNull(environment, "environment")),
        environment);
  }

  private SfnTriggerHandler(TriggerConfig config, Map<String, String> environment) {
    this(AwsClients.fromEnvironment(environment, config.maxConcurrency()), config);
  }

  private SfnTriggerHandler(AwsClients clients, TriggerConfig config) {
    this(clients.sfn(), clients.payloads(), config, clients);
  }

  /** For tests: given clients (not closed by {@link #close()}) and settings. */
  SfnTriggerHandler(SfnClient sfn, S3PayloadStore s3, TriggerConfig config) {
    this(sfn, s3, config, null);
  }

  private SfnTriggerHandler(
      SfnClient sfn, S3PayloadStore s3, TriggerConfig config, AutoCloseable resources) {
    this.config = Objects.requireNonNull(config, "config");
    this.starter = new BatchStarter(sfn, s3, config);
    this.resources = resources;
    this.log = new JsonLog(System.out);
    prime();
  }

  @Override
  public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
    long t0 = System.nanoTime();
    List<SQSMessage> records =
        event == null || event.getRecords() == null ? List.of() : event.getRecords();
    String requestId = context == null ? null : context.getAwsRequestId();
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
    long deadline = Long.MAX_VALUE;
    if (context != null && context.getRemainingTimeInMillis() > 0) {
      long budget =
          Math.max(
              context.getRemainingTimeInMillis() - DEADLINE_MARGIN_MILLIS,
              context.getRemainingTimeInMillis() / 2L);
      deadline = t0 + budget * 1_000_000L;
    }

    RecordOutcome[] outcomes;
    try {
      outcomes = starter.startAll(records, deadline);
    } catch (RuntimeException | Error e) {
      // Never drop records silently: if the batch machinery itself fails, every record fails.
      log.error(
          "batch_failed",
          g -> {
            g.writeStringField("requestId", requestId);
            g.writeStringField("reason", e.toString());
          });
      List<SQSBatchResponse.BatchItemFailure> all = new ArrayList<>(records.size());
      for (SQSMessage m : records) {
        all.add(new SQSBatchResponse.BatchItemFailure(m.getMessageId()));
      }
      return new SQSBatchResponse(all);
    }

    List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
    int started = 0, duplicates = 0, offloaded = 0, permanent = 0, notAttempted = 0;
    for (int i = 0; i < outcomes.length; i++) {
      RecordOutcome o = outcomes[i];
      SQSMessage m = records.get(i);
      if (o.offloaded()) {
        offloaded++;
      }
      switch (o.kind()) {
        case STARTED -> started++;
        case DUPLICATE -> {
          duplicates++;
          log.info(
              "record_duplicate",
              g -> {
                g.writeStringField("messageId", m.getMessageId());
                g.writeStringField("executionName", o.executionName());
                g.writeStringField("reason", o.reason());
              });
        }
        default -> {
          if (o.kind() == RecordOutcome.Kind.PERMANENT_FAILURE) {
            permanent++;
          } else if (o.kind() == RecordOutcome.Kind.NOT_ATTEMPTED) {
            notAttempted++;
          }
          failures.add(new SQSBatchResponse.BatchItemFailure(m.getMessageId()));
          log.error(
              "record_failed",
              g -> {
                g.writeStringField("messageId", m.getMessageId());
                g.writeStringField("eventSourceARN", m.getEventSourceArn());
                g.writeStringField("executionName", o.executionName());
                g.writeStringField("kind", o.kind().name());
                g.writeBooleanField("permanent", o.kind() == RecordOutcome.Kind.PERMANENT_FAILURE);
                g.writeStringField("reason", o.reason());
              });
        }
      }
    }
    int fStarted = started,
        fDuplicates = duplicates,
        fOffloaded = offloaded,
        fPermanent = permanent,
        fNotAttempted = notAttempted;
    long millis = (System.nanoTime() - t0) / 1_000_000L;
    log.log(
        failures.isEmpty() ? "INFO" : "WARN",
        "batch_done",
        g -> {
          g.writeStringField("requestId", requestId);
          g.writeNumberField("records", records.size());
          g.writeNumberField("started", fStarted);
          g.writeNumberField("duplicates", fDuplicates);
          g.writeNumberField("failed", failures.size());
          g.writeNumberField("permanentFailures", fPermanent);
          g.writeNumberField("notAttempted", fNotAttempted);
          g.writeNumberField("offloaded", fOffloaded);
          g.writeNumberField("durationMs", millis);
        });
    return new SQSBatchResponse(failures);
  }

  /** The settings in use. */
  public TriggerConfig config() {
    return config;
  }

  /**
   * Ends the worker threads and closes the SDK clients this handler built (not ones given to the
   * test constructor).
   */
  @Override
  public void close() throws Exception {
    starter.close();
    if (resources != null) {
      resources.close();
    }
  }

  /**
   * Loads and links the per-record code paths at init (and so into a SnapStart snapshot) without
   * any network call, keeping the first invocation's latency down.
   */
  private void prime() {
    String name = ExecutionNames.fromMessageId("00000000-0000-0000-0000-000000000000");
    ExecutionNames.fromMessageId("prime:id");
    Json.validate("{\"prime\":[1,2.5,true,null,\"x\"]}");
    Json.executionInput("arn:aws:sqs:us-east-1:000000000000:prime", "prime", name, "{}");
    Json.topLevelStrings("{\"messageId\":\"x\"}", java.util.Set.of("messageId"));
  }
}
