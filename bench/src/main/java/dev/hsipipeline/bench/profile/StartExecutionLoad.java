package dev.hsipipeline.bench.profile;

import dev.hsipipeline.local.sfn.StepFunctionsLocal;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.awaitility.Awaitility;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * The local Step Functions API under load (ADR 0020), run by {@code bench/sfn/start-executions.sh}:
 * StartExecution/s through the real SDK client from N threads against a Pass-only state machine,
 * with the H2 file store or in memory. Prints starts/s in the measured window, latency percentiles,
 * CPU per start, the database writer's backlog, and how long executions and the store took to catch
 * up afterwards.
 */
@Command(
    name = "start-execution-load",
    mixinStandardHelpOptions = true,
    description = "StartExecution/s and latency of the local Step Functions API.")
public final class StartExecutionLoad implements Callable<Integer> {
  private static final String PASS_ONLY =
      """
      {"StartAt":"A","States":{
        "A":{"Type":"Pass","Result":{"step":1},"ResultPath":"$.a","Next":"B"},
        "B":{"Type":"Pass","Parameters":{"id.$":"$$.Execution.Name","in.$":"$"},"End":true}}}""";

  /** Where execution history goes. */
  enum Store {
    file,
    memory
  }

  @Option(names = "--threads", defaultValue = "32", description = "Client threads.")
  int threads;

  @Option(names = "--seconds", defaultValue = "15", description = "Measured window.")
  int seconds;

  @Option(names = "--warmup-seconds", defaultValue = "20", description = "Unmeasured first part.")
  int warmupSeconds;

  @Option(names = "--store", defaultValue = "file", description = "file (H2) or memory.")
  Store store;

  public static void main(String[] args) {
    System.exit(new CommandLine(new StartExecutionLoad()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    // HttpURLConnection keeps only 5 idle connections per host by default; every thread needs one.
    System.setProperty("http.maxConnections", String.valueOf(Math.max(threads * 2, 64)));
    Path dir = store == Store.file ? Files.createTempDirectory("sfn-load") : null;
    try (StepFunctionsLocal sfn =
        StepFunctionsLocal.builder().port(0).dataDir(dir).build().start()) {
      String sm =
          sfn.createOrUpdateStateMachine("load", PASS_ONLY, "arn:aws:iam::000000000000:role/load");
      List<SfnClient> clients = new ArrayList<>();
      AtomicBoolean measuring = new AtomicBoolean();
      AtomicBoolean stop = new AtomicBoolean();
      LongAdder measured = new LongAdder();
      LongAdder errors = new LongAdder();
      AtomicLong seq = new AtomicLong();
      long[][] latencies = new long[threads][];
      String[] lastArn = new String[threads];
      CountDownLatch done = new CountDownLatch(threads);
      for (int t = 0; t < threads; t++) {
        SfnClient client = client(sfn);
        clients.add(client);
        int id = t;
        latencies[t] = new long[4_000_000 / threads];
        Thread.ofPlatform()
            .name("load-" + t)
            .start(
                () -> {
                  int n = 0;
                  try {
                    while (!stop.get()) {
                      long start = System.nanoTime();
                      String name = "m-" + seq.incrementAndGet();
                      try {
                        lastArn[id] =
                            client
                                .startExecution(
                                    b -> b.stateMachineArn(sm).name(name).input(input(name)))
                                .executionArn();
                      } catch (RuntimeException e) {
                        errors.increment();
                        continue;
                      }
                      if (measuring.get()) {
                        measured.increment();
                        if (n < latencies[id].length) {
                          latencies[id][n++] = System.nanoTime() - start;
                        }
                      }
                    }
                  } finally {
                    latencies[id] = Arrays.copyOf(latencies[id], n);
                    done.countDown();
                  }
                });
      }
      System.out.printf(
          "warming up %d s with %d threads (%s store)...%n", warmupSeconds, threads, store);
      Thread.sleep(Duration.ofSeconds(warmupSeconds));
      var os =
          (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      measuring.set(true);
      long cpu0 = os.getProcessCpuTime();
      long t0 = System.nanoTime();
      Thread.sleep(Duration.ofSeconds(seconds));
      measuring.set(false);
      long elapsed = System.nanoTime() - t0;
      int backlog = sfn.pendingWrites();
      long cpu = os.getProcessCpuTime() - cpu0;
      stop.set(true);
      done.await();
      long total = measured.sum();
      long[] all = Arrays.stream(latencies).flatMapToLong(Arrays::stream).sorted().toArray();
      System.out.printf(
          Locale.ROOT,
          "StartExecution: %d in %.1f s = %.0f/s (errors %d)%n",
          total,
          elapsed / 1e9,
          total / (elapsed / 1e9),
          errors.sum());
      System.out.printf(
          Locale.ROOT,
          "process CPU per StartExecution (SDK client + server + execution + H2): %.0f us"
              + " -> %.0f/s if %d cores were ours alone; system load average %.1f%n",
          cpu / 1e3 / Math.max(1, total),
          Runtime.getRuntime().availableProcessors() * 1e9 / (cpu / (double) Math.max(1, total)),
          Runtime.getRuntime().availableProcessors(),
          os.getSystemLoadAverage());
      System.out.printf(
          Locale.ROOT,
          "latency ms: p50 %.2f  p90 %.2f  p99 %.2f  max %.2f%n",
          percentile(all, 50),
          percentile(all, 90),
          percentile(all, 99),
          all.length == 0 ? 0 : all[all.length - 1] / 1e6);
      System.out.printf("database writer backlog at the end of the window: %d writes%n", backlog);
      long t1 = System.nanoTime();
      for (String arn : lastArn) {
        if (arn != null) {
          Awaitility.await("the last execution of a thread ending")
              .atMost(Duration.ofMinutes(5))
              .until(() -> !"RUNNING".equals(sfn.execution(arn).status()));
        }
      }
      System.out.printf(
          Locale.ROOT,
          "all executions ended %.1f s after the last start%n",
          (System.nanoTime() - t1) / 1e9);
      long f0 = System.nanoTime();
      sfn.flush();
      System.out.printf(
          Locale.ROOT, "everything committed %.1f s later%n", (System.nanoTime() - f0) / 1e9);
      clients.forEach(SfnClient::close);
      System.out.printf("total executions %d%n", seq.get());
    }
    return 0;
  }

  private static SfnClient client(StepFunctionsLocal sfn) {
    return SfnClient.builder()
        .endpointOverride(sfn.endpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .build();
  }

  private static String input(String name) {
    return "{\"eventSourceARN\":\"arn:aws:sqs:us-east-1:000000000000:activator-queue\","
        + "\"messageId\":\""
        + name
        + "\",\"parameters\":{\"event\":\"{}\"}}";
  }

  private static double percentile(long[] sorted, int p) {
    return sorted.length == 0
        ? 0
        : sorted[Math.min(sorted.length - 1, sorted.length * p / 100)] / 1e6;
  }
}
