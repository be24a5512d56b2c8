package dev.hsipipeline.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hsipipeline.bench.internal.BenchContext;
import dev.hsipipeline.bench.internal.Benchmark;
import dev.hsipipeline.bench.internal.CogBench;
import dev.hsipipeline.bench.internal.EndToEndBench;
import dev.hsipipeline.bench.internal.InterpreterBench;
import dev.hsipipeline.bench.internal.Machine;
import dev.hsipipeline.bench.internal.ProcessorBench;
import dev.hsipipeline.bench.internal.Report;
import dev.hsipipeline.bench.internal.SqsFrontBench;
import dev.hsipipeline.bench.internal.SvgChart;
import dev.hsipipeline.bench.internal.TriggerBenches;
import dev.hsipipeline.local.StackSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code ./pipeline bench}: every benchmark side by side with its peer or limit. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Measures each benchmark side by side with its peer/limit (median of N runs) and writes"
          + " bench/results/<date>.json and .svg (and latest.*)."
    })
final class BenchCommand implements Callable<Integer> {
  static final Set<String> ALL =
      Set.of("cold", "warm", "interpreter", "e2e", "processor", "cog", "sqs");

  private final PrintStream out;
  private final PrintStream err;

  @Spec CommandSpec spec;

  /** Results go to {@code out}, progress to {@code err}. */
  BenchCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  @Option(names = "--quick", description = "Small sizes, 3 runs (a sanity run of a few minutes).")
  boolean quick;

  @Option(
      names = "--runs",
      paramLabel = "N",
      description = "Runs per variant (default 5, with --quick 3).")
  Integer runs;

  @Option(
      names = "--only",
      split = ",",
      paramLabel = "NAME",
      description = "Only these: cold, warm, interpreter, e2e, processor, cog, sqs.")
  List<String> only;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "Results directory (default bench/results).")
  Path outDir;

  @Override
  public Integer call() throws Exception {
    if (runs != null && runs < 1) {
      throw new ParameterException(
          spec.commandLine(), "--runs must be a positive integer, got '" + runs + "'");
    }
    Set<String> selected = only == null ? ALL : new LinkedHashSet<>(only);
    for (String o : selected) {
      if (!ALL.contains(o)) {
        throw new ParameterException(
            spec.commandLine(), "--only: unknown benchmark '" + o + "' (known: " + ALL + ")");
      }
    }
    return run(selected, runs != null ? runs : quick ? 3 : 5);
  }

  private int run(Set<String> only, int runs) throws Exception {
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
      if (only.contains("sqs")) {
        results.add(
            guard(
                ctx,
                "sqs-front",
                "7. SQS front",
                "ms",
                false,
                () -> List.of(SqsFrontBench.run(ctx))));
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
