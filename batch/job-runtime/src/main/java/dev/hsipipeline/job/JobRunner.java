package dev.hsipipeline.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hsipipeline.job.internal.LibraryLogs;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Runs a {@link Job} the way Batch runs a container: resolves the event argument (inline JSON, or
 * an {@code s3://bucket/key} whose object holds the JSON — the trigger passes large bodies that
 * way), builds the clients from the env, logs structured lines, and turns the outcome into an exit
 * code: {@value #EXIT_OK} success (after logging the job's {@link JobOutcome} and, in a workflow,
 * writing it where {@value JobEnv#OUTCOME_URI} says, for the execution output; ADR 0166), {@value
 * #EXIT_PERMANENT} permanent bad input (the job definition's retryStrategy EXITs on it), {@value
 * #EXIT_RETRYABLE} anything retryable.
 *
 * <p><b>Fault injection (local stack and tests only):</b> when the environment has {@value
 * JobEnv#FAULT_INJECTION}{@code =true}, an event carrying {@code "faults": {"failAttempts": N}}
 * makes every attempt with AWS_BATCH_JOB_ATTEMPT &le; N log "injected transient failure" and exit
 * {@value #EXIT_RETRYABLE} before doing any work, so retry behaviour can be tested end to end.
 * Without it (every deployed job: the job definitions never set it) the field is ignored with a
 * warning, so whoever can send a message cannot force job failures.
 */
public final class JobRunner {
  /** Success. */
  public static final int EXIT_OK = 0;

  /** Retryable failure. */
  public static final int EXIT_RETRYABLE = 1;

  /** Permanent failure: bad input, Batch does not retry. */
  public static final int EXIT_PERMANENT = 2;

  /** Largest event object read from S3. */
  public static final long MAX_EVENT_BYTES = 8L << 20;

  private static final ObjectMapper JSON = new ObjectMapper();

  private JobRunner() {}

  /** Production entry: runs and exits the JVM with the exit code. */
  public static void main(String jobName, Job job, String[] args) {
    int code = run(jobName, job, args, System.getenv(), System.out, null, null, true);
    System.out.flush();
    System.exit(code);
  }

  /** Runs with clients built from the env; returns the exit code. */
  public static int run(
      String jobName, Job job, String[] args, Map<String, String> envVars, PrintStream out) {
    return run(jobName, job, args, envVars, out, null, null);
  }

  /**
   * Runs with the given clients (tests); null clients are built from the env and closed at the end.
   */
  public static int run(
      String jobName,
      Job job,
      String[] args,
      Map<String, String> envVars,
      PrintStream out,
      S3Client s3Client,
      SqsClient sqsClient) {
    return run(jobName, job, args, envVars, out, s3Client, sqsClient, false);
  }

  /**
   * @param routeLibraryLogs whether {@code java.util.logging} records of libraries go to the job
   *     log (process-wide: only {@link #main} asks for it)
   */
  private static int run(
      String jobName,
      Job job,
      String[] args,
      Map<String, String> envVars,
      PrintStream out,
      S3Client s3Client,
      SqsClient sqsClient,
      boolean routeLibraryLogs) {
    long t0 = System.nanoTime();
    JobEnv env;
    try {
      env = JobEnv.from(envVars);
    } catch (JobFailure f) {
      out.println(
          "{\"level\":\"ERROR\",\"job\":\""
              + jobName
              + "\",\"msg\":"
              + quote(f.getMessage())
              + ",\"exitCode\":"
              + f.exitCode()
              + "}");
      return f.exitCode();
    }
    JobLog log = new JobLog(jobName, env, out, Clock.systemUTC());
    if (routeLibraryLogs) LibraryLogs.route(log);
    S3Client s3 = s3Client;
    SqsClient[] sqsHolder = {sqsClient};
    boolean ownS3 = s3 == null;
    int code;
    try {
      if (ownS3) s3 = AwsClients.s3(env);
      S3Store store =
          new S3Store(s3, message -> log.warn("s3", message, Map.of()), S3Upload.Settings.DEFAULT);
      Supplier<SqsSender> sqs =
          memo(
              () -> {
                if (sqsHolder[0] == null) sqsHolder[0] = AwsClients.sqs(env);
                return new SqsSender(sqsHolder[0]);
              });
      String arg = args.length == 0 ? null : args[0];
      log.info("start", "job started", startFields(env, args));
      S3Uri outcomeUri = outcomeUri(env); // fail before any work when misconfigured
      ResolvedEvent ev = resolveEvent(arg, store);
      log.info(
          "event",
          "event resolved",
          Map.of("source", ev.source(), "event", abbreviate(ev.event().toString())));
      int failAttempts = injectedFailures(ev.event(), env, log);
      if (env.attempt() <= failAttempts) {
        log.error(
            "faults",
            "injected transient failure (attempt "
                + env.attempt()
                + " <= faults.failAttempts "
                + failAttempts
                + ")",
            Map.of("exitCode", EXIT_RETRYABLE));
        code = EXIT_RETRYABLE;
      } else {
        AtomicReference<JobOutcome> reported = new AtomicReference<>();
        job.run(
            new JobContext(
                jobName, env, ev.event(), ev.source(), log, store, sqs, JSON, reported::set));
        JobOutcome outcome = reported.get() != null ? reported.get() : JobOutcome.defaultDone();
        publish(outcome, jobName, env, outcomeUri, store, log);
        code = EXIT_OK;
      }
    } catch (JobFailure f) {
      Map<String, Object> fields = new LinkedHashMap<>();
      fields.put("failure", f.kind().name().toLowerCase());
      fields.put("exitCode", f.exitCode());
      if (f.getCause() != null) fields.put("cause", String.valueOf(f.getCause()));
      log.error("failed", f.getMessage(), fields);
      code = f.exitCode();
    } catch (Exception | LinkageError | AssertionError e) {
      // Unclassified: a bug or an environment problem. Retrying is the safe default.
      StringWriter sw = new StringWriter();
      e.printStackTrace(new PrintWriter(sw));
      log.error(
          "failed",
          "unexpected error: " + e,
          Map.of("failure", "transient", "exitCode", EXIT_RETRYABLE, "stackTrace", sw.toString()));
      code = EXIT_RETRYABLE;
    } finally {
      if (ownS3 && s3 != null) s3.close();
      if (sqsClient == null && sqsHolder[0] != null) sqsHolder[0].close();
    }
    Map<String, Object> end = new LinkedHashMap<>();
    end.put("exitCode", code);
    end.put("status", code == EXIT_OK ? "SUCCEEDED" : "FAILED");
    end.put("durationMs", JobLog.millis(t0));
    long rss = peakRssKiB();
    if (rss > 0) end.put("peakRssKiB", rss);
    ProcessHandle.current()
        .info()
        .totalCpuDuration()
        .ifPresent(cpu -> end.put("cpuMs", cpu.toMillis()));
    log.log(code == EXIT_OK ? JobLog.Level.INFO : JobLog.Level.ERROR, "end", "job finished", end);
    return code;
  }

  /**
   * The attempts the event asks to fail ({@code faults.failAttempts}), or 0 when fault injection is
   * off — then a {@code faults} field is only logged as ignored.
   */
  private static int injectedFailures(ObjectNode event, JobEnv env, JobLog log) {
    JsonNode faults = event.get("faults");
    if (faults == null) return 0;
    if (!env.faultInjection()) {
      log.warn(
          "faults",
          "event field 'faults' ignored: fault injection is off ("
              + JobEnv.FAULT_INJECTION
              + " is set only by the local stack and tests)",
          Map.of());
      return 0;
    }
    return faults.path("failAttempts").asInt(0);
  }

  /** {@value JobEnv#OUTCOME_URI} parsed, or null when the job runs outside a workflow. */
  private static S3Uri outcomeUri(JobEnv env) {
    String text = env.get(JobEnv.OUTCOME_URI).orElse(null);
    if (text == null) return null;
    try {
      return S3Uri.parse(text);
    } catch (JobFailure f) {
      throw JobFailure.permanent(
          JobEnv.OUTCOME_URI
              + " must be an s3://bucket/key URI (set by the state machine), got '"
              + text
              + "'");
    }
  }

  /**
   * Logs the outcome and writes it for the state machine. A write that fails fails the attempt with
   * the store's classification: the state machine relies on a successful job's outcome existing.
   */
  private static void publish(
      JobOutcome outcome, String jobName, JobEnv env, S3Uri uri, S3Store store, JobLog log) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("status", outcome.status().wireName());
    fields.put("outputs", outcome.outputs());
    if (uri != null) fields.put("outcomeUri", uri.toString());
    log.info("outcome", outcome.status().wireName() + ": " + outcome.message(), fields);
    if (uri == null) return;
    String body = outcome.toJson(JSON, jobName, env).toString();
    try {
      store.putString(uri, body, "application/json");
    } catch (JobFailure f) {
      String message =
          "cannot write the job outcome the state machine reads back: " + f.getMessage();
      throw f.isPermanent()
          ? JobFailure.permanent(message, f)
          : JobFailure.transientFailure(message, f);
    }
  }

  /** The event and where it came from. */
  record ResolvedEvent(ObjectNode event, String source) {}

  /** Inline JSON, a JSON string holding either form, or an s3:// URI of the JSON. */
  static ResolvedEvent resolveEvent(String arg, S3Store s3) {
    if (arg == null || arg.isBlank()) {
      throw JobFailure.permanent(
          "no event argument: the job definition's command must pass Ref::event");
    }
    String text = arg.trim();
    if (text.startsWith("Ref::")) {
      throw JobFailure.permanent(
          "event argument '"
              + text
              + "' was not substituted: submit the job with a parameter named '"
              + text.substring(5)
              + "'");
    }
    String source = "inline";
    for (int depth = 0; depth < 3; depth++) {
      if (S3Uri.looksLike(text)) {
        S3Uri uri = S3Uri.parse(text);
        source = uri.toString();
        text = s3.readString(uri, MAX_EVENT_BYTES).trim();
        continue;
      }
      JsonNode node;
      try {
        node = JSON.readTree(text);
      } catch (JsonProcessingException e) {
        throw JobFailure.permanent(
            "event from "
                + source
                + " is not valid JSON ("
                + e.getOriginalMessage()
                + "): "
                + abbreviate(text));
      }
      if (node != null && node.isTextual()) { // a JSON-encoded string: unwrap once more
        text = node.asText().trim();
        continue;
      }
      if (node == null || !node.isObject()) {
        throw JobFailure.permanent(
            "event from " + source + " must be a JSON object, got: " + abbreviate(text));
      }
      return new ResolvedEvent((ObjectNode) node, source);
    }
    throw JobFailure.permanent("event nests references too deeply: " + abbreviate(arg));
  }

  private static Map<String, Object> startFields(JobEnv env, String[] args) {
    Map<String, Object> f = new LinkedHashMap<>();
    if (env.jobQueue() != null) f.put("jobQueue", env.jobQueue());
    f.put("args", args.length);
    f.put("javaVersion", Runtime.version().toString());
    f.put("cpus", Runtime.getRuntime().availableProcessors());
    f.put("maxHeapMiB", Runtime.getRuntime().maxMemory() >> 20);
    return f;
  }

  /** VmHWM (peak resident set) of this process on Linux, else -1. */
  public static long peakRssKiB() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    } catch (IOException | RuntimeException ignored) {
      // not Linux
    }
    return -1;
  }

  private static <T> Supplier<T> memo(Supplier<T> s) {
    return new Supplier<>() {
      private T value;

      @Override
      public synchronized T get() {
        if (value == null) value = s.get();
        return value;
      }
    };
  }

  private static String quote(String s) {
    try {
      return JSON.writeValueAsString(s);
    } catch (JsonProcessingException e) {
      return "\"\"";
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 500 ? s : s.substring(0, 497) + "...";
  }
}
