package dev.hsipipeline.local.sfn;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * Throughput benchmark: StartExecution/s through the real SDK v2 client (url-connection-client)
 * from N threads against a Pass-only state machine, with the H2 file store (default) or in memory.
 * Not a test; run it with:
 *
 * <pre>
 *   ./mvnw -B -q -pl local/stepfunctions test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 *   java -cp local/stepfunctions/target/test-classes:local/stepfunctions/target/classes:$(cat local/stepfunctions/target/cp.txt) \
 *     dev.hsipipeline.local.sfn.StartExecutionBenchmark [threads=32] [seconds=15] [file|memory] [warmup-seconds=20]
 * </pre>
 *
 * Prints starts/s during the measured window, the latency distribution, how many executions had
 * ended by then, and how long the store took to catch up.
 */
public final class StartExecutionBenchmark {
  private static final String PASS_ONLY =
      """
      {"StartAt":"A","States":{
        "A":{"Type":"Pass","Result":{"step":1},"ResultPath":"$.a","Next":"B"},
        "B":{"Type":"Pass","Parameters":{"id.$":"$$.Execution.Name","in.$":"$"},"End":true}}}""";

  public static void main(String[] args) throws Exception {
    int threads = args.length > 0 ? Integer.parseInt(args[0]) : 32;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
    boolean file = args.length <= 2 || !args[2].equals("memory");
    int warmup = args.length > 3 ? Integer.parseInt(args[3]) : 20;
    // HttpURLConnection keeps only 5 idle connections per host by default; every thread needs one.
    System.setProperty("http.maxConnections", String.valueOf(Math.max(threads * 2, 64)));
    Path dir = file ? Files.createTempDirectory("sfn-bench") : null;
    try (StepFunctionsLocal sfn =
        StepFunctionsLocal.builder().port(0).dataDir(dir).build().start()) {
      String sm = sfn.createOrUpdateStateMachine("bench", PASS_ONLY, SfnFixture.ROLE);
      List<SfnClient> clients = new ArrayList<>();
      AtomicBoolean measuring = new AtomicBoolean();
      AtomicBoolean stop = new AtomicBoolean();
      LongAdder measured = new LongAdder();
      LongAdder errors = new LongAdder();
      AtomicLong seq = new AtomicLong();
      long[][] lat = new long[threads][];
      CountDownLatch done = new CountDownLatch(threads);
      String lastArn[] = new String[threads];
      for (int t = 0; t < threads; t++) {
        SfnClient c =
            System.getProperty("bench.http", "urlconnection").equals("apache")
                ? SfnClient.builder()
                    .endpointOverride(sfn.endpoint())
                    .region(software.amazon.awssdk.regions.Region.US_EAST_1)
                    .credentialsProvider(
                        software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                            software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(
                                "test", "test")))
                    .build()
                : SfnFixture.client(sfn.endpoint());
        clients.add(c);
        int id = t;
        lat[t] = new long[4_000_000 / threads];
        Thread.ofPlatform()
            .name("bench-" + t)
            .start(
                () -> {
                  int n = 0;
                  try {
                    while (!stop.get()) {
                      long s = System.nanoTime();
                      String name = "m-" + seq.incrementAndGet();
                      try {
                        lastArn[id] =
                            c.startExecution(
                                    b ->
                                        b.stateMachineArn(sm)
                                            .name(name)
                                            .input(
                                                "{\"eventSourceARN\":\"arn:aws:sqs:us-east-1:000000000000:activator-queue\","
                                                    + "\"messageId\":\""
                                                    + name
                                                    + "\",\"parameters\":{\"event\":\"{}\"}}"))
                                .executionArn();
                      } catch (RuntimeException e) {
                        errors.increment();
                        continue;
                      }
                      if (measuring.get()) {
                        measured.increment();
                        if (n < lat[id].length) {
                          lat[id][n++] = System.nanoTime() - s;
                        }
                      }
                    }
                  } finally {
                    lat[id] = java.util.Arrays.copyOf(lat[id], n);
                    done.countDown();
                  }
                });
      }
      System.out.printf(
          "warming up %d s with %d threads (%s store)...%n",
          warmup, threads, file ? "H2 file" : "in-memory");
      Thread.sleep(warmup * 1000L);
      var os =
          (com.sun.management.OperatingSystemMXBean)
              java.lang.management.ManagementFactory.getOperatingSystemMXBean();
      measuring.set(true);
      long cpu0 = os.getProcessCpuTime();
      long t0 = System.nanoTime();
      Thread.sleep(seconds * 1000L);
      measuring.set(false);
      long elapsed = System.nanoTime() - t0;
      int backlog = sfn.pendingWrites();
      long cpu = os.getProcessCpuTime() - cpu0;
      stop.set(true);
      done.await();
      long total = measured.sum();
      long[] all =
          java.util.Arrays.stream(lat).flatMapToLong(java.util.Arrays::stream).sorted().toArray();
      System.out.printf(
          "StartExecution: %d in %.1f s = %.0f/s (errors %d)%n",
          total, elapsed / 1e9, total / (elapsed / 1e9), errors.sum());
      System.out.printf(
          "process CPU per StartExecution (SDK client + server + execution + H2): %.0f us"
              + " -> %.0f/s if %d cores were ours alone; system load average %.1f%n",
          cpu / 1e3 / Math.max(1, total),
          Runtime.getRuntime().availableProcessors() * 1e9 / (cpu / (double) Math.max(1, total)),
          Runtime.getRuntime().availableProcessors(),
          os.getSystemLoadAverage());
      System.out.printf(
          "latency ms: p50 %.2f  p90 %.2f  p99 %.2f  max %.2f%n",
          pct(all, 50),
          pct(all, 90),
          pct(all, 99),
          all.length == 0 ? 0 : all[all.length - 1] / 1e6);
      System.out.printf("database writer backlog at the end of the window: %d writes%n", backlog);
      long t1 = System.nanoTime();
      for (String arn : lastArn) {
        if (arn != null) {
          SfnFixture.await(
              "last execution ended", () -> !"RUNNING".equals(sfn.execution(arn).status()));
        }
      }
      System.out.printf(
          "all executions ended %.1f s after the last start; status of a sample: %s%n",
          (System.nanoTime() - t1) / 1e9, sfn.execution(lastArn[0]).status());
      long f0 = System.nanoTime();
      sfn.flush();
      System.out.printf("everything committed %.1f s later%n", (System.nanoTime() - f0) / 1e9);
      clients.forEach(SfnClient::close);
      long c0 = System.nanoTime();
      sfn.close();
      System.out.printf(
          "close (flush + shutdown): %.1f s; total executions %d%n",
          (System.nanoTime() - c0) / 1e9, seq.get());
    }
  }

  private static double pct(long[] sorted, int p) {
    return sorted.length == 0
        ? 0
        : sorted[Math.min(sorted.length - 1, sorted.length * p / 100)] / 1e6;
  }
}
