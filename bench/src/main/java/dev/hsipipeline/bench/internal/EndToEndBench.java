package dev.hsipipeline.bench.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hsipipeline.bench.reliability.Artifacts;
import dev.hsipipeline.bench.reliability.LoadWithFaults;
import dev.hsipipeline.bench.reliability.ReliabilityStack;
import dev.hsipipeline.local.LocalStack;
import dev.hsipipeline.local.StackSettings;
import dev.hsipipeline.local.sfn.ExecutionInfo;
import dev.hsipipeline.local.sfn.ExecutionListener;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Benchmark 4: the whole local pipeline, N messages over both queues, from SendMessageBatch to
 * execution SUCCEEDED. Variant A is the real {@code LocalStack} (every job a JVM process running a
 * no-op job jar in the place of the real job); variant B is the same parts with a shell stand-in
 * for the job JVM (see {@code ReliabilityStack}), the lower bound of a process-per-job runner.
 */
public final class EndToEndBench {
  private EndToEndBench() {}

  public static List<Benchmark> run(BenchContext ctx) throws Exception {
    int n = ctx.quick() ? 100 : 1000;
    int runs = ctx.quick() ? 1 : Math.max(1, Math.min(3, ctx.runs() / 2));
    Benchmark rate =
        new Benchmark(
            "e2e-throughput",
            "4a. Local end to end, " + n + " messages: throughput",
            "messages/s",
            true);
    Benchmark latency =
        new Benchmark(
            "e2e-latency",
            "4b. Local end to end, " + n + " messages: enqueue -> SUCCEEDED latency",
            "ms",
            false);
    int cores = Runtime.getRuntime().availableProcessors();
    int vcpus = cores * 4;
    Map<String, List<Double>> rates = new LinkedHashMap<>();
    Map<String, List<Double>> p50 = new LinkedHashMap<>();
    Map<String, List<Double>> p99 = new LinkedHashMap<>();
    for (int r = 0; r < runs; r++) {
      for (boolean jvm : new boolean[] {true, false}) {
        String label =
            jvm
                ? "LocalStack, job = JVM process (no-op jar)"
                : "same parts, job = shell process (no JVM)";
        Path dir = ctx.work().resolve("e2e-" + r + (jvm ? "-jvm" : "-sh"));
        List<Double> lat;
        if (jvm) {
          StackSettings s =
              StackSettings.defaults(ctx.repoRoot())
                  .withDataDir(dir.resolve("data"))
                  .withEphemeralPorts()
                  .withJobsDir(Artifacts.jobs(ctx.repoRoot(), dir.resolve("jobs")))
                  .withVcpuBudget(vcpus);
          try (LocalStack stack = LocalStack.start(s)) {
            Map<String, String> q = new LinkedHashMap<>();
            Map<String, String> d = new LinkedHashMap<>();
            stack
                .queues()
                .keySet()
                .forEach(
                    role -> {
                      q.put(role, stack.queueUrl(role));
                      d.put(role, stack.dlqUrl(role));
                    });
            lat =
                measure(
                    ctx,
                    new LoadWithFaults(
                        stack.sqsEndpoint(),
                        stack.sfnEndpoint(),
                        stack.stateMachineArn(),
                        q,
                        d,
                        dir.resolve("data")),
                    n);
          }
        } else {
          try (ReliabilityStack stack =
              ReliabilityStack.start(
                  new ReliabilityStack.Options(
                      ctx.repoRoot(),
                      dir.resolve("data"),
                      dir.resolve("work"),
                      0,
                      0,
                      0,
                      180,
                      false,
                      vcpus,
                      Map.of()))) {
            lat = measure(ctx, LoadWithFaults.against(stack, dir.resolve("data")), n);
          }
        }
        double spanMs = lat.remove(lat.size() - 1);
        rates.computeIfAbsent(label, k -> new ArrayList<>()).add(n / (spanMs / 1000.0));
        p50.computeIfAbsent(label, k -> new ArrayList<>()).add(Stats.percentile(lat, 50));
        p99.computeIfAbsent(label, k -> new ArrayList<>()).add(Stats.percentile(lat, 99));
        ctx.progress("end to end run " + (r + 1) + "/" + runs + " (" + label + ") done");
      }
    }
    rates.forEach((label, v) -> rate.add(label, Benchmark.Kind.OURS, v));
    p50.forEach((label, v) -> latency.add("p50, " + label, Benchmark.Kind.OURS, v));
    p99.forEach((label, v) -> latency.add("p99, " + label, Benchmark.Kind.OURS, v));
    String how =
        "SQS (ElasticMQ) -> event source mapping (batch 10, window 1 s) -> trigger jar -> Step Functions"
            + " (H2 history) -> Batch runner (process per job, retry strategy, records/logs) on "
            + cores
            + " cores;"
            + " vCPU budget "
            + vcpus
            + " (jobs are no-ops); runs: "
            + runs;
    rate.note(how);
    latency.note(how);
    rate.note(
        "no in-process job mode exists: every job is a separate process, as a container would be; the shell"
            + " variant shows what the JVM start of each job costs");
    return List.of(rate, latency, singleMessage(ctx));
  }

  /**
   * Benchmark 4c: one message at a time, so no backlog: SendMessage to the activator queue until
   * its execution SUCCEEDED, through the real {@code LocalStack} with the no-op job jar, against
   * the 500 ms target. Splits each into enqueue → execution started and started → ended, and
   * reports the job process alone.
   */
  static Benchmark singleMessage(BenchContext ctx) throws Exception {
    int warmup = 5;
    int n = ctx.quick() ? 10 : 40;
    Benchmark b =
        new Benchmark(
            "e2e-single-latency",
            "4c. Local end to end, one message at a time: enqueue -> SUCCEEDED",
            "ms",
            false);
    Path dir = ctx.work().resolve("e2e-single");
    StackSettings s =
        StackSettings.defaults(ctx.repoRoot())
            .withDataDir(dir.resolve("data"))
            .withEphemeralPorts()
            .withJobsDir(Artifacts.jobs(ctx.repoRoot(), dir.resolve("jobs")))
            .withBatching(10, 0);
    BlockingQueue<Long> ended = new LinkedBlockingQueue<>();
    BlockingQueue<Long> started = new LinkedBlockingQueue<>();
    BlockingQueue<Double> jobMillis = new LinkedBlockingQueue<>();
    List<Double> total = new ArrayList<>();
    List<Double> toStart = new ArrayList<>();
    List<Double> toEnd = new ArrayList<>();
    List<Double> job = new ArrayList<>();
    try (LocalStack stack = LocalStack.start(s);
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
                  started.add(System.nanoTime());
                }

                @Override
                public void executionEnded(ExecutionInfo e) {
                  ended.add(e.status().equals("SUCCEEDED") ? System.nanoTime() : -1L);
                }
              });
      stack
          .batch()
          .addListener(
              record -> {
                if (record.path("status").asText().equals("SUCCEEDED")) {
                  JsonNode a = record.path("attempts").get(record.path("attempts").size() - 1);
                  jobMillis.add(
                      (double) (a.path("stoppedAt").asLong() - a.path("startedAt").asLong()));
                }
              });
      for (int i = 0; i < warmup + n; i++) {
        long t0 = System.nanoTime();
        sqs.sendMessage(
            m -> m.queueUrl(stack.queueUrl("activator")).messageBody("{\"noop\":true}"));
        Long end = ended.poll(120, TimeUnit.SECONDS);
        Long start = started.poll(1, TimeUnit.SECONDS);
        if (end == null || end < 0 || start == null) {
          throw new IllegalStateException("message " + i + " did not end SUCCEEDED within 120 s");
        }
        Double jobMs = jobMillis.poll(10, TimeUnit.SECONDS);
        if (i >= warmup) {
          total.add((end - t0) / 1e6);
          toStart.add((start - t0) / 1e6);
          toEnd.add((end - start) / 1e6);
          job.add(jobMs == null ? Double.NaN : jobMs);
        }
      }
    }
    Map<String, Object> extra = new LinkedHashMap<>();
    extra.put("p90Ms", Report.round(Stats.percentile(total, 90)));
    extra.put("enqueueToStartedMsMedian", Report.round(Stats.median(toStart)));
    extra.put("startedToEndedMsMedian", Report.round(Stats.median(toEnd)));
    extra.put("jobProcessMsMedian", Report.round(Stats.median(job)));
    b.add("LocalStack, job = JVM process (no-op jar)", Benchmark.Kind.OURS, total, extra);
    b.add("target", Benchmark.Kind.LIMIT, List.of(500.0));
    b.note(
        String.format(
            Locale.ROOT,
            "%d messages after %d warm-up; medians: enqueue -> started %.0f ms (SQS long poll +"
                + " ESM + trigger + StartExecution), started -> ended %.0f ms (Choice + Batch job"
                + " JVM + history), of which the job process %.0f ms",
            n,
            warmup,
            Stats.median(toStart),
            Stats.median(toEnd),
            Stats.median(job)));
    return b;
  }

  private static List<Double> measure(BenchContext ctx, LoadWithFaults load, int n)
      throws Exception {
    load.send(new LoadWithFaults.Plan(n, 0, 0, 0, 7));
    if (!load.awaitSettled(Duration.ofMinutes(30), ctx.log())) {
      throw new IllegalStateException("the end-to-end run did not finish within 30 minutes");
    }
    return load.latenciesMillis();
  }
}
