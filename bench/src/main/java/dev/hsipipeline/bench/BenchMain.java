package dev.hsipipeline.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hsipipeline.bench.internal.BenchContext;
import dev.hsipipeline.bench.internal.Benchmark;
import dev.hsipipeline.bench.internal.CogBench;
import dev.hsipipeline.bench.internal.EndToEndBench;
import dev.hsipipeline.bench.internal.InterpreterBench;
import dev.hsipipeline.bench.internal.Machine;
import dev.hsipipeline.bench.internal.ProcessorBench;
import dev.hsipipeline.bench.internal.Report;
import dev.hsipipeline.bench.internal.SvgChart;
import dev.hsipipeline.bench.internal.TriggerBenches;
import dev.hsipipeline.bench.reliability.Ledger;
import dev.hsipipeline.bench.reliability.Scenarios;
import dev.hsipipeline.local.StackSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code ./pipeline bench [--quick] [--runs N] [--only a,b]} and {@code ./pipeline soak [--messages
 * N]}: benchmarks side by side with their peers and limits, and the long form of the reliability
 * suite. No CLI library on purpose — the stack's CLI owns picocli and this main has four options.
 */
public final class BenchMain {
  private static final Set<String> ALL =
      Set.of("cold", "warm", "interpreter", "e2e", "processor", "cog");

  private BenchMain() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs one command line; returns the exit code (0 ok, 1 failed, 2 bad arguments). */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0
        || args[0].equals("--help")
        || args[0].equals("-h")
        || args[0].equals("help")) {
      out.println(usage());
      return args.length == 0 ? 2 : 0;
    }
    try {
      return switch (args[0]) {
        case "bench" -> bench(Arrays.copyOfRange(args, 1, args.length), out, err);
        case "soak" -> soak(Arrays.copyOfRange(args, 1, args.length), out);
        default -> {
          err.println("pipeline: unknown command '" + args[0] + "'\n" + usage());
          yield 2;
        }
      };
    } catch (IllegalArgumentException e) {
      err.println("pipeline " + args[0] + ": " + e.getMessage());
      return 2;
    } catch (Exception e) {
      err.println("pipeline " + args[0] + ": failed: " + e);
      e.printStackTrace(err);
      return 1;
    }
  }

  static String usage() {
    return """
        usage: pipeline bench [--quick] [--runs N] [--only cold,warm,interpreter,e2e,processor,cog] [--out DIR]
               pipeline soak  [--messages N] [--seed S] [--skip-restart]
          bench  measures each benchmark side by side with its peer/limit (median of N runs) and writes
                 bench/results/<date>.json and .svg (and latest.*); --quick: small sizes, 3 runs
          soak   the reliability suite's long form: 10 000 messages with faults, then kill -9 + restart;
                 prints each ledger and writes bench/results/soak-<date>.json; exit 1 if anything was
                 lost or duplicated""";
  }

  private static int bench(String[] args, PrintStream out, PrintStream err) throws Exception {
    boolean quick = false;
    int runs = -1;
    Set<String> only = ALL;
    Path outDir = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick" -> quick = true;
        case "--runs" -> runs = positive(value(args, ++i, "--runs"), "--runs");
        case "--only" -> {
          only = Set.of(value(args, ++i, "--only").split(","));
          for (String o : only) {
            if (!ALL.contains(o)) {
              throw new IllegalArgumentException(
                  "--only: unknown benchmark '" + o + "' (known: " + ALL + ")");
            }
          }
        }
        case "--out" -> outDir = Path.of(value(args, ++i, "--out"));
        default ->
            throw new IllegalArgumentException("unknown option '" + args[i] + "'\n" + usage());
      }
    }
    if (runs < 0) {
      runs = quick ? 3 : 5;
    }
    Path repo = StackSettings.findRepoRoot();
    Path work = Files.createTempDirectory("pipeline-bench-");
    BenchContext ctx = new BenchContext(repo, work, runs, quick, err);
    Map<String, Object> machine = Machine.describe();
    out.println("pipeline bench" + (quick ? " --quick" : "") + " on " + Machine.summary(machine));
    List<Benchmark> results = new ArrayList<>();
    try {
      if (only.contains("cold")) {
        results.add(
            guard(
                ctx,
                "trigger-cold-start",
                "1. Trigger cold start",
                "ms",
                false,
                () -> List.of(TriggerBenches.coldStart(ctx))));
      }
      if (only.contains("warm")) {
        results.add(
            guard(
                ctx,
                "trigger-warm-throughput",
                "2. Trigger warm throughput",
                "records/s",
                true,
                () -> List.of(TriggerBenches.warmThroughput(ctx))));
      }
      if (only.contains("interpreter")) {
        results.add(
            guard(
                ctx,
                "interpreter",
                "3. ASL interpreter",
                "executions/s",
                true,
                () -> List.of(InterpreterBench.run(ctx))));
      }
      if (only.contains("e2e")) {
        List<Benchmark> e2e = new ArrayList<>();
        Benchmark failed =
            guard(
                ctx,
                "e2e-throughput",
                "4. Local end to end",
                "messages/s",
                true,
                () -> {
                  e2e.addAll(EndToEndBench.run(ctx));
                  return e2e;
                });
        results.addAll(e2e.isEmpty() ? List.of(failed) : e2e);
      }
      if (only.contains("processor")) {
        results.add(
            guard(
                ctx,
                "processor",
                "5. Processor",
                "MB/s",
                true,
                () -> List.of(ProcessorBench.run(ctx))));
      }
      if (only.contains("cog")) {
        results.add(
            guard(ctx, "cog", "6. ENVI → COG", "s", false, () -> List.of(CogBench.run(ctx))));
      }
    } finally {
      deleteTree(work);
    }
    String date = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm"));
    ObjectNode json = Report.toJson(date, quick, machine, results);
    String svg =
        SvgChart.render(
            "HSI pipeline benchmarks — " + date + (quick ? " (quick)" : ""),
            Machine.summary(machine) + "; medians of " + runs + " runs",
            results);
    Path dir = outDir != null ? outDir : repo.resolve("bench/results");
    Path file = Report.write(dir, date, json, svg);
    Report.print(out, results);
    out.println();
    out.println("results: " + file + " and " + file.resolveSibling(date + ".svg"));
    return results.stream().anyMatch(b -> b.skipped() != null && b.skipped().startsWith("failed"))
        ? 1
        : 0;
  }

  private interface Body {
    List<Benchmark> run() throws Exception;
  }

  /** Runs one benchmark; a failure is recorded as such and the others still run. */
  private static Benchmark guard(
      BenchContext ctx, String id, String title, String unit, boolean higher, Body body) {
    ctx.progress("running " + title);
    try {
      return body.run().get(0);
    } catch (Exception | Error e) {
      ctx.progress(title + " failed: " + e);
      Benchmark b = new Benchmark(id, title, unit, higher);
      String msg = String.valueOf(e.getMessage());
      b.skip("failed: " + e.getClass().getSimpleName() + ": " + msg.lines().findFirst().orElse(""));
      return b;
    }
  }

  private static int soak(String[] args, PrintStream out) throws Exception {
    Scenarios.Scale scale = Scenarios.Scale.soak();
    long seed = 42;
    boolean restart = true;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--messages" -> {
          int n = positive(value(args, ++i, "--messages"), "--messages");
          scale = new Scenarios.Scale("soak", n, Math.max(100, n / 3), scale.settleTimeout());
        }
        case "--seed" -> seed = Long.parseLong(value(args, ++i, "--seed"));
        case "--skip-restart" -> restart = false;
        default ->
            throw new IllegalArgumentException("unknown option '" + args[i] + "'\n" + usage());
      }
    }
    // One INFO line per job and per batch, for 10 000 messages, would bury the ledgers.
    for (String chatty : List.of("dev.hsipipeline.local.batch", "dev.hsipipeline.local.esm")) {
      ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(chatty))
          .setLevel(ch.qos.logback.classic.Level.WARN);
    }
    Path repo = StackSettings.findRepoRoot();
    Path work = Files.createTempDirectory("pipeline-soak-");
    List<Ledger> ledgers = new ArrayList<>();
    try {
      ledgers.add(Scenarios.loadWithFaults(repo, work.resolve("load"), scale, seed, out));
      if (restart) {
        ledgers.add(Scenarios.restart(repo, work.resolve("restart"), scale, out));
      }
    } finally {
      deleteTree(work);
    }
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("machine", Machine.describe());
    doc.put("ledgers", ledgers.stream().map(Ledger::toMap).toList());
    String date = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm"));
    Path file = repo.resolve("bench/results/soak-" + date + ".json");
    Files.createDirectories(file.getParent());
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), doc);
    out.println("soak results: " + file);
    return ledgers.stream().allMatch(Ledger::clean) ? 0 : 1;
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[i];
  }

  private static int positive(String v, String option) {
    try {
      int n = Integer.parseInt(v);
      if (n < 1) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " must be a positive integer, got '" + v + "'");
    }
  }

  static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> s = Files.walk(root)) {
      s.sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException e) {
                  // best effort: a temp dir
                }
              });
    } catch (IOException e) {
      // best effort
    }
  }
}
