package dev.hsipipeline.local;

import dev.hsipipeline.local.sfn.ExecutionInfo;
import dev.hsipipeline.local.sfn.ExecutionListener;
import dev.hsipipeline.local.testjobs.TestJobs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Local end-to-end latency: SendMessage to the activator queue → execution SUCCEEDED, for a no-op
 * job (a dependency-free main that exits 0), through the real trigger artifact, the rendered state
 * machine and a child JVM per job. Not a test: run with {@code ./mvnw -pl local/stack verify
 * -Dgroups=bench -Dtest=EndToEndLatencyBenchmark -Dsurefire.failIfNoSpecifiedTests=false}. Prints
 * p50/p90/max and the split (enqueue → execution started, started → succeeded).
 */
@Tag("bench")
class EndToEndLatencyBenchmark {
  @TempDir Path dir;

  @Test
  void enqueueToSucceededLatency() throws Exception {
    int warmup = Integer.getInteger("bench.warmup", 5);
    int runs = Integer.getInteger("bench.runs", 40);
    Path jobs = dir.resolve("jobs");
    for (String job : List.of("activator", "processor")) {
      TestJobs.create(jobs, job, TestJobs.definition(job, 1, 1, 0));
    }
    StackSettings settings =
        StackSettings.defaults(StackSettings.findRepoRoot())
            .withDataDir(dir.resolve("data"))
            .withJobsDir(jobs)
            .withEphemeralPorts()
            .withBatching(10, 0);
    LinkedBlockingQueue<long[]> ended = new LinkedBlockingQueue<>();
    long[] started = new long[1];
    try (LocalStack stack = LocalStack.start(settings);
        SqsClient sqs =
            SqsClient.builder()
                .endpointOverride(stack.sqsEndpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(LocalStack.credentials())
                .httpClient(UrlConnectionHttpClient.create())
                .build()) {
      stack
          .stepFunctions()
          .addListener(
              new ExecutionListener() {
                @Override
                public void executionStarted(ExecutionInfo e) {
                  started[0] = System.nanoTime();
                }

                @Override
                public void executionEnded(ExecutionInfo e) {
                  ended.add(new long[] {System.nanoTime(), e.status().equals("SUCCEEDED") ? 1 : 0});
                }
              });
      LinkedBlockingQueue<Double> jobMillis = new LinkedBlockingQueue<>();
      stack
          .batch()
          .addListener(
              job -> {
                if (job.path("status").asText().equals("SUCCEEDED")) {
                  var a = job.path("attempts").get(job.path("attempts").size() - 1);
                  jobMillis.add(
                      (double) (a.path("stoppedAt").asLong() - a.path("startedAt").asLong()));
                }
              });
      List<Double> jobProcess = new ArrayList<>();
      List<Double> total = new ArrayList<>();
      List<Double> toStart = new ArrayList<>();
      List<Double> toEnd = new ArrayList<>();
      for (int i = 0; i < warmup + runs; i++) {
        long t0 = System.nanoTime();
        sqs.sendMessage(
            b -> b.queueUrl(stack.queueUrl("activator")).messageBody("{\"noop\":true}"));
        long[] end = ended.poll(120, TimeUnit.SECONDS);
        if (end == null || end[1] != 1) {
          throw new AssertionError("run " + i + " did not succeed");
        }
        Double jobMs = jobMillis.poll(10, TimeUnit.SECONDS);
        if (i >= warmup) {
          jobProcess.add(jobMs == null ? Double.NaN : jobMs);
          total.add((end[0] - t0) / 1e6);
          toStart.add((started[0] - t0) / 1e6);
          toEnd.add((end[0] - started[0]) / 1e6);
        }
      }
      String report =
          String.format(
              Locale.ROOT,
              "local e2e enqueue -> SUCCEEDED, no-op job, %d runs after %d warm-up (cores=%d):%n"
                  + "  total          p50 %6.0f ms  p90 %6.0f ms  max %6.0f ms%n"
                  + "  enqueue->start p50 %6.0f ms  (SQS long poll + ESM + trigger + StartExecution)%n"
                  + "  start->end     p50 %6.0f ms  (Choice + Batch job JVM + history)%n"
                  + "  job process    p50 %6.0f ms  (the child JVM alone, start to exit)%n",
              runs,
              warmup,
              Runtime.getRuntime().availableProcessors(),
              pct(total, 50),
              pct(total, 90),
              pct(total, 100),
              pct(toStart, 50),
              pct(toEnd, 50),
              pct(jobProcess, 50));
      System.out.print(report);
      Files.writeString(Path.of("target", "bench-e2e-latency.txt"), report);
    }
  }

  private static double pct(List<Double> values, int p) {
    List<Double> s = new ArrayList<>(values);
    Collections.sort(s);
    int idx = (int) Math.ceil(p / 100.0 * s.size()) - 1;
    return s.get(Math.max(0, Math.min(s.size() - 1, idx)));
  }
}
