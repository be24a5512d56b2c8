package dev.hsipipeline.trigger.bench;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import dev.hsipipeline.local.sfn.StepFunctionsLocal;
import dev.hsipipeline.trigger.SfnTriggerHandler;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Warm throughput of the trigger: records/s into the local Step Functions API with one handler
 * instance reused across batches (as a warm Lambda execution environment).
 *
 * <pre>
 * bench/trigger/warm.sh [--endpoint http://127.0.0.1:8083 --state-machine-arn ARN]
 *                       [--batches 5] [--batch-size 10000] [--concurrency 32]
 * </pre>
 *
 * Without --endpoint it starts an in-memory StepFunctionsLocal in this JVM (same 2 cores).
 */
public final class WarmThroughputBench {

  public static void main(String[] args) throws Exception {
    Map<String, String> a = parse(args);
    int batches = Integer.parseInt(a.getOrDefault("batches", "5"));
    int batchSize = Integer.parseInt(a.getOrDefault("batch-size", "10000"));
    int warmupBatches = Integer.parseInt(a.getOrDefault("warmup-batches", "3"));
    String concurrency = a.getOrDefault("concurrency", "32");
    StepFunctionsLocal server = null;
    String endpoint = a.get("endpoint");
    String sm = a.get("state-machine-arn");
    if (endpoint == null) {
      server =
          StepFunctionsLocal.builder().host("127.0.0.1").port(0).hotExecutions(0).build().start();
      endpoint = server.endpoint().toString();
      sm =
          server.createOrUpdateStateMachine(
              "bench-warm",
              "{\"StartAt\":\"Accept\",\"States\":{\"Accept\":{\"Type\":\"Pass\",\"End\":true}}}",
              "arn:aws:iam::000000000000:role/bench");
    }
    Map<String, String> env = new HashMap<>();
    env.put("STATE_MACHINE_ARN", sm);
    env.put("AWS_REGION", "us-east-1");
    env.put("AWS_ACCESS_KEY_ID", "test");
    env.put("AWS_SECRET_ACCESS_KEY", "test");
    env.put("AWS_ENDPOINT_URL_SFN", endpoint);
    env.put("MAX_CONCURRENCY", concurrency);
    PrintStream stdout = System.out;
    // The handler's per-batch JSON log lines would interleave with the results.
    System.setOut(new PrintStream(OutputStream.nullOutputStream()));
    List<Double> rates = new ArrayList<>();
    // CPU of the measured batches only (JIT warm-up excluded): this process, and the server's when
    // --server-pid is given (Linux /proc), so a busy shared machine does not hide per-record cost.
    String serverPid = a.get("server-pid");
    var os =
        (com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    long cpu0 = os.getProcessCpuTime(), serverCpu0 = serverCpuNanos(serverPid);
    try (SfnTriggerHandler handler = new SfnTriggerHandler(env)) {
      for (int b = 0; b < warmupBatches + batches; b++) {
        SQSEvent event = event(batchSize);
        long t0 = System.nanoTime();
        SQSBatchResponse r = handler.handleRequest(event, null);
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (!r.getBatchItemFailures().isEmpty()) {
          throw new IllegalStateException(r.getBatchItemFailures().size() + " records failed");
        }
        double rate = batchSize / seconds;
        boolean warm = b >= warmupBatches;
        if (b + 1 == warmupBatches) {
          cpu0 = os.getProcessCpuTime();
          serverCpu0 = serverCpuNanos(serverPid);
        }
        if (warm) {
          rates.add(rate);
        }
        stdout.printf(
            "%s batch %d: %d records in %.3f s = %.0f records/s%n",
            warm ? "measure" : "warmup ", b, batchSize, seconds, rate);
      }
    } finally {
      System.setOut(stdout);
      if (server != null) {
        server.close();
      }
    }
    long records = (long) batches * batchSize;
    double clientCpuUs = (os.getProcessCpuTime() - cpu0) / 1e3 / records;
    double serverCpuUs =
        serverPid == null ? -1 : (serverCpuNanos(serverPid) - serverCpu0) / 1e3 / records;
    double mean = rates.stream().mapToDouble(Double::doubleValue).average().orElse(0);
    double best = rates.stream().mapToDouble(Double::doubleValue).max().orElse(0);
    stdout.printf(
        "{\"bench\":\"trigger-warm\",\"batchSize\":%d,\"batches\":%d,\"concurrency\":%s,"
            + "\"meanRecordsPerSecond\":%.0f,\"bestRecordsPerSecond\":%.0f,\"clientCpuMicrosPerRecord\":%.0f,"
            + "\"serverCpuMicrosPerRecord\":%.0f,\"cpus\":%d}%n",
        batchSize,
        batches,
        concurrency,
        mean,
        best,
        clientCpuUs,
        serverCpuUs,
        Runtime.getRuntime().availableProcessors());
  }

  /** utime+stime of a Linux process in ns (clock ticks assumed 100/s), 0 without a pid. */
  static long serverCpuNanos(String pid) throws java.io.IOException {
    if (pid == null) {
      return 0;
    }
    String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", pid, "stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L;
  }

  static SQSEvent event(int n) {
    List<SQSMessage> records = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      SQSMessage m = new SQSMessage();
      m.setMessageId(UUID.randomUUID().toString());
      m.setBody("{\"scene\":\"s3://hsi-data/scenes/scene-" + i + ".hdr\"}");
      m.setEventSourceArn("arn:aws:sqs:us-east-1:000000000000:activator-queue");
      records.add(m);
    }
    SQSEvent e = new SQSEvent();
    e.setRecords(records);
    return e;
  }

  static Map<String, String> parse(String[] args) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("expected --name value pairs, got " + args[i]);
      }
      m.put(args[i].substring(2), args[++i]);
    }
    return m;
  }

  private WarmThroughputBench() {}
}
