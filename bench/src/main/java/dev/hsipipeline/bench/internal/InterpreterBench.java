package dev.hsipipeline.bench.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Benchmark 3: executions/s of our ASL interpreter against the npm package {@code
 * aws-local-stepfunctions} on the same rendered {@code statemachine/pipeline.asl.json}, the same
 * two inputs (one per queue, alternating) and the same no-op result for the Batch task. Both run
 * executions one after another on one thread after a warm-up; no HTTP, no persistence.
 */
public final class InterpreterBench {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String ACTIVATOR_ARN = "arn:aws:sqs:us-east-1:000000000000:activator-queue";
  static final String PROCESSOR_ARN = "arn:aws:sqs:us-east-1:000000000000:processor-queue";

  private InterpreterBench() {}

  public static Benchmark run(BenchContext ctx) throws Exception {
    Benchmark b = new Benchmark("interpreter", "3. ASL interpreter: pipeline definition, no-op Batch task", "executions/s", true);
    String rendered = render(Files.readString(ctx.repoRoot().resolve("statemachine/pipeline.asl.json")));
    Path defFile = ctx.work().resolve("asl/pipeline.rendered.json");
    Files.createDirectories(defFile.getParent());
    Files.writeString(defFile, rendered);
    AslDefinition definition = AslDefinition.parse(rendered);
    AslInterpreter interpreter = new AslInterpreter();
    ObjectNode jobResult = JSON.createObjectNode();
    jobResult.put("JobId", "job-1").put("JobName", "activator").put("Status", "SUCCEEDED")
        .put("StatusReason", "Essential container in task exited").put("JobQueue", "q");
    TaskInvoker noop = invocation -> jobResult;
    JsonNode[] inputs = {input(ACTIVATOR_ARN), input(PROCESSOR_ARN)};
    double seconds = ctx.quick() ? 2 : 5;

    // The engine's own peer script (bench/asl/bench.mjs, run by bench/asl/run.sh): reused as is.
    Path peer = ctx.repoRoot().resolve("bench/asl/bench.mjs");
    boolean node = Files.isRegularFile(peer)
        && Files.isDirectory(ctx.repoRoot().resolve("bench/asl/node_modules/aws-local-stepfunctions"))
        && Processes.available("node", "--version");
    if (!node) {
      b.note("node or bench/asl/node_modules/aws-local-stepfunctions is missing (npm ci --prefix bench/asl):"
          + " the peer was not run");
    }
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
        Processes.Run p = Processes.run(List.of("node", peer.toString(), defFile.toString(), Double.toString(seconds)),
            Map.of("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin")), ctx.work().resolve("asl/peer.log"),
            (long) (seconds * 4 + 60));
        peerRate.add(p.result().path("node_aws_local_stepfunctions_exec_per_s_median").asDouble());
        peerVersion = nodePackageVersion(ctx) + " on node " + nodeVersion;
      }
      ctx.progress("interpreter run " + (r + 1) + "/" + runs);
    }
    b.add("our AslInterpreter (no history sink)", Benchmark.Kind.OURS, noHistory);
    b.add("our AslInterpreter (recording history)", Benchmark.Kind.OURS, withHistory);
    if (node) {
      b.add(peerVersion + " (peer)", Benchmark.Kind.PEER, peerRate);
    }
    b.note("same rendered definition: Choice -> Task (submitJob.sync, Retry/Catch, ResultSelector, ResultPath) for"
        + " both queues alternately; the peer's Task handlers are local overrides returning the same object");
    b.note("peer: bench/asl/bench.mjs (median of 1-second windows after a warm-up; Promise.withResolvers shim on"
        + " Node 20); ours: executions back to back for " + seconds + " s after a warm-up, one thread, default GC");
    return b;
  }

  private static String nodePackageVersion(BenchContext ctx) {
    try {
      return "aws-local-stepfunctions " + JSON.readTree(ctx.repoRoot()
          .resolve("bench/asl/node_modules/aws-local-stepfunctions/package.json").toFile()).path("version").asText();
    } catch (java.io.IOException e) {
      return "aws-local-stepfunctions";
    }
  }

  private static String version(String... cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String v = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
      p.waitFor();
      return v;
    } catch (java.io.IOException e) {
      return "?";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "?";
    }
  }

  static double loop(AslInterpreter interpreter, AslDefinition definition, TaskInvoker tasks, JsonNode[] inputs,
      double seconds, boolean history) {
    long start = System.nanoTime();
    long end = start + (long) (seconds * 1e9);
    long n = 0;
    while (System.nanoTime() < end) {
      for (int i = 0; i < 50; i++) {
        ExecutionContext ctx = new ExecutionContext("arn:aws:states:us-east-1:000000000000:execution:hsi-pipeline:e" + n,
            "e" + n, Instant.now(), "arn:aws:iam::000000000000:role/sfn",
            "arn:aws:states:us-east-1:000000000000:stateMachine:hsi-pipeline", "hsi-pipeline");
        List<Object> events = new ArrayList<>(12);
        HistorySink sink = history ? (type, details, prev) -> {
          events.add(details);
          return events.size() + 1;
        } : HistorySink.NONE;
        ExecutionOutcome out = interpreter.execute(definition, inputs[(int) (n & 1)], ctx, tasks, sink);
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
    Map<String, String> values = Map.of(
        "activator_queue_arn", ACTIVATOR_ARN, "processor_queue_arn", PROCESSOR_ARN,
        "job_queue_arn", "arn:aws:batch:us-east-1:000000000000:job-queue/local",
        "activator_job_definition_arn", "arn:aws:batch:us-east-1:000000000000:job-definition/activator:1",
        "processor_job_definition_arn", "arn:aws:batch:us-east-1:000000000000:job-definition/processor:1",
        "activator_vcpu", "1", "activator_memory_mib", "2048", "processor_vcpu", "2", "processor_memory_mib", "4096");
    Matcher m = Pattern.compile("\\$\\{([a-z0-9_]+)}").matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String v = values.get(m.group(1));
      if (v == null) {
        throw new IllegalArgumentException("statemachine/pipeline.asl.json has an unknown placeholder ${" + m.group(1) + "}");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(v));
    }
    m.appendTail(out);
    return out.toString();
  }
}
