package dev.hsipipeline.bench.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hsipipeline.local.TemplateRenderer;
import dev.hsipipeline.local.sfn.asl.AslDefinition;
import dev.hsipipeline.local.sfn.asl.AslInterpreter;
import dev.hsipipeline.local.sfn.asl.ExecutionContext;
import dev.hsipipeline.local.sfn.asl.ExecutionOutcome;
import dev.hsipipeline.local.sfn.asl.HistorySink;
import dev.hsipipeline.local.sfn.asl.TaskInvoker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Benchmark 3: executions/s of our ASL interpreter against the npm package {@code
 * aws-local-stepfunctions} on the same rendered {@code statemachine/pipeline.asl.json}, the same
 * two inputs (one per queue, alternating) and the same no-op results for the Batch task and the
 * outcome read. Both run executions one after another on one thread after a warm-up; no HTTP, no
 * persistence. Also checks that per-state cost does not grow with history length (ADR 0013).
 */
public final class InterpreterBench {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String ACTIVATOR_ARN = "arn:aws:sqs:us-east-1:000000000000:activator-queue";
  static final String PROCESSOR_ARN = "arn:aws:sqs:us-east-1:000000000000:processor-queue";

  private InterpreterBench() {}

  public static Benchmark run(BenchContext ctx) throws Exception {
    Benchmark b =
        new Benchmark(
            "interpreter",
            "3. ASL interpreter: pipeline definition, no-op Batch task",
            "executions/s",
            true);
    String rendered =
        render(Files.readString(ctx.repoRoot().resolve("statemachine/pipeline.asl.json")));
    Path defFile = ctx.work().resolve("asl/pipeline.rendered.json");
    Files.createDirectories(defFile.getParent());
    Files.writeString(defFile, rendered);
    AslDefinition definition = AslDefinition.parse(rendered);
    AslInterpreter interpreter = new AslInterpreter();
    ObjectNode jobResult = JSON.createObjectNode();
    jobResult
        .put("JobId", "job-1")
        .put("JobName", "activator")
        .put("Status", "SUCCEEDED")
        .put("StatusReason", "Essential container in task exited")
        .put("JobQueue", "q");
    // The job's outcome, as ReadJobOutcome's aws-sdk:s3:getObject returns it (ADR 0166).
    ObjectNode outcomeRead = JSON.createObjectNode();
    outcomeRead
        .put("Body", "{\"status\":\"done\",\"message\":\"bench\",\"outputs\":{}}")
        .put("ContentLength", 48)
        .put("ContentType", "application/json");
    TaskInvoker noop =
        invocation ->
            invocation.resource().startsWith("arn:aws:states:::aws-sdk:s3:")
                ? outcomeRead
                : jobResult;
    JsonNode[] inputs = {input(ACTIVATOR_ARN), input(PROCESSOR_ARN)};
    double seconds = ctx.quick() ? 2 : 5;

    // The engine's own peer script (bench/asl/bench.mjs, run by bench/asl/run.sh): reused as is.
    Path peer = ctx.repoRoot().resolve("bench/asl/bench.mjs");
    boolean node = Files.isRegularFile(peer) && peerInstalled(ctx, b);
    String nodeVersion = node ? version("node", "--version") : null;
    loop(interpreter, definition, noop, inputs, Math.max(2, seconds / 2), false); // JIT warm-up
    List<Double> noHistory = new ArrayList<>();
    List<Double> withHistory = new ArrayList<>();
    List<Double> peerRate = new ArrayList<>();
    String peerVersion = null;
    int runs = Math.max(3, ctx.runs());
    for (int r = 0; r < runs; r++) {
      noHistory.add(loop(interpreter, definition, noop, inputs, seconds, false));
      withHistory.add(loop(interpreter, definition, noop, inputs, seconds, true));
      if (node) {
        Processes.Run p =
            Processes.run(
                List.of("node", peer.toString(), defFile.toString(), Double.toString(seconds)),
                Map.of("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin")),
                ctx.work().resolve("asl/peer.log"),
                (long) (seconds * 4 + 60));
        peerRate.add(p.result().path("node_aws_local_stepfunctions_exec_per_s_median").asDouble());
        peerVersion = nodePackageVersion(ctx) + " on node " + nodeVersion;
      }
      ctx.progress("interpreter run " + (r + 1) + "/" + runs);
    }
    double[] historyCost = historyLengthIndependence(interpreter);
    b.add("our AslInterpreter (no history sink)", Benchmark.Kind.OURS, noHistory);
    b.add("our AslInterpreter (recording history)", Benchmark.Kind.OURS, withHistory);
    if (node) {
      b.add(peerVersion + " (peer)", Benchmark.Kind.PEER, peerRate);
    }
    b.note(
        "same rendered definition: Choice -> Task (submitJob.sync, Retry/Catch, ResultSelector, ResultPath) for"
            + " both queues alternately; the peer's Task handlers are local overrides returning the same object");
    b.note(
        "peer: bench/asl/bench.mjs (median of 1-second windows after a warm-up; Promise.withResolvers shim on"
            + " Node 20); ours: executions back to back for "
            + seconds
            + " s after a warm-up, one thread, default GC");
    b.note(
        String.format(
            java.util.Locale.ROOT,
            "history length: one execution of %d Pass -> Choice loops (%d history"
                + " events) costs %.2f us per loop early and %.2f us late (medians of the first and last half of %d-loop"
                + " windows; late/early %.2fx, the check fails beyond 3x: a history scan would grow with the events)",
            LOOPS,
            (long) historyCost[2],
            historyCost[0],
            historyCost[1],
            WINDOW,
            historyCost[1] / historyCost[0]));
    return b;
  }

  static final int LOOPS = 20_000;
  static final int WINDOW = 2_000;

  /**
   * One execution looping Pass -> Choice {@link #LOOPS} times (80 000+ history events, recorded):
   * the per-loop cost of the late windows must match the early ones, i.e. nothing scans the
   * history. Medians of halves are robust to a busy machine; a scan would grow the late cost with
   * the history, far beyond the 3x allowed here.
   *
   * @return {early us/loop, late us/loop, events recorded}
   * @throws IllegalStateException when the late cost exceeds 3x the early one
   */
  static double[] historyLengthIndependence(AslInterpreter interpreter) throws Exception {
    AslDefinition definition =
        AslDefinition.parse(
            """
        {"StartAt": "Inc", "States": {
          "Inc": {"Type": "Pass", "Parameters": {"i.$": "States.MathAdd($.i, 1)"}, "Next": "Loop"},
          "Loop": {"Type": "Choice", "Choices": [{"Variable": "$.i", "NumericLessThan": %d, "Next": "Inc"}],
                   "Default": "Done"},
          "Done": {"Type": "Succeed"}}}"""
                .formatted(LOOPS));
    long[] stamps = new long[LOOPS / WINDOW + 1];
    long[] passes = new long[1];
    List<Object> events = new ArrayList<>(4 * LOOPS + 8);
    HistorySink timing =
        (type, details, prev) -> {
          if (type.equals("SucceedStateEntered")) {
            stamps[stamps.length - 1] = System.nanoTime();
          } else if (type.equals("PassStateEntered") && passes[0]++ % WINDOW == 0) {
            stamps[(int) ((passes[0] - 1) / WINDOW)] = System.nanoTime();
          }
          events.add(details);
          return events.size() + 1;
        };
    for (int round = 0; round < 2; round++) { // the first round warms the JIT up
      passes[0] = 0;
      events.clear();
      ExecutionOutcome out =
          interpreter.execute(
              definition,
              JSON.readTree("{\"i\": 0}"),
              new ExecutionContext(
                  "arn:aws:states:us-east-1:000000000000:execution:loop:l" + round,
                  "l" + round,
                  Instant.now(),
                  null,
                  null,
                  null),
              invocation -> null,
              timing);
      if (out.status() != ExecutionOutcome.Status.SUCCEEDED) {
        throw new IllegalStateException("history-length loop did not succeed: " + out);
      }
    }
    int windows = stamps.length - 1;
    double[] cost = new double[windows];
    for (int i = 0; i < windows; i++) {
      cost[i] = (stamps[i + 1] - stamps[i]) / 1e3 / WINDOW;
    }
    double early = Stats.median(Arrays.stream(cost, 0, windows / 2).boxed().toList());
    double late =
        Stats.median(Arrays.stream(cost, windows - windows / 2, windows).boxed().toList());
    if (late > 3 * early) {
      throw new IllegalStateException(
          String.format(
              java.util.Locale.ROOT,
              "per-state cost grows with the history:"
                  + " %.2f us per loop early, %.2f us late over %d events",
              early,
              late,
              events.size()));
    }
    return new double[] {early, late, events.size()};
  }

  /**
   * Whether node and the npm peer are there; a fresh clone has no {@code bench/asl/node_modules},
   * so the peer is installed from its lock file with {@code npm ci} when node and npm are present.
   * Every reason the peer does not run ends up in the benchmark's notes.
   */
  private static boolean peerInstalled(BenchContext ctx, Benchmark b) {
    if (!Processes.available("node", "--version")) {
      b.note("node is not installed: the aws-local-stepfunctions peer was not run");
      return false;
    }
    Path dir = ctx.repoRoot().resolve("bench/asl");
    if (Files.isDirectory(dir.resolve("node_modules/aws-local-stepfunctions"))) {
      return true;
    }
    if (!Processes.available("npm", "--version")) {
      b.note("npm is not installed, so the peer could not be installed: it was not run");
      return false;
    }
    ctx.progress("installing the npm peer: npm ci in bench/asl");
    Path log = ctx.work().resolve("asl/npm-ci.log");
    int exit = Processes.exec(List.of("npm", "ci", "--no-audit", "--no-fund"), dir, log, 600);
    if (exit != 0 || !Files.isDirectory(dir.resolve("node_modules/aws-local-stepfunctions"))) {
      b.note(
          "npm ci in bench/asl failed (exit "
              + exit
              + "): the peer was not run; "
              + Processes.tail(log).lines().reduce((first, last) -> last).orElse(""));
      return false;
    }
    b.note("the peer was installed for this run with npm ci in bench/asl (its package-lock.json)");
    return true;
  }

  private static String nodePackageVersion(BenchContext ctx) {
    try {
      return "aws-local-stepfunctions "
          + JSON.readTree(
                  ctx.repoRoot()
                      .resolve("bench/asl/node_modules/aws-local-stepfunctions/package.json")
                      .toFile())
              .path("version")
              .asText();
    } catch (java.io.IOException e) {
      return "aws-local-stepfunctions";
    }
  }

  private static String version(String... cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String v =
          new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
              .strip();
      p.waitFor();
      return v;
    } catch (java.io.IOException e) {
      return "?";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "?";
    }
  }

  static double loop(
      AslInterpreter interpreter,
      AslDefinition definition,
      TaskInvoker tasks,
      JsonNode[] inputs,
      double seconds,
      boolean history) {
    long start = System.nanoTime();
    long end = start + (long) (seconds * 1e9);
    long n = 0;
    while (System.nanoTime() < end) {
      for (int i = 0; i < 50; i++) {
        ExecutionContext ctx =
            new ExecutionContext(
                "arn:aws:states:us-east-1:000000000000:execution:hsi-pipeline:e" + n,
                "e" + n,
                Instant.now(),
                "arn:aws:iam::000000000000:role/sfn",
                "arn:aws:states:us-east-1:000000000000:stateMachine:hsi-pipeline",
                "hsi-pipeline");
        List<Object> events = new ArrayList<>(12);
        HistorySink sink =
            history
                ? (type, details, prev) -> {
                  events.add(details);
                  return events.size() + 1;
                }
                : HistorySink.NONE;
        ExecutionOutcome out =
            interpreter.execute(definition, inputs[(int) (n & 1)], ctx, tasks, sink);
        if (out.status() != ExecutionOutcome.Status.SUCCEEDED) {
          throw new IllegalStateException("benchmark execution did not succeed: " + out);
        }
        n++;
      }
    }
    return n / ((System.nanoTime() - start) / 1e9);
  }

  static JsonNode input(String source) {
    ObjectNode in = JSON.createObjectNode();
    in.put("eventSourceARN", source);
    in.put("queueName", "q");
    in.put("messageId", "msg-1");
    in.putObject("parameters").put("event", "{\"scene\":\"s3://hsi-data/scenes/a.hdr\"}");
    return in;
  }

  /** Fills the Terraform placeholders with the values the local stack uses. */
  public static String render(String template) {
    // Timeouts as the defaults derive them (queues.json's batch timing, 3 attempts each).
    Map<String, String> values =
        Map.ofEntries(
            Map.entry("activator_queue_arn", ACTIVATOR_ARN),
            Map.entry("processor_queue_arn", PROCESSOR_ARN),
            Map.entry("job_queue_arn", "arn:aws:batch:us-east-1:000000000000:job-queue/local"),
            Map.entry("data_bucket", "hsi-data"),
            Map.entry(
                "activator_job_definition_arn",
                "arn:aws:batch:us-east-1:000000000000:job-definition/activator:1"),
            Map.entry(
                "processor_job_definition_arn",
                "arn:aws:batch:us-east-1:000000000000:job-definition/processor:1"),
            Map.entry("activator_vcpu", "1"),
            Map.entry("activator_memory_mib", "2048"),
            Map.entry("processor_vcpu", "2"),
            Map.entry("processor_memory_mib", "4096"),
            Map.entry("activator_timeout_seconds", "14400"),
            Map.entry("processor_timeout_seconds", "22500"),
            Map.entry("execution_timeout_seconds", "23400"));
    return TemplateRenderer.render("statemachine/pipeline.asl.json", template, values);
  }
}
