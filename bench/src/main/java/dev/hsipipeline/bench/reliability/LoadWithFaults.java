package dev.hsipipeline.bench.reliability;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * The load-with-faults scenario: sends a seeded mix of messages over both queues through the real
 * SQS API, waits until the pipeline has settled, then builds the {@link Ledger} from the public
 * APIs only (ListExecutions/DescribeExecution, the DLQs) plus the Batch job records.
 *
 * <p>Message kinds: ok; transient (the job fails its first attempt: {@code
 * "faults":{"failAttempts":1}}, must SUCCEED on Batch's retry); permanent (the job exits 2: must
 * end FAILED with the job's exit code in the cause); not-JSON (the trigger rejects it: must reach
 * the DLQ after maxReceiveCount, with no execution).
 */
public final class LoadWithFaults {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What to send. Rates are fractions of all messages. */
  public record Plan(
      int messages, double transientRate, double permanentRate, double notJsonRate, long seed) {}

  enum Kind {
    OK,
    TRANSIENT,
    PERMANENT,
    NOT_JSON
  }

  record Sent(int seq, Kind kind, String role, String body, long sentAtMillis) {}

  private final URI sqsEndpoint;
  private final URI sfnEndpoint;
  private final String stateMachineArn;
  private final Map<String, String> queueUrls;
  private final Map<String, String> dlqUrls;
  private final Path dataDir;
  private final Map<String, Sent> sent = new ConcurrentHashMap<>();
  private long firstSend;

  /**
   * @param queueUrls queue URL by role (activator, processor)
   * @param dlqUrls DLQ URL by role
   * @param dataDir the stack's data dir (Batch job records)
   */
  public LoadWithFaults(
      URI sqsEndpoint,
      URI sfnEndpoint,
      String stateMachineArn,
      Map<String, String> queueUrls,
      Map<String, String> dlqUrls,
      Path dataDir) {
    this.sqsEndpoint = sqsEndpoint;
    this.sfnEndpoint = sfnEndpoint;
    this.stateMachineArn = stateMachineArn;
    this.queueUrls = Map.copyOf(queueUrls);
    this.dlqUrls = Map.copyOf(dlqUrls);
    this.dataDir = dataDir;
  }

  public static LoadWithFaults against(ReliabilityStack stack, Path dataDir) {
    Map<String, String> q = new LinkedHashMap<>();
    Map<String, String> d = new LinkedHashMap<>();
    for (String role : stack.queues().keySet()) {
      q.put(role, stack.queueUrl(role));
      d.put(role, stack.dlqUrl(role));
    }
    return new LoadWithFaults(
        stack.sqsEndpoint(), stack.sfnEndpoint(), stack.stateMachineArn(), q, d, dataDir);
  }

  SqsClient sqs() {
    return SqsClient.builder()
        .endpointOverride(sqsEndpoint)
        .region(Region.US_EAST_1)
        .credentialsProvider(ReliabilityStack.credentials())
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  SfnClient sfn() {
    return SfnClient.builder()
        .endpointOverride(sfnEndpoint)
        .region(Region.US_EAST_1)
        .credentialsProvider(ReliabilityStack.credentials())
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  /**
   * Sends the plan's messages (SendMessageBatch, 4 senders), alternating queues. Only messages SQS
   * acknowledged count as sent.
   */
  public void send(Plan plan) throws Exception {
    SplittableRandom random = new SplittableRandom(plan.seed());
    List<Sent> all = new ArrayList<>(plan.messages());
    List<String> roles = new ArrayList<>(queueUrls.keySet());
    for (int i = 0; i < plan.messages(); i++) {
      double r = random.nextDouble();
      Kind kind =
          r < plan.notJsonRate()
              ? Kind.NOT_JSON
              : r < plan.notJsonRate() + plan.permanentRate()
                  ? Kind.PERMANENT
                  : r < plan.notJsonRate() + plan.permanentRate() + plan.transientRate()
                      ? Kind.TRANSIENT
                      : Kind.OK;
      String role = roles.get(i % roles.size());
      all.add(new Sent(i, kind, role, body(i, kind), 0));
    }
    firstSend = System.currentTimeMillis();
    try (SqsClient sqs = sqs();
        ExecutorService pool = Executors.newFixedThreadPool(4)) {
      List<Future<?>> futures = new ArrayList<>();
      for (String role : roles) {
        List<Sent> mine = all.stream().filter(s -> s.role().equals(role)).toList();
        for (int i = 0; i < mine.size(); i += 10) {
          List<Sent> chunk = mine.subList(i, Math.min(mine.size(), i + 10));
          futures.add(pool.submit(() -> sendChunk(sqs, queueUrls.get(role), chunk)));
        }
      }
      for (Future<?> f : futures) {
        f.get();
      }
    }
  }

  private void sendChunk(SqsClient sqs, String url, List<Sent> chunk) {
    List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
    for (int k = 0; k < chunk.size(); k++) {
      entries.add(
          SendMessageBatchRequestEntry.builder()
              .id(Integer.toString(k))
              .messageBody(chunk.get(k).body())
              .build());
    }
    long now = System.currentTimeMillis();
    SendMessageBatchResponse r = sqs.sendMessageBatch(b -> b.queueUrl(url).entries(entries));
    r.successful()
        .forEach(
            ok -> {
              Sent s = chunk.get(Integer.parseInt(ok.id()));
              sent.put(ok.messageId(), new Sent(s.seq(), s.kind(), s.role(), s.body(), now));
            });
    if (!r.failed().isEmpty()) {
      throw new IllegalStateException(
          "SQS rejected " + r.failed().size() + " message(s): " + r.failed().get(0));
    }
  }

  static String body(int seq, Kind kind) {
    return switch (kind) {
      case OK -> "{\"seq\":" + seq + ",\"scene\":\"s3://hsi-data/scenes/r-" + seq + ".hdr\"}";
      case TRANSIENT ->
          "{\"seq\":"
              + seq
              + ",\"scene\":\"s3://hsi-data/scenes/r-"
              + seq
              + ".hdr\",\"faults\":{\"failAttempts\":1}}";
      case PERMANENT -> "{\"seq\":" + seq + ",\"permanent\":true}";
      case NOT_JSON -> "not json #" + seq + " {\"seq\":";
    };
  }

  /** Messages sent so far (acknowledged by SQS). */
  public int sentCount() {
    return sent.size();
  }

  /**
   * Polls until every message is accounted for (terminal execution or DLQ entry) and both queues
   * are empty, or the deadline passes. Returns whether it settled.
   */
  public boolean awaitSettled(Duration timeout, PrintStream progress) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    long expectedExec = sent.values().stream().filter(s -> s.kind() != Kind.NOT_JSON).count();
    long expectedDlq = sent.size() - expectedExec;
    long lastPrint = 0;
    try (SqsClient sqs = sqs();
        SfnClient sfn = sfn()) {
      while (System.nanoTime() < deadline) {
        long done = count(sfn, ExecutionStatus.SUCCEEDED) + count(sfn, ExecutionStatus.FAILED);
        long inQueues = 0;
        long inDlq = 0;
        for (String url : queueUrls.values()) {
          inQueues += depth(sqs, url);
        }
        for (String url : dlqUrls.values()) {
          inDlq += depth(sqs, url);
        }
        if (System.nanoTime() - lastPrint > 10_000_000_000L) {
          progress.printf(
              "  ... %d/%d executions ended, %d/%d in DLQs, %d in queues%n",
              done, expectedExec, inDlq, expectedDlq, inQueues);
          progress.flush();
          lastPrint = System.nanoTime();
        }
        if (done >= expectedExec && inDlq >= expectedDlq && inQueues == 0) {
          return true;
        }
        Thread.sleep(1000);
      }
    }
    return false;
  }

  private long count(SfnClient sfn, ExecutionStatus status) {
    long n = 0;
    String token = null;
    do {
      String t = token;
      var r =
          sfn.listExecutions(
              b ->
                  b.stateMachineArn(stateMachineArn)
                      .statusFilter(status)
                      .maxResults(1000)
                      .nextToken(t));
      n += r.executions().size();
      token = r.nextToken();
    } while (token != null);
    return n;
  }

  private static long depth(SqsClient sqs, String url) {
    Map<QueueAttributeName, String> a =
        sqs.getQueueAttributes(
                b ->
                    b.queueUrl(url)
                        .attributeNames(
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
            .attributes();
    return Long.parseLong(a.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "0"))
        + Long.parseLong(
            a.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, "0"));
  }

  /**
   * Builds the ledger. {@code extraInjected} adds counts known to the caller (chaos log, kills).
   * Every message must have exactly one execution with the outcome its kind calls for, or (not
   * JSON) a DLQ entry only.
   */
  public Ledger ledger(String scenario, Map<String, Long> extraInjected) throws IOException {
    double seconds = (System.currentTimeMillis() - firstSend) / 1000.0;
    PipelineObserver observer = observer();
    Map<String, List<DescribeExecutionResponse>> byMessage = new HashMap<>();
    long executions = 0;
    try {
      List<DescribeExecutionResponse> described = observer.describeAllExecutions();
      executions = described.size();
      for (DescribeExecutionResponse d : described) {
        String id = JSON.readTree(d.input()).path("messageId").asText();
        byMessage.computeIfAbsent(id, k -> new ArrayList<>()).add(d);
      }
    } catch (Exception e) {
      throw new IOException("cannot read the executions: " + e, e);
    }
    return new LedgerAccounting(sent, byMessage, observer.dlqBodies(), observer.jobAttempts())
        .ledger(scenario, executions, extraInjected, seconds);
  }

  private PipelineObserver observer() {
    return new PipelineObserver(this::sqs, this::sfn, stateMachineArn, dlqUrls.values(), dataDir);
  }

  /**
   * Enqueue-to-end latency (ms) of every execution: DescribeExecution's stopDate minus the time the
   * message's SendMessageBatch was issued; plus, as the last element, the span from the first send
   * to the last stop (ms).
   */
  public List<Double> latenciesMillis() throws Exception {
    List<Double> out = new ArrayList<>();
    long lastStop = 0;
    for (DescribeExecutionResponse d : observer().describeAllExecutions()) {
      Sent s = sent.get(JSON.readTree(d.input()).path("messageId").asText());
      if (s != null && d.stopDate() != null) {
        out.add((double) (d.stopDate().toEpochMilli() - s.sentAtMillis()));
        lastStop = Math.max(lastStop, d.stopDate().toEpochMilli());
      }
    }
    out.add((double) (lastStop - firstSend));
    return out;
  }
}
