package dev.hsipipeline.trigger;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import dev.hsipipeline.trigger.internal.AwsClients;
import dev.hsipipeline.trigger.internal.BatchReport;
import dev.hsipipeline.trigger.internal.BatchStarter;
import dev.hsipipeline.trigger.internal.Json;
import dev.hsipipeline.trigger.internal.JsonLog;
import dev.hsipipeline.trigger.internal.RecordOutcome;
import dev.hsipipeline.trigger.internal.S3PayloadStore;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
    this.starter = new BatchStarter(sfn, s3, Objects.requireNonNull(config, "config"));
    this.resources = resources;
    this.log = new JsonLog(System.out);
    prime();
  }

  @Override
  public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
    long startNanos = System.nanoTime();
    List<SQSMessage> records =
        event == null || event.getRecords() == null ? List.of() : event.getRecords();
    String requestId = context == null ? null : context.getAwsRequestId();
    BatchReport report = new BatchReport(log, requestId, records, startNanos);
    report.received();
    RecordOutcome[] outcomes;
    try {
      outcomes = starter.startAll(records, deadlineNanos(context, startNanos));
    } catch (RuntimeException | Error e) {
      return report.failedAsAWhole(e);
    }
    return report.completed(outcomes);
  }

  /**
   * When to stop starting records: {@link #DEADLINE_MARGIN_MILLIS} before Lambda's deadline (at
   * least half the remaining time), so unattempted records can still be reported.
   */
  private static long deadlineNanos(Context context, long startNanos) {
    if (context == null || context.getRemainingTimeInMillis() <= 0) {
      return Long.MAX_VALUE;
    }
    long remaining = context.getRemainingTimeInMillis();
    long budget = Math.max(remaining - DEADLINE_MARGIN_MILLIS, remaining / 2L);
    return startNanos + budget * 1_000_000L;
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
