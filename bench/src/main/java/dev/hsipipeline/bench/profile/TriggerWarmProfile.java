package dev.hsipipeline.bench.profile;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import com.sun.management.OperatingSystemMXBean;
import dev.hsipipeline.trigger.SfnTriggerHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The trigger's warm-path profile (ADR 0090), run by {@code bench/trigger/warm.sh}: one handler
 * instance from the deployable jar reused across large batches into a Step Functions API in another
 * JVM, reporting records/s and the CPU per record of this client and (with {@code --server-pid}) of
 * the server over the measured batches. Benchmark 2 of {@code ./pipeline bench} is the side-by-side
 * comparison with the boto3 peer at Lambda's batch size; this answers where the CPU goes.
 */
@Command(
    name = "trigger-warm-profile",
    mixinStandardHelpOptions = true,
    description = "Warm trigger throughput and CPU per record, client and server apart.")
public final class TriggerWarmProfile implements Callable<Integer> {

  @Option(names = "--endpoint", required = true, description = "Step Functions API URL.")
  URI endpoint;

  @Option(names = "--state-machine-arn", required = true, paramLabel = "ARN")
  String stateMachineArn;

  @Option(names = "--server-pid", paramLabel = "PID", description = "Also report its CPU (Linux).")
  String serverPid;

  @Option(
      names = "--batches",
      defaultValue = "5",
      description = "Measured batches (${DEFAULT-VALUE}).")
  int batches;

  @Option(names = "--warmup-batches", defaultValue = "3", description = "Unmeasured first batches.")
  int warmupBatches;

  @Option(names = "--batch-size", defaultValue = "10000", description = "Records per batch.")
  int batchSize;

  @Option(names = "--concurrency", defaultValue = "32", description = "MAX_CONCURRENCY.")
  int concurrency;

  public static void main(String[] args) {
    System.exit(new CommandLine(new TriggerWarmProfile()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("STATE_MACHINE_ARN", stateMachineArn);
    env.put("AWS_REGION", "us-east-1");
    env.put("AWS_ACCESS_KEY_ID", "test");
    env.put("AWS_SECRET_ACCESS_KEY", "test");
    env.put("AWS_ENDPOINT_URL_SFN", endpoint.toString());
    env.put("MAX_CONCURRENCY", Integer.toString(concurrency));
    PrintStream stdout = System.out;
    // The handler's per-batch JSON log lines would interleave with the results.
    System.setOut(new PrintStream(OutputStream.nullOutputStream()));
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    List<Double> rates = new ArrayList<>();
    long cpu0 = 0;
    long serverCpu0 = 0;
    try (SfnTriggerHandler handler = new SfnTriggerHandler(env)) {
      for (int b = 0; b < warmupBatches + batches; b++) {
        if (b == warmupBatches) {
          // CPU of the measured batches only (JIT warm-up excluded), so a busy shared machine
          // does not hide the cost per record.
          cpu0 = os.getProcessCpuTime();
          serverCpu0 = serverCpuNanos();
        }
        SQSEvent event = event(batchSize);
        long t0 = System.nanoTime();
        SQSBatchResponse r = handler.handleRequest(event, null);
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (!r.getBatchItemFailures().isEmpty()) {
          throw new IllegalStateException(r.getBatchItemFailures().size() + " records failed");
        }
        boolean measured = b >= warmupBatches;
        if (measured) {
          rates.add(batchSize / seconds);
        }
        stdout.printf(
            Locale.ROOT,
            "%s batch %d: %d records in %.3f s = %.0f records/s%n",
            measured ? "measure" : "warmup ",
            b,
            batchSize,
            seconds,
            batchSize / seconds);
      }
    } finally {
      System.setOut(stdout);
    }
    long records = (long) batches * batchSize;
    double clientCpuUs = (os.getProcessCpuTime() - cpu0) / 1e3 / records;
    double serverCpuUs = serverPid == null ? -1 : (serverCpuNanos() - serverCpu0) / 1e3 / records;
    stdout.printf(
        Locale.ROOT,
        "{\"bench\":\"trigger-warm\",\"batchSize\":%d,\"batches\":%d,\"concurrency\":%d,"
            + "\"meanRecordsPerSecond\":%.0f,\"bestRecordsPerSecond\":%.0f,"
            + "\"clientCpuMicrosPerRecord\":%.0f,\"serverCpuMicrosPerRecord\":%.0f,\"cpus\":%d}%n",
        batchSize,
        batches,
        concurrency,
        rates.stream().mapToDouble(Double::doubleValue).average().orElse(0),
        rates.stream().mapToDouble(Double::doubleValue).max().orElse(0),
        clientCpuUs,
        serverCpuUs,
        Runtime.getRuntime().availableProcessors());
    return 0;
  }

  /** utime + stime of the server process in ns (Linux, 100 clock ticks/s), 0 without a pid. */
  private long serverCpuNanos() throws IOException {
    if (serverPid == null) {
      return 0;
    }
    String stat = Files.readString(Path.of("/proc", serverPid, "stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L;
  }

  private static SQSEvent event(int n) {
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
}
