package dev.hsipipeline.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Structured log lines, one JSON object per line on stdout (CloudWatch Logs / the local Batch
 * runner keep each line as an event): {@code
 * {"ts":"…","level":"INFO","job":"processor","jobId":"…","attempt":1,"step":"stats","msg":"…","durationMs":12,…}}.
 * Thread-safe.
 */
public final class JobLog {
  /** The {@code level} field; log queries filter on WARN and ERROR. */
  public enum Level {
    DEBUG,
    INFO,
    WARN,
    ERROR
  }

  /** A unit of work that may throw. */
  @FunctionalInterface
  public interface Step<T> {
    /** Does the work. */
    T run() throws Exception;
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private final String job;
  private final JobEnv env;
  private final PrintStream out;
  private final Clock clock;

  /** Logs for {@code job} to {@code out}. */
  public JobLog(String job, JobEnv env, PrintStream out, Clock clock) {
    this.job = job;
    this.env = env;
    this.out = out;
    this.clock = clock;
  }

  /** Progress of a step, with measurements as {@code fields} (sizes, timings, counts). */
  public void info(String step, String msg, Map<String, ?> fields) {
    log(Level.INFO, step, msg, fields);
  }

  /** Progress of a step that has nothing to measure. */
  public void info(String step, String msg) {
    log(Level.INFO, step, msg, Map.of());
  }

  /** Something odd the job worked around (e.g. a header field it ignored). */
  public void warn(String step, String msg, Map<String, ?> fields) {
    log(Level.WARN, step, msg, fields);
  }

  /** Why the job fails; the last lines of a failed attempt name the object and the problem. */
  public void error(String step, String msg, Map<String, ?> fields) {
    log(Level.ERROR, step, msg, fields);
  }

  /** Writes one line. Field values may be strings, numbers, booleans, lists, maps or JSON nodes. */
  public void log(Level level, String step, String msg, Map<String, ?> fields) {
    ObjectNode line = JSON.createObjectNode();
    line.put("ts", clock.instant().toString());
    line.put("level", level.name());
    line.put("job", job);
    line.put("jobId", env.jobId());
    line.put("attempt", env.attempt());
    if (env.executionArn() != null) line.put("executionArn", env.executionArn());
    if (env.messageId() != null) line.put("messageId", env.messageId());
    if (step != null) line.put("step", step);
    line.put("msg", msg);
    if (fields != null) {
      fields.forEach((k, v) -> line.set(k, JSON.valueToTree(v)));
    }
    String text = line.toString();
    synchronized (out) {
      out.println(text);
      out.flush();
    }
  }

  /** Runs a step and logs its duration ("done" or "failed"); exceptions propagate unchanged. */
  public <T> T step(String step, Step<T> work) throws Exception {
    long t0 = System.nanoTime();
    try {
      T result = work.run();
      info(step, "done", Map.of("durationMs", millis(t0)));
      return result;
    } catch (Exception | Error e) {
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("durationMs", millis(t0));
      f.put("error", String.valueOf(e.getMessage()));
      log(Level.WARN, step, "failed", f);
      throw e;
    }
  }

  static long millis(long t0) {
    return (System.nanoTime() - t0) / 1_000_000;
  }
}
