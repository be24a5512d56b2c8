package dev.hsipipeline.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.hsipipeline.bench.internal.Machine;
import dev.hsipipeline.bench.reliability.Ledger;
import dev.hsipipeline.bench.reliability.Scenarios;
import dev.hsipipeline.local.StackSettings;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code ./pipeline soak}: the reliability suite's long form, with its ledgers. */
@Command(
    name = "soak",
    mixinStandardHelpOptions = true,
    description = {
      "The reliability suite's long form: 10 000 messages with faults, then kill -9 + restart;"
          + " prints each ledger and writes bench/results/soak-<date>.json; exit 1 if anything"
          + " was lost or duplicated."
    })
final class SoakCommand implements Callable<Integer> {

  private final PrintStream out;

  @Spec CommandSpec spec;

  /** Ledgers go to {@code out}. */
  SoakCommand(PrintStream out) {
    this.out = out;
  }

  @Option(names = "--messages", paramLabel = "N", description = "Messages of the load scenario.")
  Integer messages;

  @Option(names = "--seed", paramLabel = "S", description = "Seed of the fault plan (default 42).")
  long seed = 42;

  @Option(names = "--skip-restart", description = "Leave out the kill -9 + restart scenario.")
  boolean skipRestart;

  @Override
  public Integer call() throws Exception {
    Scenarios.Scale scale = Scenarios.Scale.soak();
    if (messages != null) {
      if (messages < 1) {
        throw new ParameterException(
            spec.commandLine(), "--messages must be a positive integer, got '" + messages + "'");
      }
      scale =
          new Scenarios.Scale("soak", messages, Math.max(100, messages / 3), scale.settleTimeout());
    }
    boolean restart = !skipRestart;
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
      BenchCommand.deleteTree(work);
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
}
