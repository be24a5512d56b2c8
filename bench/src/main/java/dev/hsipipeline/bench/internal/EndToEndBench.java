package dev.hsipipeline.bench.internal;

import dev.hsipipeline.bench.reliability.Artifacts;
import dev.hsipipeline.bench.reliability.LoadWithFaults;
import dev.hsipipeline.bench.reliability.ReliabilityStack;
import dev.hsipipeline.local.LocalStack;
import dev.hsipipeline.local.StackSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
    return List.of(rate, latency);
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
