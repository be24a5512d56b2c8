package dev.hsipipeline.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hsipipeline.local.batch.BatchRunner;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code pipeline logs <jobId> [--attempt N | --all]}: a Batch job's log (works with the stack
 * stopped).
 */
@Command(
    name = "logs",
    mixinStandardHelpOptions = true,
    description =
        "Print a Batch job's log (stdout+stderr of its last attempt, or --attempt N / --all).")
final class LogsCommand implements Callable<Integer> {
  @ParentCommand PipelineCli parent;
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "JOB_ID",
      description = "Job id (a unique prefix is enough)")
  String jobId;

  @Option(
      names = "--attempt",
      paramLabel = "N",
      description = "Attempt number (1-based). Default: the last one")
  Integer attempt;

  @Option(names = "--all", description = "All attempts, each under a header line.")
  boolean all;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    Path dataDir = parent.dataDir();
    String id = resolve(dataDir, jobId);
    Path logs = dataDir.resolve("batch").resolve("logs").resolve(id);
    List<Integer> attempts;
    try (Stream<Path> s = Files.exists(logs) ? Files.list(logs) : Stream.empty()) {
      attempts =
          s.map(p -> p.getFileName().toString())
              .filter(n -> n.matches("\\d+\\.log"))
              .map(n -> Integer.parseInt(n.substring(0, n.length() - 4)))
              .sorted()
              .toList();
    }
    if (attempts.isEmpty()) {
      JsonNode rec = record(dataDir, id);
      throw new IllegalArgumentException(
          "job "
              + id
              + " has no log yet"
              + (rec != null
                  ? " (status "
                      + rec.path("status").asText()
                      + (rec.has("statusReason") ? ": " + rec.path("statusReason").asText() : "")
                      + ")"
                  : ""));
    }
    if (attempt != null && !attempts.contains(attempt)) {
      throw new IllegalArgumentException(
          "job " + id + " has no attempt " + attempt + "; attempts: " + attempts);
    }
    List<Integer> show =
        all ? attempts : List.of(attempt != null ? attempt : attempts.get(attempts.size() - 1));
    for (int a : show) {
      if (all) {
        out.println("==> attempt " + a + " <==");
      }
      try (Stream<String> lines = Files.lines(BatchRunner.logFile(dataDir, id, a))) {
        lines.forEach(out::println);
      }
    }
    return 0;
  }

  static String resolve(Path dataDir, String prefix) throws IOException {
    if (!prefix.matches("[A-Za-z0-9-]{1,64}")) {
      throw new IllegalArgumentException("'" + prefix + "' is not a job id");
    }
    Path jobs = dataDir.resolve("batch").resolve("jobs");
    if (Files.isRegularFile(jobs.resolve(prefix + ".json"))) {
      return prefix;
    }
    List<String> matches;
    try (Stream<Path> s = Files.exists(jobs) ? Files.list(jobs) : Stream.empty()) {
      matches =
          s.map(p -> p.getFileName().toString())
              .filter(n -> n.endsWith(".json") && n.startsWith(prefix))
              .map(n -> n.substring(0, n.length() - 5))
              .toList();
    }
    if (matches.size() == 1) {
      return matches.get(0);
    }
    if (matches.isEmpty()) {
      throw new IllegalArgumentException(
          "no job "
              + prefix
              + " in "
              + jobs
              + " (job ids are shown by ./pipeline describe and ./pipeline history)");
    }
    throw new IllegalArgumentException("job id prefix " + prefix + " is ambiguous: " + matches);
  }

  static JsonNode record(Path dataDir, String id) {
    try {
      return new ObjectMapper().readTree(BatchRunner.jobRecordFile(dataDir, id).toFile());
    } catch (IOException e) {
      return null;
    }
  }

  /** Prints the last {@code count} lines of a job's latest attempt, if it has a log. */
  static void printLastLines(PrintWriter out, Path dataDir, String jobId, int count) {
    if (jobId == null) {
      return;
    }
    JsonNode rec = record(dataDir, jobId);
    int attempts = rec == null ? 0 : rec.path("attempts").size();
    if (attempts == 0) {
      return;
    }
    Path log = BatchRunner.logFile(dataDir, jobId, attempts);
    try (Stream<String> lines = Files.lines(log)) {
      List<String> all = lines.toList();
      out.println("--- last lines of job " + jobId + " attempt " + attempts + " (" + log + "):");
      all.subList(Math.max(0, all.size() - count), all.size()).forEach(x -> out.println("  " + x));
      out.println("---");
    } catch (IOException e) {
      out.println("(no log for job " + jobId + ": " + e.getMessage() + ")");
    }
  }
}
