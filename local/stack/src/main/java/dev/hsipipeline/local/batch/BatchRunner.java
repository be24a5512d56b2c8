package dev.hsipipeline.local.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hsipipeline.local.batch.internal.AttemptProcess;
import dev.hsipipeline.local.batch.internal.JobRecord;
import dev.hsipipeline.local.batch.internal.JobRecordStore;
import dev.hsipipeline.local.batch.internal.JobSpec;
import dev.hsipipeline.local.batch.internal.SubmitJobParser;
import dev.hsipipeline.local.batch.internal.VcpuBudget;
import dev.hsipipeline.local.sfn.asl.TaskFailedException;
import dev.hsipipeline.local.sfn.asl.TaskInvocation;
import dev.hsipipeline.local.sfn.asl.TaskInvoker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 *
 * <p>The parts: {@link SubmitJobParser} turns the request into an immutable {@link JobSpec}, {@link
 * JobRecordStore} keeps the files, {@link AttemptProcess} runs one attempt; this class is the retry
 * loop between them.
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

  /** AWS's statusReason for a job whose container overrides ECS refuses (see {@link JobSpec}). */
  public static final String CONTAINER_OVERRIDES_TOO_LONG =
      "ClientException: Container Overrides length must be at most 8192";

  private static final Logger LOG = LoggerFactory.getLogger(BatchRunner.class);
  private static final String TERMINATED_BY_SFN =
      "Terminated by Step Functions: the execution was stopped or the state timed out";

  private final BatchSettings settings;
  private final Map<String, JobDefinition> definitions;
  private final SubmitJobParser parser;
  private final JobRecordStore store;
  private final VcpuBudget budget;
  private final Map<String, RunningJob> active = new ConcurrentHashMap<>();
  private final List<JobListener> listeners = new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  /**
   * Creates the folders and ends the jobs a killed stack left unfinished.
   *
   * @param definitions the job definitions by name (see {@link JobDefinition#loadAll})
   */
  public BatchRunner(BatchSettings settings, Map<String, JobDefinition> definitions) {
    this.settings = settings;
    this.definitions = Map.copyOf(definitions);
    this.parser =
        new SubmitJobParser(definitions, settings.baseEnvironment(), settings.roleEnvironment());
    this.budget = new VcpuBudget(settings.vcpuBudget());
    this.store = new JobRecordStore(settings.dataDir());
    store.endStaleJobs();
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
    return JobRecordStore.recordFile(dataDir, jobId);
  }

  /** The log file of one attempt (1-based). */
  public static Path logFile(Path dataDir, String jobId, int attempt) {
    return JobRecordStore.logFile(dataDir, jobId, attempt);
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
    RunningJob job = submit(parser.parse(invocation.parameters(), invocation.executionArn()));
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
      ObjectNode r = JsonNodeFactory.instance.objectNode();
      r.put("JobArn", job.record.jobArn());
      r.put("JobId", job.id);
      r.put("JobName", job.record.jobName());
      return r;
    }
    ObjectNode finalRecord = job.run();
    ObjectNode result = pascal(finalRecord);
    if (!"SUCCEEDED".equals(finalRecord.path("status").asText())) {
      throw new TaskFailedException("States.TaskFailed", result.toString());
    }
    return result;
  }

  private RunningJob submit(JobSpec spec) {
    String jobId = UUID.randomUUID().toString();
    String arn =
        "arn:aws:batch:" + settings.region() + ":" + settings.accountId() + ":job/" + jobId;
    RunningJob job = new RunningJob(spec, JobRecord.submitted(spec, jobId, arn, store));
    job.changeStatus("SUBMITTED", null);
    return job;
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

  /**
   * One job from SUBMITTED to SUCCEEDED/FAILED: the retry loop. Its process and termination reason
   * are guarded by the object's lock; the record has its own.
   */
  private final class RunningJob {
    final String id;
    final JobSpec spec;
    final JobRecord record;
    private AttemptProcess process;
    private volatile Thread thread;
    private volatile String terminateReason;

    RunningJob(JobSpec spec, JobRecord record) {
      this.id = record.jobId();
      this.spec = spec;
      this.record = record;
    }

    /** Runs every attempt; returns the final record. */
    ObjectNode run() throws InterruptedException {
      thread = Thread.currentThread();
      active.put(id, this);
      JobDefinition def = spec.definition();
      try {
        if (!Files.isRegularFile(def.jar())) {
          // Like an image that cannot be pulled: the job fails without an attempt.
          changeStatus(
              "FAILED",
              "CannotPullContainerError: "
                  + def.jar()
                  + " does not exist — build the jobs with ./pipeline build");
          return record.snapshot();
        }
        if (spec.containerOverridesLength() > JobSpec.MAX_CONTAINER_OVERRIDES_LENGTH) {
          // ECS refuses the task: the job fails without an attempt, after SubmitJob succeeded.
          changeStatus("FAILED", CONTAINER_OVERRIDES_TOO_LONG);
          return record.snapshot();
        }
        for (int attempt = 1; ; attempt++) {
          changeStatus("RUNNABLE", null);
          Attempt a = runAttempt(attempt);
          if (a.exitCode != null && a.exitCode == 0 && a.statusReason.equals(EXITED)) {
            // AWS may omit statusReason on a SUCCEEDED job; so does the local runner, so that a
            // state machine whose ResultSelector needs it fails here as it would on AWS.
            changeStatus("SUCCEEDED", null);
            return record.snapshot();
          }
          boolean retryable =
              terminateReason == null
                  && attempt < spec.retry().attempts()
                  && spec.retry().shouldRetry(a.exitCode, a.reason, a.statusReason);
          if (!retryable) {
            changeStatus("FAILED", a.statusReason);
            return record.snapshot();
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
          terminateReason = TERMINATED_BY_SFN;
        }
        String status = record.status();
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
      int held = budget.acquire(spec.vcpus());
      String logStream = spec.definition().name() + "/default/" + id + "/" + attempt;
      long started = 0;
      Integer exitCode = null;
      String statusReason;
      String reason = null;
      try {
        if (terminateReason != null) {
          throw new InterruptedException(terminateReason);
        }
        changeStatus("STARTING", null);
        Map<String, String> env = new LinkedHashMap<>(spec.environment());
        env.put("AWS_BATCH_JOB_ID", id);
        env.put("AWS_BATCH_JOB_ATTEMPT", Integer.toString(attempt));
        env.put("AWS_BATCH_JQ_NAME", spec.jobQueueName());
        env.put("AWS_BATCH_CE_NAME", "local");
        AttemptProcess p;
        synchronized (this) {
          if (terminateReason != null) {
            throw new InterruptedException(terminateReason);
          }
          p =
              AttemptProcess.start(
                  AttemptProcess.javaCommandLine(settings, spec),
                  env,
                  store.workDir(id, attempt),
                  store.logFile(id, attempt),
                  id,
                  settings.killGraceMillis());
          process = p;
        }
        started = System.currentTimeMillis();
        attemptRunning(started, logStream);
        boolean ended;
        try {
          ended = p.waitFor(spec.timeoutSeconds());
        } catch (InterruptedException e) {
          p.kill();
          if (terminateReason == null) {
            terminateReason = TERMINATED_BY_SFN;
          }
          p.joinLog(2000);
          record.finishAttempt(started, p.exitValue(), null, terminateReason, logStream);
          throw e;
        }
        if (!ended) {
          p.kill();
        }
        p.joinLog(5000);
        exitCode = p.exitValue();
        statusReason = terminateReason != null ? terminateReason : ended ? EXITED : TIMED_OUT;
      } catch (IOException e) {
        statusReason = "CannotStartContainerError: " + e.getMessage();
        reason = e.getMessage();
      } finally {
        budget.release(held);
      }
      record.finishAttempt(started, exitCode, reason, statusReason, logStream);
      return new Attempt(exitCode, reason, statusReason);
    }

    void terminate(String reason) {
      AttemptProcess p;
      synchronized (this) {
        if (terminateReason == null) {
          terminateReason = reason;
        }
        p = process;
      }
      if (p != null && p.isAlive()) {
        Thread.ofVirtual().start(p::kill);
      } else if (thread != null) {
        thread.interrupt(); // still RUNNABLE (waiting for vCPUs)
      }
    }

    void changeStatus(String status, String statusReason) {
      ObjectNode copy = record.changeStatus(status, statusReason);
      if (status.equals("SUCCEEDED") || status.equals("FAILED") || status.equals("RUNNING")) {
        LOG.info(
            "job {} {} {}{}",
            spec.definition().name(),
            id,
            status,
            statusReason != null && !status.equals("SUCCEEDED") ? " (" + statusReason + ")" : "");
      }
      notifyListeners(copy);
    }

    private void attemptRunning(long startedAt, String logStream) {
      ObjectNode copy = record.attemptRunning(startedAt, logStream);
      LOG.info(
          "job {} {} RUNNING (attempt {})",
          spec.definition().name(),
          id,
          logStream.substring(logStream.lastIndexOf('/') + 1));
      notifyListeners(copy);
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
  }

  /**
   * The job as Step Functions returns it from {@code submitJob.sync}: DescribeJobs' job with
   * PascalCase keys, user-chosen keys (parameters, tags) left as they are.
   */
  public static ObjectNode pascal(JsonNode camel) {
    return JobRecord.stepFunctionsShape(camel);
  }
}
