package dev.hsipipeline.local.console.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads the local Batch runner's records: {@code batch/jobs/<jobId>.json} (the DescribeJobs {@code
 * jobs[]} shape) and {@code batch/logs/<jobId>/<attempt>.log}.
 */
public final class JobRecords {

  private static final Pattern JOB_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}");
  private static final Pattern LOG_FILE = Pattern.compile("(\\d{1,6})\\.log");

  /** Lines kept per attempt when the caller does not ask for a number. */
  static final int DEFAULT_TAIL = 2000;

  /** Stop scanning after this many job records (a local data dir that big is unusual). */
  static final int MAX_SCAN = 20_000;

  private final Path jobsDir;
  private final Path logsDir;
  private final ObjectMapper json;

  public JobRecords(Path dataDir, ObjectMapper json) {
    this.jobsDir = dataDir.resolve("batch").resolve("jobs");
    this.logsDir = dataDir.resolve("batch").resolve("logs");
    this.json = json;
  }

  /**
   * The job and the last {@code tail} lines of each attempt's log: {@code {"job": {...}, "logs":
   * [{"attempt": 1, "lines": [...], "truncated": false}]}}. Empty when there is no record and no
   * log for that id.
   */
  public Optional<ObjectNode> job(String jobId, int tail) {
    requireJobId(jobId);
    ObjectNode out = json.createObjectNode();
    Optional<JsonNode> record = readRecord(jobsDir.resolve(jobId + ".json"));
    record.ifPresentOrElse(r -> out.set("job", r), () -> out.putNull("job"));
    ArrayNode logs = out.putArray("logs");
    Path dir = logsDir.resolve(jobId);
    if (Files.isDirectory(dir)) {
      List<int[]> attempts = new ArrayList<>();
      try (Stream<Path> files = Files.list(dir)) {
        files.forEach(
            f -> {
              var m = LOG_FILE.matcher(f.getFileName().toString());
              if (m.matches()) {
                attempts.add(new int[] {Integer.parseInt(m.group(1))});
              }
            });
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list " + dir, e);
      }
      attempts.sort(Comparator.comparingInt(a -> a[0]));
      for (int[] a : attempts) {
        ObjectNode entry = logs.addObject();
        entry.put("attempt", a[0]);
        Tail t = tail(dir.resolve(a[0] + ".log"), tail);
        ArrayNode lines = entry.putArray("lines");
        t.lines().forEach(lines::add);
        entry.put("truncated", t.skipped() > 0);
        entry.put("skippedLines", t.skipped());
      }
    }
    if (record.isEmpty() && logs.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(out);
  }

  /**
   * Job records whose container environment names this execution ({@code PIPELINE_EXECUTION_ARN}),
   * oldest first.
   */
  public List<JsonNode> jobsOfExecution(String executionArn) {
    if (!Files.isDirectory(jobsDir)) {
      return List.of();
    }
    List<JsonNode> found = new ArrayList<>();
    try (Stream<Path> files = Files.list(jobsDir)) {
      files
          .filter(f -> f.getFileName().toString().endsWith(".json"))
          .limit(MAX_SCAN)
          .forEach(
              f ->
                  readRecord(f)
                      .filter(r -> executionArn.equals(environment(r, "PIPELINE_EXECUTION_ARN")))
                      .ifPresent(found::add));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + jobsDir, e);
    }
    found.sort(Comparator.comparingLong(r -> r.path("createdAt").asLong()));
    return found;
  }

  static String environment(JsonNode record, String name) {
    for (JsonNode e : record.path("container").path("environment")) {
      if (name.equals(e.path("name").asText())) {
        return e.path("value").asText();
      }
    }
    return null;
  }

  static void requireJobId(String jobId) {
    if (jobId == null || !JOB_ID.matcher(jobId).matches()) {
      throw new Exchanges.BadRequest(
          "Not a job id: '" + jobId + "' (expected 1-128 of letters, digits, '_', '.', ':', '-').");
    }
  }

  private Optional<JsonNode> readRecord(Path file) {
    try {
      return Optional.of(json.readTree(Files.readAllBytes(file)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      // A record being rewritten right now reads as truncated JSON; skipping it is correct for a
      // viewer that polls again in a moment.
      return Optional.empty();
    }
  }

  record Tail(List<String> lines, long skipped) {}

  /** The last {@code max} lines of a log, streaming it once (bounded memory). */
  static Tail tail(Path file, int max) {
    Deque<String> last = new ArrayDeque<>();
    long total = 0;
    // InputStreamReader replaces bytes that are not UTF-8 (a child JVM may print anything)
    // instead of failing the way Files.newBufferedReader does.
    try (var reader =
        new java.io.BufferedReader(
            new java.io.InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        total++;
        last.addLast(line);
        if (last.size() > max) {
          last.removeFirst();
        }
      }
    } catch (NoSuchFileException e) {
      return new Tail(List.of(), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return new Tail(List.copyOf(last), total - last.size());
  }
}
