package dev.hsipipeline.bench.reliability;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;

/** The reliability scenarios, shared by the CI tests (short) and {@code ./pipeline soak} (long). */
public final class Scenarios {

  /** Ledger entry of {@link #restart}: executions the kill interrupted that resumed afterwards. */
  public static final String RESUMED = "executions resumed after the restart";

  private Scenarios() {}

  /**
   * How big: the CI form keeps the whole suite within a few minutes on 2 cores; the soak form is
   * the 10 000 messages.
   */
  public record Scale(String name, int loadMessages, int restartMessages, Duration settleTimeout) {
    public static Scale ci() {
      return new Scale("ci", 2000, 600, Duration.ofMinutes(20));
    }

    public static Scale soak() {
      return new Scale("soak", 10_000, 3000, Duration.ofMinutes(60));
    }

    /**
     * {@code -Dreliability.scale=soak|ci} (default ci), {@code -Dreliability.messages=N} overrides.
     */
    public static Scale fromSystemProperties() {
      Scale s = "soak".equals(System.getProperty("reliability.scale")) ? soak() : ci();
      String m = System.getProperty("reliability.messages");
      return m == null || m.isBlank()
          ? s
          : new Scale(s.name(), Integer.parseInt(m), s.restartMessages(), s.settleTimeout());
    }
  }

  /**
   * Load with faults: ~10 % transient job failures, ~3 % permanent, ~1 % non-JSON bodies, the
   * trigger crashing mid-batch (5 % of invocations), duplicate batch deliveries (5 %), and slow
   * invocations (3 %) holding their batch past the 4 s visibility timeout so SQS redelivers it
   * concurrently.
   */
  public static Ledger loadWithFaults(Path repo, Path dir, Scale scale, long seed, PrintStream out)
      throws Exception {
    Path chaosLog = dir.resolve("work/chaos.log");
    Map<String, String> chaos = new LinkedHashMap<>();
    chaos.put("CHAOS_SEED", Long.toString(seed));
    chaos.put("CHAOS_CRASH_RATE", "0.05");
    chaos.put("CHAOS_DUPLICATE_RATE", "0.05");
    chaos.put("CHAOS_SLOW_RATE", "0.03");
    chaos.put("CHAOS_SLOW_MILLIS", "5000");
    chaos.put("CHAOS_LOG", chaosLog.toString());
    int vcpus = Math.max(4, Runtime.getRuntime().availableProcessors() * 3);
    try (ReliabilityStack stack =
        ReliabilityStack.start(
            new ReliabilityStack.Options(
                repo, dir.resolve("data"), dir.resolve("work"), 0, 0, 0, 4, false, vcpus, chaos))) {
      LoadWithFaults load = LoadWithFaults.against(stack, dir.resolve("data"));
      out.println(
          "load with faults: sending " + scale.loadMessages() + " messages (" + scale.name() + ")");
      load.send(new LoadWithFaults.Plan(scale.loadMessages(), 0.10, 0.03, 0.01, seed));
      boolean settled = load.awaitSettled(scale.settleTimeout(), out);
      Map<String, Long> injected = chaosCounts(chaosLog);
      long redeliveries = stack.mappings().stream().mapToLong(m -> m.failedMessages()).sum();
      injected.put("redeliveries (ESM)", redeliveries);
      Ledger l =
          load.ledger(
              "load with faults ("
                  + scale.name()
                  + ", seed "
                  + seed
                  + ")"
                  + (settled ? "" : " — DID NOT SETTLE"),
              injected);
      l.print(out);
      return l;
    }
  }

  static Map<String, Long> chaosCounts(Path chaosLog) throws IOException {
    Map<String, Long> m = new LinkedHashMap<>();
    m.put("trigger crashes mid-batch", 0L);
    m.put("duplicate batch deliveries", 0L);
    m.put("visibility timeouts expired", 0L);
    if (Files.isRegularFile(chaosLog)) {
      for (String line : Files.readAllLines(chaosLog)) {
        String key =
            line.startsWith("crash")
                ? "trigger crashes mid-batch"
                : line.startsWith("duplicate")
                    ? "duplicate batch deliveries"
                    : line.startsWith("slow") ? "visibility timeouts expired" : null;
        if (key != null) {
          m.merge(key, 1L, Long::sum);
        }
      }
    }
    return m;
  }

  private static final String LOGBACK_PROVIDER =
      "ch.qos.logback.classic.spi.LogbackServiceProvider";

  /** A running {@link StackMain} child process. */
  public record Child(Process process, URI sqs, URI sfn, URI s3, String stateMachineArn) {}

  /** Starts {@link StackMain} as a child JVM on the given data dir and ports; waits for READY. */
  public static Child startChild(
      Path repo, Path dir, int sqsPort, int s3Port, int sfnPort, Path log) throws IOException {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1",
                // The class path holds the trigger's shaded jar with slf4j-nop's provider: the
                // restart count is read from this process's log, so logback must log it.
                "-Dslf4j.provider=" + LOGBACK_PROVIDER,
                "-cp",
                System.getProperty("java.class.path"),
                StackMain.class.getName(),
                repo.toString(),
                dir.resolve("data").toString(),
                dir.resolve("work").toString(),
                Integer.toString(sqsPort),
                Integer.toString(s3Port),
                Integer.toString(sfnPort),
                "4"));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    BufferedReader in =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    List<String> early = new ArrayList<>();
    String line;
    while ((line = in.readLine()) != null) {
      if (line.startsWith("READY ")) {
        Map<String, String> kv = new LinkedHashMap<>();
        for (String part : line.substring(6).split(" ")) {
          kv.put(part.substring(0, part.indexOf('=')), part.substring(part.indexOf('=') + 1));
        }
        // The start-up lines belong in the log too (the restart logs its resumed executions).
        Files.write(
            log,
            early,
            StandardCharsets.UTF_8,
            java.nio.file.StandardOpenOption.CREATE,
            java.nio.file.StandardOpenOption.APPEND);
        // Keep draining the child's output to a file so it never blocks on a full pipe.
        Thread.ofVirtual().start(() -> drain(in, log));
        return new Child(
            p,
            URI.create(kv.get("sqs")),
            URI.create(kv.get("sfn")),
            URI.create(kv.get("s3")),
            kv.get("arn"));
      }
      early.add(line);
    }
    throw new IllegalStateException(
        "the stack process exited before it was ready:\n"
            + String.join("\n", early.subList(Math.max(0, early.size() - 30), early.size())));
  }

  private static void drain(BufferedReader in, Path log) {
    try (var w =
        Files.newBufferedWriter(
            log,
            StandardCharsets.UTF_8,
            java.nio.file.StandardOpenOption.CREATE,
            java.nio.file.StandardOpenOption.APPEND)) {
      String line;
      while ((line = in.readLine()) != null) {
        w.write(line);
        w.newLine();
      }
    } catch (IOException e) {
      // the process died: that is the point
    }
  }

  /**
   * Restart: a stack in a child JVM takes load; once some executions have run it is killed with
   * SIGKILL (no shutdown hook, no flush), then started again on the same data dir and ports. The
   * same ledger must hold — executions the kill interrupted resume and end as they should, so none
   * may end FAILED because of the kill — and every execution the first process reported must still
   * be listed by the second (no history lost).
   */
  public static Ledger restart(Path repo, Path dir, Scale scale, PrintStream out) throws Exception {
    Files.createDirectories(dir.resolve("work"));
    Child first = startChild(repo, dir, 0, 0, 0, dir.resolve("stack-1.log"));
    Child second = null;
    try {
      Map<String, String> q = new LinkedHashMap<>();
      Map<String, String> d = new LinkedHashMap<>();
      for (String role : List.of("activator", "processor")) {
        q.put(role, first.sqs() + "/000000000000/" + role + "-queue");
        d.put(role, first.sqs() + "/000000000000/" + role + "-dlq");
      }
      LoadWithFaults load =
          new LoadWithFaults(
              first.sqs(), first.sfn(), first.stateMachineArn(), q, d, dir.resolve("data"));
      out.println(
          "restart: sending " + scale.restartMessages() + " messages, killing the stack mid-load");
      load.send(new LoadWithFaults.Plan(scale.restartMessages(), 0.10, 0.03, 0.0, 11));
      // Kill once a good part (but not all) of the work is done.
      List<String> before;
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
      try (SfnClient sfn = load.sfn()) {
        do {
          Thread.sleep(200);
          before = arns(sfn, first.stateMachineArn());
        } while (before.size() < scale.restartMessages() / 3 && System.nanoTime() < deadline);
        first.process().destroyForcibly();
        first.process().waitFor(30, TimeUnit.SECONDS);
        out.println(
            "restart: killed the stack (SIGKILL) with " + before.size() + " executions listed");
      }
      int sqsPort = first.sqs().getPort();
      int s3Port = first.s3().getPort();
      int sfnPort = first.sfn().getPort();
      second = startWithRetry(repo, dir, sqsPort, s3Port, sfnPort);
      out.println("restart: stack restarted on the same data dir and ports");
      List<String> missing;
      try (SfnClient sfn = load.sfn()) {
        List<String> after = arns(sfn, second.stateMachineArn());
        missing = new ArrayList<>(before);
        missing.removeAll(after);
      }
      load.awaitSettled(scale.settleTimeout(), out);
      Map<String, Long> injected = new LinkedHashMap<>();
      injected.put("kill -9 of the stack", 1L);
      injected.put("executions listed at kill", (long) before.size());
      injected.put("history entries missing", (long) missing.size());
      injected.put(RESUMED, resumedCount(dir.resolve("stack-2.log")));
      Ledger l = load.ledger("restart after kill -9 (" + scale.name() + ")", injected);
      if (!missing.isEmpty()) {
        List<String> problems = new ArrayList<>(l.problems());
        problems.add(
            0,
            missing.size()
                + " execution(s) listed before the kill are gone after the restart, e.g. "
                + missing.get(0));
        l =
            new Ledger(
                l.scenario(),
                l.sent(),
                l.injected(),
                l.outcomes(),
                l.lost() + missing.size(),
                l.duplicated(),
                l.wrongOutcome(),
                problems,
                l.seconds());
      }
      l.print(out);
      return l;
    } finally {
      first.process().destroyForcibly();
      if (second != null) {
        second.process().destroy();
        if (!second.process().waitFor(60, TimeUnit.SECONDS)) {
          second.process().destroyForcibly();
        }
      }
    }
  }

  /** The count the restarted Step Functions logs when it resumes interrupted executions. */
  static long resumedCount(Path stackLog) throws IOException {
    java.util.regex.Pattern p =
        java.util.regex.Pattern.compile("(\\d+) execution\\(s\\) were running .* resumed");
    long n = 0;
    if (Files.isRegularFile(stackLog)) {
      for (String line : Files.readAllLines(stackLog)) {
        java.util.regex.Matcher m = p.matcher(line);
        if (m.find()) {
          n += Long.parseLong(m.group(1));
        }
      }
    }
    return n;
  }

  private static Child startWithRetry(Path repo, Path dir, int sqsPort, int s3Port, int sfnPort)
      throws Exception {
    IllegalStateException last = null;
    for (int i = 0; i < 5; i++) {
      try {
        return startChild(repo, dir, sqsPort, s3Port, sfnPort, dir.resolve("stack-2.log"));
      } catch (IllegalStateException e) {
        last = e; // a port still held by the dying process: try again shortly
        Thread.sleep(2000);
      }
    }
    throw last;
  }

  static List<String> arns(SfnClient sfn, String stateMachineArn) {
    List<String> arns = new ArrayList<>();
    String token = null;
    do {
      String t = token;
      var r =
          sfn.listExecutions(b -> b.stateMachineArn(stateMachineArn).maxResults(1000).nextToken(t));
      r.executions().stream().map(ExecutionListItem::executionArn).forEach(arns::add);
      token = r.nextToken();
    } while (token != null);
    return arns;
  }
}
