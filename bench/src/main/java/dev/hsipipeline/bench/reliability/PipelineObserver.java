package dev.hsipipeline.bench.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.stream.Stream;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * What the pipeline shows after a run, read as an operator would: every execution through
 * ListExecutions/DescribeExecution, the DLQs' messages, and the Batch job records in the data dir.
 */
final class PipelineObserver {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Supplier<SqsClient> sqs;
  private final Supplier<SfnClient> sfn;
  private final String stateMachineArn;
  private final Collection<String> dlqUrls;
  private final Path dataDir;

  PipelineObserver(
      Supplier<SqsClient> sqs,
      Supplier<SfnClient> sfn,
      String stateMachineArn,
      Collection<String> dlqUrls,
      Path dataDir) {
    this.sqs = sqs;
    this.sfn = sfn;
    this.stateMachineArn = stateMachineArn;
    this.dlqUrls = dlqUrls;
    this.dataDir = dataDir;
  }

  /** The bodies of every message in the DLQs (received with a long visibility timeout). */
  Set<String> dlqBodies() {
    Set<String> dlqBodies = new HashSet<>();
    try (SqsClient sqs = this.sqs.get()) {
      for (String url : dlqUrls) {
        int empty = 0;
        while (empty < 2) {
          List<Message> ms =
              sqs.receiveMessage(
                      b ->
                          b.queueUrl(url)
                              .maxNumberOfMessages(10)
                              .visibilityTimeout(600)
                              .waitTimeSeconds(0))
                  .messages();
          if (ms.isEmpty()) {
            empty++;
          }
          ms.forEach(m -> dlqBodies.add(m.body()));
        }
      }
    }
    return dlqBodies;
  }

  /** Highest attempt count of any job, by the seq of its event (from the Batch job records). */
  Map<String, Integer> jobAttempts() throws IOException {
    Map<String, Integer> bySeq = new HashMap<>();
    Path jobs = dataDir.resolve("batch").resolve("jobs");
    if (!Files.isDirectory(jobs)) {
      return bySeq;
    }
    try (Stream<Path> files = Files.list(jobs)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
        JsonNode rec;
        try {
          rec = JSON.readTree(f.toFile());
        } catch (IOException e) {
          continue; // being rewritten
        }
        String event = rec.path("parameters").path("event").asText("");
        java.util.regex.Matcher m =
            java.util.regex.Pattern.compile("\"seq\":(\\d+)").matcher(event);
        if (m.find() && "SUCCEEDED".equals(rec.path("status").asText())) {
          bySeq.merge(m.group(1), rec.path("attempts").size(), Math::max);
        }
      }
    }
    return bySeq;
  }

  /** Every execution of the state machine (all ListExecutions pages), described 8 at a time. */
  List<DescribeExecutionResponse> describeAllExecutions() throws Exception {
    try (SfnClient sfn = this.sfn.get();
        ExecutorService pool = Executors.newFixedThreadPool(8)) {
      List<ExecutionListItem> items = new ArrayList<>();
      String token = null;
      do {
        String t = token;
        var r =
            sfn.listExecutions(
                b -> b.stateMachineArn(stateMachineArn).maxResults(1000).nextToken(t));
        items.addAll(r.executions());
        token = r.nextToken();
      } while (token != null);
      List<Future<DescribeExecutionResponse>> fs = new ArrayList<>();
      for (ExecutionListItem it : items) {
        fs.add(pool.submit(() -> sfn.describeExecution(b -> b.executionArn(it.executionArn()))));
      }
      List<DescribeExecutionResponse> out = new ArrayList<>(fs.size());
      for (Future<DescribeExecutionResponse> f : fs) {
        out.add(f.get());
      }
      return out;
    }
  }
}
