package dev.hsipipeline.local.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hsipipeline.local.batch.internal.RetryPolicy;
import dev.hsipipeline.local.batch.internal.VcpuBudget;
import dev.hsipipeline.local.sfn.asl.TaskFailedException;
import dev.hsipipeline.local.sfn.asl.TaskInvocation;
import dev.hsipipeline.local.sfn.asl.TaskInvoker;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local AWS Batch: runs {@code arn:aws:states:::batch:submitJob.sync} (and {@code
 * batch:submitJob}) Task states as child JVMs, one per attempt, the way a compute environment runs
 * containers — own process, environment, working directory and log stream.
 *
 * <p>It honours the job definition's (or the request's) {@code retryStrategy} with {@code
 * evaluateOnExit}, {@code timeout.attemptDurationSeconds}, and a vCPU budget that keeps jobs
 * RUNNABLE while it is spent. Every status change is written to {@code
 * <dataDir>/batch/jobs/<jobId>.json} in DescribeJobs shape; each attempt's stdout+stderr goes to
 * {@code <dataDir>/batch/logs/<jobId>/<attempt>.log}. Results and failures have Step Functions'
 * shape: the DescribeJobs job with PascalCase keys, or {@code States.TaskFailed} with that JSON as
 * cause. Interrupting the calling thread (StopExecution, state timeout) terminates the job.
 */
public final class BatchRunner implements TaskInvoker, AutoCloseable {

  /** The synchronous integration: waits for the job to end. */
  public static final String SUBMIT_JOB_SYNC = "arn:aws:states:::batch:submitJob.sync";

  /** Fire and forget: returns the SubmitJob response. */
  public static final String SUBMIT_JOB = "arn:aws:states:::batch:submitJob";

  /** AWS's statusReason for a container that exited by itself. */
  public static final String EXITED = "Essential container in task exited";

  /** AWS's statusReason for an attempt killed by its timeout. */
  public static final String TIMED_OUT = "Job attempt duration exceeded timeout";

  private static final Logger LOG = LoggerFactory.getLogger(BatchRunner.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NF = JsonNodeFactory.instance;
  private static final Set<String> USER_KEYED = Set.of("parameters", "tags");

  private final BatchSettings settings;
  private final Map<String, JobDefinition> definitions;
  private final VcpuBudget budget;
  private final Path jobsDir;
  private final Path logsDir;
  private final Path workDir;
  private final Map<String, RunningJob> active = new ConcurrentHashMap<>();
  private final List<JobListener> listeners = new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  /**
   * @param definitions the job definitions by name (see {@link JobDefinition#loadAll})
   */
  public BatchRunner(BatchSettings settings, Map<String, JobDefinition> definitions) {
    this.settings = settings;
    this.definitions = Map.copyOf(definitions);
    this.budget = new VcpuBudget(settings.vcpuBudget());
    Path batch = settings.dataDir().resolve("batch");
    this.jobsDir = batch.resolve("jobs");
    this.logsDir = batch.resolve("logs");
    this.workDir = batch.resolve("work");
    try {
      Files.createDirectories(jobsDir);
      Files.createDirectories(logsDir);
      Files.createDirectories(workDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create Batch folders under " + batch, e);
    }
    endStaleJobs();
  }

  /**
   * Jobs a previous run of the stack left unfinished (it was killed): their processes, if still
   * alive, are killed — the Step Functions executions that waited for them resume and submit new
   * jobs — and their records end FAILED with the reason, so nothing stays RUNNING forever.
   */
  private void endStaleJobs() {
    List<Path> files;
    try (var list = Files.list(jobsDir)) {
      files = list.filter(f -> f.getFileName().toString().endsWith(".json")).toList();
    } catch (IOException e) {
      LOG.warn("cannot list job records in {}: {}", jobsDir, e.toString());
      return;
    }
    int ended = 0;
    for (Path f : files) {
      try {
        ObjectNode rec = (ObjectNode) JSON.readTree(f.toFile());
        String status = rec.path("status").asText();
        if (status.equals("SUCCEEDED") || status.equals("FAILED")) {
          continue;
        }
        String id = rec.path("jobId").asText();
        int killed = killLeftoverProcesses(workDir.resolve(id));
        rec.put("status", "FAILED");
        rec.put(
            "statusReason",
            "The local stack stopped while this job was "
                + status
                + (killed > 0
                    ? "; its leftover process was killed when the stack started again"
                    : ""));
        rec.put("stoppedAt", System.currentTimeMillis());
        Path tmp = jobsDir.resolve("." + id + ".json.tmp");
        Files.write(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(rec));
        Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        ended++;
      } catch (IOException | RuntimeException e) {
        LOG.warn("cannot read or end stale job record {}: {}", f, e.toString());
      }
    }
    if (ended > 0) {
      LOG.warn("{} job(s) were unfinished when the local stack last stopped; marked FAILED", ended);
    }
  }

  /** Kills attempt processes recorded in {@code <work>/<attempt>/.pid} that are still alive. */
  private static int killLeftoverProcesses(Path jobWork) {
    if (!Files.isDirectory(jobWork)) {
      return 0;
    }
    int killed = 0;
    try (var attempts = Files.list(jobWork)) {
      for (Path pidFile :
          attempts.map(a -> a.resolve(".pid")).filter(Files::isRegularFile).toList()) {
        String[] parts = Files.readString(pidFile).trim().split(" ");
        long pid = Long.parseLong(parts[0]);
        long startedMillis = Long.parseLong(parts[1]);
        // The start time guards against a reused pid: only our own job process is killed.
        var handle =
            ProcessHandle.of(pid)
                .filter(
                    h ->
                        h.info()
                            .startInstant()
                            .map(t -> t.toEpochMilli() == startedMillis)
                            .orElse(false));
        if (handle.isPresent()) {
          handle.get().descendants().forEach(ProcessHandle::destroyForcibly);
          handle.get().destroyForcibly();
          killed++;
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("cannot check leftover job processes in {}: {}", jobWork, e.toString());
    }
    return killed;
  }

  /** Listens to every job status change. */
  public void addListener(JobListener listener) {
    listeners.add(listener);
  }

  /** The job definitions this runner knows, by name. */
  public Map<String, JobDefinition> definitions() {
    return definitions;
  }

  /** vCPUs not held by running jobs right now. */
  public double availableVcpus() {
    return budget.available();
  }

  /** The job record file for a job id. */
  public static Path jobRecordFile(Path dataDir, String jobId) {
    return dataDir.resolve("batch").resolve("jobs").resolve(jobId + ".json");
  }

  /** The log file of one attempt (1-based). */
  public static Path logFile(Path dataDir, String jobId, int attempt) {
    return dataDir.resolve("batch").resolve("logs").resolve(jobId).resolve(attempt + ".log");
  }

  @Override
  public JsonNode invoke(TaskInvocation invocation)
      throws TaskFailedException, InterruptedException {
    boolean sync;
    if (SUBMIT_JOB_SYNC.equals(invocation.resource())) {
      sync = true;
    } else if (SUBMIT_JOB.equals(invocation.resource())) {
      sync = false;
    } else {
      throw new TaskFailedException(
          "States.Runtime",
          "The local stack cannot run Task resource '"
              + invocation.resource()
              + "'; it supports "
              + SUBMIT_JOB_SYNC
              + " and "
              + SUBMIT_JOB);
    }
    if (closed) {
      throw new TaskFailedException("Batch.ServerException", "the local Batch runner is shut down");
    }
    RunningJob job = submit(invocation.parameters(), invocation.executionArn());
    if (!sync) {
      Thread.ofVirtual()
          .name("batch-job-" + job.id)
          .start(
              () -> {
                try {
                  job.run();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      ObjectNode r = NF.objectNode();
      r.put("JobArn", job.record.path("jobArn").asText());
      r.put("JobId", job.id);
      r.put("JobName", job.record.path("jobName").asText());
      return r;
    }
    ObjectNode finalRecord = job.run();
    ObjectNode result = pascal(finalRecord);
    if (!"SUCCEEDED".equals(finalRecord.path("status").asText())) {
      throw new TaskFailedException("States.TaskFailed", result.toString());
    }
    return result;
  }

  /**
   * Validates a SubmitJob request (PascalCase, as Step Functions passes it) into a SUBMITTED job.
   */
  private RunningJob submit(JsonNode req, String executionArn) throws TaskFailedException {
    if (req == null || !req.isObject()) {
      throw clientError("SubmitJob parameters must be an object");
    }
    String jobName = req.path("JobName").asText("");
    if (!jobName.matches("[A-Za-z0-9][A-Za-z0-9_-]{0,127}")) {
      throw clientError(
          "JobName must be 1-128 letters, digits, '-' or '_' starting with a letter or digit, got '"
              + jobName
              + "'");
    }
    String jobQueue = req.path("JobQueue").asText("");
    if (jobQueue.isEmpty()) {
      throw clientError("JobQueue is required");
    }
    JobDefinition def = resolveDefinition(req.path("JobDefinition").asText(""));
    if (req.has("ArrayProperties") || req.has("DependsOn") || req.has("NodeOverrides")) {
      throw clientError(
          "array jobs, dependencies and multi-node jobs are not supported by the local Batch runner");
    }

    // Parameters: request values over definition defaults; all strings, as Batch requires.
    Map<String, String> params = new LinkedHashMap<>();
    def.json()
        .path("parameters")
        .properties()
        .forEach(e -> params.put(e.getKey(), e.getValue().asText()));
    JsonNode reqParams = req.path("Parameters");
    if (!reqParams.isMissingNode() && !reqParams.isNull()) {
      if (!reqParams.isObject()) {
        throw clientError("Parameters must be an object of strings");
      }
      for (Map.Entry<String, JsonNode> e : reqParams.properties()) {
        if (!e.getValue().isTextual()) {
          throw clientError(
              "Parameters." + e.getKey() + " must be a string, got " + e.getValue().getNodeType());
        }
        params.put(e.getKey(), e.getValue().asText());
      }
    }

    JsonNode overrides = req.path("ContainerOverrides");
    JsonNode commandNode =
        overrides.has("Command")
            ? overrides.path("Command")
            : def.json().path("containerProperties").path("command");
    List<String> command = new ArrayList<>();
    for (JsonNode a : commandNode) {
      String arg = a.asText();
      if (arg.startsWith("Ref::") && params.containsKey(arg.substring(5))) {
        arg = params.get(arg.substring(5));
      }
      command.add(arg);
    }

    double vcpus = def.vcpus();
    int memory = def.memoryMib();
    try {
      vcpus = JobDefinition.resource(overrides.path("ResourceRequirements"), "VCPU", vcpus);
      memory =
          (int) JobDefinition.resource(overrides.path("ResourceRequirements"), "MEMORY", memory);
    } catch (IllegalArgumentException e) {
      throw clientError("ContainerOverrides." + e.getMessage());
    }
    if (vcpus <= 0 || memory < 4) {
      throw clientError("VCPU must be > 0 and MEMORY >= 4 MiB, got " + vcpus + " / " + memory);
    }

    // Environment: definition, then overrides; AWS_BATCH_* are the runner's (reserved on AWS).
    Map<String, String> env = new LinkedHashMap<>(settings.baseEnvironment());
    for (JsonNode e : def.json().path("containerProperties").path("environment")) {
      env.put(e.path("name").asText(), e.path("value").asText());
    }
    for (JsonNode e : overrides.path("Environment")) {
      String name = e.path("Name").asText("");
      if (name.isEmpty() || name.startsWith("AWS_BATCH")) {
        throw clientError(
            "ContainerOverrides.Environment names must be non-empty and not start with AWS_BATCH, got '"
                + name
                + "'");
      }
      env.put(name, e.path("Value").asText());
    }

    RetryPolicy retry;
    try {
      retry =
          req.has("RetryStrategy")
              ? RetryPolicy.parse(req.path("RetryStrategy"))
              : RetryPolicy.parse(def.json().path("retryStrategy"));
    } catch (IllegalArgumentException e) {
      throw clientError(e.getMessage());
    }
    long timeoutSeconds =
        req.path("Timeout")
            .path("AttemptDurationSeconds")
            .asLong(def.json().path("timeout").path("attemptDurationSeconds").asLong(0));
    if (timeoutSeconds < 0) {
      throw clientError("Timeout.AttemptDurationSeconds must be positive, got " + timeoutSeconds);
    }

    String jobId = UUID.randomUUID().toString();
    ObjectNode rec = NF.objectNode();
    rec.put(
        "jobArn",
        "arn:aws:batch:" + settings.region() + ":" + settings.accountId() + ":job/" + jobId);
    rec.put("jobName", jobName);
    rec.put("jobId", jobId);
    rec.put("jobQueue", jobQueue);
    rec.put("status", "SUBMITTED");
    rec.putArray("attempts");
    rec.put("createdAt", System.currentTimeMillis());
    rec.putArray("dependsOn");
    rec.put("jobDefinition", def.arn());
    ObjectNode p = rec.putObject("parameters");
    params.forEach(p::put);
    ObjectNode container = rec.putObject("container");
    container.put("image", "local:" + def.jar());
    ArrayNode cmd = container.putArray("command");
    command.forEach(cmd::add);
    ArrayNode rr = container.putArray("resourceRequirements");
    rr.addObject().put("type", "VCPU").put("value", trimNumber(vcpus));
    rr.addObject().put("type", "MEMORY").put("value", Integer.toString(memory));
    ArrayNode envArray = container.putArray("environment");
    env.forEach((k, v) -> envArray.addObject().put("name", k).put("value", v));
    ObjectNode rs = rec.putObject("retryStrategy");
    rs.put("attempts", retry.attempts());
    if (timeoutSeconds > 0) {
      rec.putObject("timeout").put("attemptDurationSeconds", timeoutSeconds);
    }
    rec.putObject("tags");
    rec.putArray("platformCapabilities").add("EC2");
    if (executionArn != null) {
      rec.put(
          "executionArn", executionArn); // local addition: lets the console link job ↔ execution
    }
    RunningJob job =
        new RunningJob(jobId, rec, def, command, env, vcpus, memory, retry, timeoutSeconds);
    job.changeStatus("SUBMITTED", null);
    return job;
  }

  private JobDefinition resolveDefinition(String ref) throws TaskFailedException {
    if (ref.isEmpty()) {
      throw clientError("JobDefinition is required");
    }
    String nameRev =
        ref.startsWith("arn:")
            ? ref.substring(ref.indexOf("job-definition/") + "job-definition/".length())
            : ref;
    if (ref.startsWith("arn:") && !ref.contains("job-definition/")) {
      throw clientError("JobDefinition '" + ref + "' is not a job definition ARN");
    }
    String name = nameRev.contains(":") ? nameRev.substring(0, nameRev.indexOf(':')) : nameRev;
    JobDefinition def = definitions.get(name);
    if (def == null) {
      throw clientError(
          "JobDefinition "
              + ref
              + " does not exist; the local stack knows "
              + definitions.keySet());
    }
    if (nameRev.contains(":")
        && !nameRev.substring(nameRev.indexOf(':') + 1).equals(Integer.toString(def.revision()))) {
      throw clientError(
          "JobDefinition "
              + ref
              + " does not exist; the local revision of "
              + name
              + " is "
              + def.revision());
    }
    return def;
  }

  private static TaskFailedException clientError(String message) {
    return new TaskFailedException("Batch.ClientException", message);
  }

  /**
   * Stops accepting jobs and terminates every running job process (their records end FAILED with
   * "Local stack stopped").
   */
  @Override
  public void close() {
    closed = true;
    for (RunningJob job : active.values()) {
      job.terminate("Local stack stopped");
    }
    long deadline =
        System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.killGraceMillis() + 2000);
    while (!active.isEmpty() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** One job from SUBMITTED to SUCCEEDED/FAILED. Its record is guarded by the object's lock. */
  private final class RunningJob {
    final String id;
    final ObjectNode record;
    final JobDefinition def;
    final List<String> command;
    final Map<String, String> env;
    final double vcpus;
    final int memoryMib;
    final RetryPolicy retry;
    final long timeoutSeconds;
    private Process process;
    private volatile Thread thread;
    private volatile String terminateReason;

    RunningJob(
        String id,
        ObjectNode record,
        JobDefinition def,
        List<String> command,
        Map<String, String> env,
        double vcpus,
        int memoryMib,
        RetryPolicy retry,
        long timeoutSeconds) {
      this.id = id;
      this.record = record;
      this.def = def;
      this.command = command;
      this.env = env;
      this.vcpus = vcpus;
      this.memoryMib = memoryMib;
      this.retry = retry;
      this.timeoutSeconds = timeoutSeconds;
    }

    /** Runs every attempt; returns the final record. */
    ObjectNode run() throws InterruptedException {
      thread = Thread.currentThread();
      active.put(id, this);
      try {
        if (!Files.isRegularFile(def.jar())) {
          // Like an image that cannot be pulled: the job fails without an attempt.
          changeStatus(
              "FAILED",
              "CannotPullContainerError: "
                  + def.jar()
                  + " does not exist — build the jobs with ./pipeline build");
          return snapshot();
        }
        for (int attempt = 1; ; attempt++) {
          changeStatus("RUNNABLE", null);
          Attempt a = runAttempt(attempt);
          if (a.exitCode != null && a.exitCode == 0 && a.statusReason.equals(EXITED)) {
            changeStatus("SUCCEEDED", EXITED);
            return snapshot();
          }
          boolean retryable =
              terminateReason == null
                  && attempt < retry.attempts()
                  && retry.shouldRetry(a.exitCode, a.reason, a.statusReason);
          if (!retryable) {
            changeStatus("FAILED", a.statusReason);
            return snapshot();
          }
          LOG.info(
              "job {} ({}) attempt {} failed ({}{}), retrying",
              def.name(),
              id,
              attempt,
              a.statusReason,
              a.exitCode == null ? "" : ", exit code " + a.exitCode);
        }
      } catch (InterruptedException e) {
        if (terminateReason == null) {
          terminateReason =
              "Terminated by Step Functions: the execution was stopped or the state timed out";
        }
        String status;
        synchronized (this) {
          status = record.path("status").asText();
        }
        if (!status.equals("SUCCEEDED") && !status.equals("FAILED")) {
          changeStatus("FAILED", terminateReason);
        }
        throw e;
      } finally {
        active.remove(id);
      }
    }

    private record Attempt(Integer exitCode, String reason, String statusReason) {}

    private Attempt runAttempt(int attempt) throws InterruptedException {
      int held = budget.acquire(vcpus);
      Path log = logFile(settings.dataDir(), id, attempt);
      String logStream = def.name() + "/default/" + id + "/" + attempt;
      long started = 0;
      Integer exitCode = null;
      String statusReason;
      String reason = null;
      try {
        if (terminateReason != null) {
          throw new InterruptedException(terminateReason);
        }
        changeStatus("STARTING", null);
        Path work = workDir.resolve(id).resolve(Integer.toString(attempt));
        Files.createDirectories(work);
        Files.createDirectories(log.getParent());
        Map<String, String> attemptEnv = new LinkedHashMap<>(env);
        attemptEnv.put("AWS_BATCH_JOB_ID", id);
        attemptEnv.put("AWS_BATCH_JOB_ATTEMPT", Integer.toString(attempt));
        attemptEnv.put("AWS_BATCH_JQ_NAME", queueName(record.path("jobQueue").asText()));
        attemptEnv.put("AWS_BATCH_CE_NAME", "local");
        ProcessBuilder pb =
            new ProcessBuilder(javaCommandLine())
                .directory(work.toFile())
                .redirectErrorStream(true);
        Map<String, String> penv = pb.environment();
        // A container starts from a clean environment; keep only what a JVM needs to run here.
        Map<String, String> keep = new LinkedHashMap<>();
        for (String k : List.of("PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR")) {
          if (penv.containsKey(k)) {
            keep.put(k, penv.get(k));
          }
        }
        penv.clear();
        penv.putAll(keep);
        penv.putAll(attemptEnv);
        Process p;
        synchronized (this) {
          if (terminateReason != null) {
            throw new InterruptedException(terminateReason);
          }
          p = pb.start();
          process = p;
        }
        recordPid(p, work);
        started = System.currentTimeMillis();
        changeAttemptRunning(started, logStream);
        Thread pump = Thread.ofVirtual().name("batch-log-" + id).start(() -> pump(p, log));
        boolean ended;
        try {
          ended = timeoutSeconds > 0 ? p.waitFor(timeoutSeconds, TimeUnit.SECONDS) : waitForever(p);
        } catch (InterruptedException e) {
          kill(p);
          if (terminateReason == null) {
            terminateReason =
                "Terminated by Step Functions: the execution was stopped or the state timed out";
          }
          pump.join(2000);
          finishAttempt(started, exitValue(p), null, terminateReason, logStream);
          throw e;
        }
        if (!ended) {
          kill(p);
        }
        pump.join(5000);
        exitCode = exitValue(p);
        statusReason = terminateReason != null ? terminateReason : ended ? EXITED : TIMED_OUT;
      } catch (IOException e) {
        statusReason = "CannotStartContainerError: " + e.getMessage();
        reason = e.getMessage();
      } finally {
        budget.release(held);
      }
      finishAttempt(started, exitCode, reason, statusReason, logStream);
      return new Attempt(exitCode, reason, statusReason);
    }

    /** So that a restarted stack can kill this process if the stack dies before it does. */
    private static void recordPid(Process p, Path work) {
      try {
        long startedMillis =
            p.info().startInstant().map(java.time.Instant::toEpochMilli).orElse(-1L);
        Files.writeString(work.resolve(".pid"), p.pid() + " " + startedMillis);
      } catch (IOException | RuntimeException e) {
        LOG.warn("cannot record the pid of job process {}: {}", p.pid(), e.toString());
      }
    }

    private static boolean waitForever(Process p) throws InterruptedException {
      p.waitFor();
      return true;
    }

    private List<String> javaCommandLine() {
      List<String> cmd = new ArrayList<>();
      cmd.add(settings.javaCommand());
      // The container's limits, as the JVM would see them inside a container.
      cmd.add("-XX:MaxRAM=" + memoryMib + "m");
      cmd.add("-XX:ActiveProcessorCount=" + Math.max(1, (int) Math.ceil(vcpus)));
      if (settings.sharedArchives()) {
        Path cds = settings.dataDir().resolve("batch").resolve("cds").resolve(def.name() + ".jsa");
        try {
          Files.createDirectories(cds.getParent());
          cmd.add("-XX:+AutoCreateSharedArchive");
          cmd.add("-XX:SharedArchiveFile=" + cds);
          cmd.add("-Xlog:cds=off");
          cmd.add("-Xlog:cds+dynamic=off");
        } catch (IOException e) {
          LOG.debug("no CDS archive folder: {}", e.toString());
        }
      }
      cmd.add("-jar");
      cmd.add(def.jar().toString());
      cmd.addAll(command);
      return cmd;
    }

    private void pump(Process p, Path log) {
      try (BufferedReader in =
              new BufferedReader(
                  new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
          BufferedWriter out = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
        String line;
        while ((line = in.readLine()) != null) {
          out.write(line);
          out.newLine();
          out.flush(); // readers (console, CLI) tail the file while the job runs
        }
      } catch (IOException e) {
        LOG.debug("log capture of job {} ended: {}", id, e.toString());
      }
    }

    private Integer exitValue(Process p) {
      try {
        if (!p.waitFor(settings.killGraceMillis() + 2000, TimeUnit.MILLISECONDS)) {
          return null;
        }
        return p.exitValue();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return p.isAlive() ? null : p.exitValue();
      }
    }

    /** SIGTERM to the process tree, SIGKILL after the grace period (docker stop semantics). */
    private void kill(Process p) {
      boolean interrupted = Thread.interrupted();
      try {
        p.descendants().forEach(ProcessHandle::destroy);
        p.destroy();
        if (!p.waitFor(settings.killGraceMillis(), TimeUnit.MILLISECONDS)) {
          p.descendants().forEach(ProcessHandle::destroyForcibly);
          p.destroyForcibly();
          p.waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        interrupted = true;
      } finally {
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
    }

    void terminate(String reason) {
      Process p;
      synchronized (this) {
        if (terminateReason == null) {
          terminateReason = reason;
        }
        p = process;
      }
      if (p != null && p.isAlive()) {
        Thread.ofVirtual().start(() -> kill(p));
      } else if (thread != null) {
        thread.interrupt(); // still RUNNABLE (waiting for vCPUs)
      }
    }

    synchronized ObjectNode snapshot() {
      return record.deepCopy();
    }

    void changeStatus(String status, String statusReason) {
      ObjectNode copy;
      synchronized (this) {
        record.put("status", status);
        if (statusReason != null) {
          record.put("statusReason", statusReason);
        }
        if (status.equals("SUCCEEDED") || status.equals("FAILED")) {
          record.put("stoppedAt", System.currentTimeMillis());
          if (record.has("startedAt") && record.path("attempts").size() > 0) {
            JsonNode last = record.path("attempts").get(record.path("attempts").size() - 1);
            ObjectNode c = (ObjectNode) record.path("container");
            if (last.path("container").has("exitCode")) {
              c.set("exitCode", last.path("container").path("exitCode"));
            }
            if (last.path("container").has("reason")) {
              c.set("reason", last.path("container").path("reason"));
            }
          }
        }
        copy = record.deepCopy();
        persist(copy);
      }
      if (status.equals("SUCCEEDED") || status.equals("FAILED") || status.equals("RUNNING")) {
        LOG.info(
            "job {} {} {}{}",
            def.name(),
            id,
            status,
            statusReason != null && !status.equals("SUCCEEDED") ? " (" + statusReason + ")" : "");
      }
      notifyListeners(copy);
    }

    private void changeAttemptRunning(long startedAt, String logStream) {
      ObjectNode copy;
      synchronized (this) {
        record.put("status", "RUNNING");
        record.put("startedAt", startedAt);
        ((ObjectNode) record.path("container")).put("logStreamName", logStream);
        copy = record.deepCopy();
        persist(copy);
      }
      LOG.info(
          "job {} {} RUNNING (attempt {})",
          def.name(),
          id,
          logStream.substring(logStream.lastIndexOf('/') + 1));
      notifyListeners(copy);
    }

    private void finishAttempt(
        long startedAt, Integer exitCode, String reason, String statusReason, String logStream) {
      synchronized (this) {
        ObjectNode a = ((ArrayNode) record.path("attempts")).addObject();
        ObjectNode c = a.putObject("container");
        if (exitCode != null) {
          c.put("exitCode", exitCode);
        }
        if (reason != null) {
          c.put("reason", reason);
        }
        c.put("logStreamName", logStream);
        c.putArray("networkInterfaces");
        if (startedAt > 0) {
          a.put("startedAt", startedAt);
        }
        a.put("stoppedAt", System.currentTimeMillis());
        a.put("statusReason", statusReason);
      }
    }

    private void notifyListeners(ObjectNode copy) {
      for (JobListener l : listeners) {
        try {
          l.jobChanged(copy);
        } catch (RuntimeException e) {
          LOG.warn("job listener failed: {}", e.toString());
        }
      }
    }

    private void persist(ObjectNode rec) {
      Path file = jobsDir.resolve(id + ".json");
      Path tmp = jobsDir.resolve("." + id + ".json.tmp");
      try {
        Files.write(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(rec));
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        LOG.warn("cannot write job record {}: {}", file, e.toString());
      }
    }
  }

  private static String queueName(String queue) {
    int i = queue.lastIndexOf('/');
    return i >= 0 ? queue.substring(i + 1) : queue;
  }

  private static String trimNumber(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }

  /**
   * The job as Step Functions returns it from {@code submitJob.sync}: DescribeJobs' job with
   * PascalCase keys, user-chosen keys (parameters, tags) left as they are.
   */
  public static ObjectNode pascal(JsonNode camel) {
    return (ObjectNode) pascal(camel, false);
  }

  private static JsonNode pascal(JsonNode n, boolean keepKeys) {
    if (n.isObject()) {
      ObjectNode out = NF.objectNode();
      for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String k = e.getKey();
        String key =
            keepKeys || k.isEmpty() ? k : Character.toUpperCase(k.charAt(0)) + k.substring(1);
        out.set(
            key, keepKeys ? e.getValue().deepCopy() : pascal(e.getValue(), USER_KEYED.contains(k)));
      }
      return out;
    }
    if (n.isArray()) {
      ArrayNode out = NF.arrayNode();
      n.forEach(x -> out.add(pascal(x, false)));
      return out;
    }
    return n.deepCopy();
  }
}
