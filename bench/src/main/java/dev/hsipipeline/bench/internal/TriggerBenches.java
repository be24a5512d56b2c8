package dev.hsipipeline.bench.internal;

import dev.hsipipeline.bench.probe.ColdTrigger;
import dev.hsipipeline.bench.probe.WarmTrigger;
import dev.hsipipeline.local.sfn.StepFunctionsLocal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Benchmarks 1 and 2: the trigger Lambda against a local Step Functions API (in this process, so
 * the child processes measured carry only the handler). Peer: the same handler in Python with boto3
 * ({@code bench/peers/trigger_boto3.py}).
 */
public final class TriggerBenches {
  static final String QUEUE_ARN = "arn:aws:sqs:us-east-1:000000000000:activator-queue";
  private static final String PASS =
      "{\"StartAt\":\"Accept\",\"States\":{\"Accept\":{\"Type\":\"Pass\",\"End\":true}}}";

  private TriggerBenches() {}

  /** A cold-start variant: a label and the JVM options (or the Python peer). */
  private record Variant(String label, Benchmark.Kind kind, List<String> command) {}

  /** Benchmark 1: fresh process, one 10-record batch; wall time spawn → exit. */
  public static Benchmark coldStart(BenchContext ctx) throws IOException {
    Benchmark b =
        new Benchmark(
            "trigger-cold-start",
            "1. Trigger cold start: fresh process, init + one 10-record batch",
            "ms",
            false);
    Path triggerJar = ctx.triggerJar();
    Path probe =
        Processes.jarOf(
            ctx.work().resolve("probe/trigger-probe.jar"),
            null,
            ColdTrigger.class,
            WarmTrigger.class);
    String cp = triggerJar + java.io.File.pathSeparator + probe;
    String main = ColdTrigger.class.getName();
    try (StepFunctionsLocal sfn =
        StepFunctionsLocal.builder().host("127.0.0.1").port(0).hotExecutions(0).build().start()) {
      Map<String, String> env = env(sfn);
      List<Variant> variants = new ArrayList<>();
      String python = python(b);
      if (python != null) {
        variants.add(
            new Variant(
                "Python 3 + boto3 (peer)",
                Benchmark.Kind.PEER,
                List.of(
                    python,
                    ctx.repoRoot().resolve("bench/peers/trigger_boto3.py").toString(),
                    "cold")));
      }
      variants.add(new Variant("Java, default JVM flags", Benchmark.Kind.OURS, javaCmd(cp, main)));
      variants.add(
          new Variant(
              "Java, -XX:TieredStopAtLevel=1",
              Benchmark.Kind.OURS,
              javaCmd(cp, main, "-XX:TieredStopAtLevel=1")));
      // AppCDS: a dynamic archive of the classes one invocation loads, dumped by a training run.
      Path jsa = ctx.work().resolve("probe/trigger.jsa");
      train(ctx, javaCmd(cp, main, "-XX:ArchiveClassesAtExit=" + jsa), env, "appcds");
      if (Files.isRegularFile(jsa)) {
        variants.add(
            new Variant(
                "Java, AppCDS + TieredStopAtLevel=1",
                Benchmark.Kind.OURS,
                javaCmd(
                    cp,
                    main,
                    "-XX:SharedArchiveFile=" + jsa,
                    "-XX:TieredStopAtLevel=1",
                    "-Xlog:cds=off")));
      } else {
        b.note("AppCDS archive was not created; variant skipped");
      }
      // JDK 25 AOT cache (JEP 483 + 514): classes loaded AND linked, plus profiles, from a training
      // run.
      if (Runtime.version().feature() >= 25) {
        Path aot = ctx.work().resolve("probe/trigger.aot");
        train(
            ctx,
            javaCmd(cp, main, "-XX:AOTCacheOutput=" + aot, "-Xlog:aot=off", "-Xlog:cds=off"),
            env,
            "aot");
        if (Files.isRegularFile(aot)) {
          variants.add(
              new Variant(
                  "Java, AOT cache (JDK 25) + TieredStopAtLevel=1",
                  Benchmark.Kind.OURS,
                  javaCmd(
                      cp,
                      main,
                      "-XX:AOTCache=" + aot,
                      "-XX:TieredStopAtLevel=1",
                      "-Xlog:aot=off",
                      "-Xlog:cds=off")));
        } else {
          b.note("AOT cache was not created; variant skipped");
        }
      } else {
        b.note(
            "JDK "
                + Runtime.version().feature()
                + " has no -XX:AOTCache (JDK 24+); variant skipped");
      }

      Map<String, List<Double>> wall = new LinkedHashMap<>();
      Map<String, List<Double>> init = new LinkedHashMap<>();
      Map<String, List<Double>> invoke = new LinkedHashMap<>();
      int runs = Math.max(3, ctx.runs());
      // Round-robin, so a load spike from elsewhere hits every variant alike.
      for (int r = 0; r < runs; r++) {
        for (Variant v : variants) {
          List<String> cmd = new ArrayList<>(v.command());
          cmd.addAll(List.of("cold-" + r + "-" + Math.abs(v.label().hashCode()), "10", QUEUE_ARN));
          Processes.Run run = Processes.run(cmd, env, ctx.work().resolve("probe/cold.log"), 120);
          wall.computeIfAbsent(v.label(), k -> new ArrayList<>()).add(run.wallMillis());
          init.computeIfAbsent(v.label(), k -> new ArrayList<>())
              .add(run.result().path("initMs").asDouble());
          invoke
              .computeIfAbsent(v.label(), k -> new ArrayList<>())
              .add(run.result().path("invokeMs").asDouble());
        }
        ctx.progress("cold start run " + (r + 1) + "/" + runs);
      }
      for (Variant v : variants) {
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("initMsMedian", Report.round(Stats.median(init.get(v.label()))));
        extra.put("firstInvokeMsMedian", Report.round(Stats.median(invoke.get(v.label()))));
        extra.put("command", String.join(" ", v.command()));
        b.add(v.label(), v.kind(), wall.get(v.label()), extra);
      }
    }
    b.note(
        "wall time from process spawn to exit, including JVM/interpreter start-up; 10 StartExecution calls to a"
            + " local Step Functions API on the same machine");
    b.note(
        "on AWS Lambda: SnapStart (Java 11+ managed runtimes; Terraform enables it) restores a snapshot taken"
            + " after init, replacing JVM start + class loading + handler init; JAVA_TOOL_OPTIONS can carry"
            + " -XX:TieredStopAtLevel=1 (the Java 17+ runtimes default to C1-only tiering) and CDS/AOT-cache flags,"
            + " but an archive must be built with the same JDK build as the runtime's and ship in the deployment"
            + " package or a layer; with SnapStart the archive matters little, without it (e.g. container images) it helps");
    return b;
  }

  /**
   * Benchmark 2: one warm handler, many 10-record batches; records/s and bytes allocated per
   * record.
   */
  public static Benchmark warmThroughput(BenchContext ctx) throws IOException {
    Benchmark b =
        new Benchmark(
            "trigger-warm-throughput",
            "2. Trigger warm throughput: one warm instance, 10-record batches",
            "records/s",
            true);
    Path triggerJar = ctx.triggerJar();
    Path probe =
        Processes.jarOf(
            ctx.work().resolve("probe/trigger-probe.jar"),
            null,
            ColdTrigger.class,
            WarmTrigger.class);
    String cp = triggerJar + java.io.File.pathSeparator + probe;
    int batches = ctx.quick() ? 60 : 300;
    int warmup = ctx.quick() ? 20 : 100;
    try (StepFunctionsLocal sfn =
        StepFunctionsLocal.builder().host("127.0.0.1").port(0).hotExecutions(0).build().start()) {
      Map<String, String> env = env(sfn);
      String python = python(b);
      List<Double> javaRate = new ArrayList<>();
      List<Double> bytes = new ArrayList<>();
      List<Double> py = new ArrayList<>();
      int runs = Math.max(2, Math.min(3, ctx.runs()));
      for (int r = 0; r < runs; r++) {
        List<String> args =
            List.of(
                "warm-" + r, Integer.toString(batches), "10", Integer.toString(warmup), QUEUE_ARN);
        List<String> cmd = new ArrayList<>(javaCmd(cp, WarmTrigger.class.getName()));
        cmd.addAll(args);
        Processes.Run j = Processes.run(cmd, env, ctx.work().resolve("probe/warm.log"), 600);
        javaRate.add(j.result().path("recordsPerSecond").asDouble());
        bytes.add(j.result().path("bytesPerRecord").asDouble());
        if (python != null) {
          List<String> pcmd =
              new ArrayList<>(
                  List.of(
                      python,
                      ctx.repoRoot().resolve("bench/peers/trigger_boto3.py").toString(),
                      "warm"));
          pcmd.addAll(args.stream().map(a -> a.startsWith("warm-") ? "py" + a : a).toList());
          Processes.Run p = Processes.run(pcmd, env, ctx.work().resolve("probe/warm-py.log"), 600);
          py.add(p.result().path("recordsPerSecond").asDouble());
        }
        ctx.progress("warm throughput run " + (r + 1) + "/" + runs);
      }
      Map<String, Object> extra = new LinkedHashMap<>();
      extra.put("bytesAllocatedPerRecordMedian", Report.round(Stats.median(bytes)));
      extra.put("bytesAllocatedPerRecordSamples", bytes);
      b.add("Java SfnTriggerHandler (warm)", Benchmark.Kind.OURS, javaRate, extra);
      if (python != null) {
        b.add("Python 3 + boto3 (warm, peer)", Benchmark.Kind.PEER, py);
      }
      b.note(
          String.format(
              java.util.Locale.ROOT,
              "Java allocation per record: %.0f bytes (median; this JVM's total,"
                  + " ThreadMXBean.getTotalThreadAllocatedBytes, handler + SDK client + JSON log lines)",
              Stats.median(bytes)));
      b.note(
          batches
              + " measured batches after "
              + warmup
              + " warm-up batches per run; the API server runs in the"
              + " benchmark's JVM on the same cores");
    }
    return b;
  }

  private static void train(
      BenchContext ctx, List<String> command, Map<String, String> env, String what) {
    List<String> cmd = new ArrayList<>(command);
    cmd.addAll(List.of("train-" + what + "-" + System.nanoTime(), "10", QUEUE_ARN));
    try {
      Processes.run(cmd, env, ctx.work().resolve("probe/train-" + what + ".log"), 180);
    } catch (IllegalStateException e) {
      ctx.progress(what + " training run failed: " + e.getMessage().lines().findFirst().orElse(""));
    }
  }

  static List<String> javaCmd(String cp, String main, String... opts) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Processes.java());
    cmd.addAll(List.of(opts));
    cmd.addAll(List.of("-cp", cp, main));
    return cmd;
  }

  static Map<String, String> env(StepFunctionsLocal sfn) {
    String arn =
        sfn.createOrUpdateStateMachine(
            "bench-trigger", PASS, "arn:aws:iam::000000000000:role/bench");
    Map<String, String> env = new LinkedHashMap<>();
    env.put("STATE_MACHINE_ARN", arn);
    env.put("AWS_REGION", "us-east-1");
    env.put("AWS_DEFAULT_REGION", "us-east-1");
    env.put("AWS_ACCESS_KEY_ID", "test");
    env.put("AWS_SECRET_ACCESS_KEY", "test");
    env.put("AWS_ENDPOINT_URL_SFN", sfn.endpoint().toString());
    env.put("MAX_CONCURRENCY", "32");
    env.put("PYTHONDONTWRITEBYTECODE", "1");
    return env;
  }

  /** python3 when it can import boto3, else null (and a note saying so). */
  static String python(Benchmark b) {
    if (Processes.available("python3", "-c", "import boto3")) {
      return "python3";
    }
    b.note(
        "python3 with boto3 is not available (apt-get install python3-boto3): the Python peer was not run");
    return null;
  }
}
