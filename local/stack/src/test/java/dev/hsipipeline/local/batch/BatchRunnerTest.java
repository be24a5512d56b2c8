package dev.hsipipeline.local.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hsipipeline.local.batch.internal.JobSpec;
import dev.hsipipeline.local.batch.internal.SubmitJobParser;
import dev.hsipipeline.local.sfn.asl.TaskFailedException;
import dev.hsipipeline.local.sfn.asl.TaskInvocation;
import dev.hsipipeline.local.testjobs.TestJobs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchRunnerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String EXEC =
      "arn:aws:states:us-east-1:000000000000:execution:hsi-pipeline:test";

  @TempDir static Path jobsDir;
  @TempDir Path dataDir;
  private static Map<String, JobDefinition> defs;
  private BatchRunner runner;

  @BeforeAll
  static void jobs() throws Exception {
    TestJobs.create(jobsDir, "quick", TestJobs.definition("quick", 1, 3, 0));
    TestJobs.create(jobsDir, "slow", TestJobs.definition("slow", 1, 2, 1));
    TestJobs.create(jobsDir, "wide", TestJobs.definition("wide", 2, 1, 0));
    Files.createDirectories(jobsDir.resolve("unbuilt"));
    Files.writeString(
        jobsDir.resolve("unbuilt/job-definition.json"), TestJobs.definition("unbuilt", 1, 1, 0));
    defs =
        JobDefinition.loadAll(
            jobsDir, Map.of("data_bucket", "hsi-data"), "us-east-1", "000000000000");
  }

  private BatchRunner runner(double vcpus) {
    runner =
        new BatchRunner(
            new BatchSettings(
                dataDir,
                "us-east-1",
                "000000000000",
                vcpus,
                Map.of("AWS_REGION", "us-east-1"),
                BatchSettings.currentJava(),
                2000,
                false),
            defs);
    return runner;
  }

  @AfterEach
  void close() {
    if (runner != null) {
      runner.close();
    }
  }

  private static TaskInvocation submit(String job, String event, String resource) {
    ObjectNode p = JSON.createObjectNode();
    p.put("JobName", job + "-run");
    p.put("JobQueue", "arn:aws:batch:us-east-1:000000000000:job-queue/local");
    p.put("JobDefinition", "arn:aws:batch:us-east-1:000000000000:job-definition/" + job + ":1");
    p.putObject("Parameters").put("event", event);
    ObjectNode env = p.putObject("ContainerOverrides").putArray("Environment").addObject();
    env.put("Name", "PIPELINE_EXECUTION_ARN").put("Value", EXEC);
    return new TaskInvocation(resource, p, "TestState", EXEC, 1, 0, 0);
  }

  private static TaskInvocation submitSync(String job, String event) {
    return submit(job, event, BatchRunner.SUBMIT_JOB_SYNC);
  }

  private JsonNode record(String jobId) throws Exception {
    return JSON.readTree(BatchRunner.jobRecordFile(dataDir, jobId).toFile());
  }

  @Test
  void succeedsWithStepFunctionsShapedResultRecordAndLog() throws Exception {
    JsonNode r = runner(2).invoke(submitSync("quick", "{\"hello\":1}"));
    assertEquals("SUCCEEDED", r.path("Status").asText());
    // AWS may omit a SUCCEEDED job's StatusReason: the local runner does, so a ResultSelector
    // that needs it fails locally too (SucceededJobWithoutStatusReasonTest).
    assertFalse(r.has("StatusReason"), r.toString());
    assertEquals(BatchRunner.EXITED, r.path("Attempts").get(0).path("StatusReason").asText());
    assertEquals("quick-run", r.path("JobName").asText());
    assertEquals(1, r.path("Attempts").size());
    assertEquals(0, r.path("Attempts").get(0).path("Container").path("ExitCode").asInt(-1));
    assertEquals(0, r.path("Container").path("ExitCode").asInt(-1));
    assertTrue(r.path("JobDefinition").asText().endsWith("job-definition/quick:1"));
    // user-chosen parameter names keep their case; request values override definition defaults
    assertEquals("{\"hello\":1}", r.path("Parameters").path("event").asText());
    assertEquals("default-mode", r.path("Parameters").path("mode").asText());
    assertTrue(r.path("CreatedAt").asLong() <= r.path("StartedAt").asLong());
    assertTrue(r.path("StartedAt").asLong() <= r.path("StoppedAt").asLong());

    String jobId = r.path("JobId").asText();
    JsonNode rec = record(jobId);
    assertEquals("SUCCEEDED", rec.path("status").asText());
    assertEquals(
        List.of("{\"hello\":1}", "default-mode", "literal"),
        JSON.convertValue(rec.path("container").path("command"), List.class));
    String log = Files.readString(BatchRunner.logFile(dataDir, jobId, 1));
    assertTrue(log.contains("args={\"hello\":1}|default-mode|literal"), log);
    assertTrue(log.contains("attempt=1 jobId=" + jobId + " queue=local"), log);
    assertTrue(
        log.contains(
            "env.GREETING=from-definition env.DATA_BUCKET=hsi-data env.PIPELINE_EXECUTION_ARN="
                + EXEC),
        log);
    assertTrue(log.contains("stderr line from attempt 1"), log);
  }

  @Test
  void retriesATransientFailureAndSucceeds() throws Exception {
    JsonNode r = runner(2).invoke(submitSync("quick", "{\"faults\":{\"failAttempts\":1}}"));
    assertEquals("SUCCEEDED", r.path("Status").asText());
    assertEquals(2, r.path("Attempts").size());
    assertEquals(1, r.path("Attempts").get(0).path("Container").path("ExitCode").asInt());
    assertEquals(0, r.path("Attempts").get(1).path("Container").path("ExitCode").asInt());
    String jobId = r.path("JobId").asText();
    assertTrue(
        Files.readString(BatchRunner.logFile(dataDir, jobId, 1))
            .contains("transient failure on attempt 1"));
    assertTrue(Files.readString(BatchRunner.logFile(dataDir, jobId, 2)).contains("attempt=2"));
  }

  @Test
  void exitCodeTwoIsPermanentAndFailsAsStatesTaskFailed() throws Exception {
    TaskFailedException e =
        assertThrows(
            TaskFailedException.class, () -> runner(2).invoke(submitSync("quick", "{\"exit\":2}")));
    assertEquals("States.TaskFailed", e.error());
    JsonNode cause = JSON.readTree(e.cause());
    assertEquals("FAILED", cause.path("Status").asText());
    assertEquals(1, cause.path("Attempts").size(), "evaluateOnExit EXIT on code 2 must not retry");
    assertEquals(2, cause.path("Container").path("ExitCode").asInt());
    assertEquals("FAILED", record(cause.path("JobId").asText()).path("status").asText());
  }

  @Test
  void retriesUpToTheAttemptsLimit() throws Exception {
    TaskFailedException e =
        assertThrows(
            TaskFailedException.class, () -> runner(2).invoke(submitSync("quick", "{\"exit\":3}")));
    assertEquals(3, JSON.readTree(e.cause()).path("Attempts").size());
  }

  @Test
  void killsAnAttemptThatExceedsItsTimeout() throws Exception {
    long t0 = System.nanoTime();
    TaskFailedException e =
        assertThrows(
            TaskFailedException.class,
            () -> runner(2).invoke(submitSync("slow", "{\"sleepMs\":60000}")));
    JsonNode cause = JSON.readTree(e.cause());
    assertEquals(BatchRunner.TIMED_OUT, cause.path("StatusReason").asText());
    assertEquals(
        2, cause.path("Attempts").size(), "a timed-out attempt is retried per retryStrategy");
    assertEquals(
        BatchRunner.TIMED_OUT, cause.path("Attempts").get(0).path("StatusReason").asText());
    assertTrue(
        System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(40),
        "the attempts were killed, not waited for");
  }

  @Test
  void vcpuBudgetKeepsJobsRunnableUntilCapacityIsFree() throws Exception {
    BatchRunner r = runner(2);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger maxRunning = new AtomicInteger();
    Map<String, String> last = new ConcurrentHashMap<>();
    r.addListener(
        job -> {
          String id = job.path("jobId").asText();
          String status = job.path("status").asText();
          String before = last.put(id, status);
          if (status.equals("RUNNING") && !"RUNNING".equals(before)) {
            maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
          } else if ("RUNNING".equals(before) && !status.equals("RUNNING")) {
            running.decrementAndGet();
          }
        });
    // Each "wide" job needs 2 vCPUs: with a budget of 2 they must run one after the other.
    List<CompletableFuture<JsonNode>> jobs =
        List.of(
            CompletableFuture.supplyAsync(
                () -> invokeUnchecked(r, submitSync("wide", "{\"sleepMs\":700}"))),
            CompletableFuture.supplyAsync(
                () -> invokeUnchecked(r, submitSync("wide", "{\"sleepMs\":700}"))),
            CompletableFuture.supplyAsync(
                () -> invokeUnchecked(r, submitSync("wide", "{\"sleepMs\":700}"))));
    for (CompletableFuture<JsonNode> f : jobs) {
      assertEquals("SUCCEEDED", f.get(120, TimeUnit.SECONDS).path("Status").asText());
    }
    assertEquals(1, maxRunning.get(), "never two 2-vCPU jobs at once on a 2-vCPU budget");
    assertEquals(2.0, r.availableVcpus());
  }

  @Test
  void smallJobsRunConcurrentlyWithinTheBudget() throws Exception {
    BatchRunner r = runner(2);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger maxRunning = new AtomicInteger();
    Map<String, String> last = new ConcurrentHashMap<>();
    r.addListener(
        job -> {
          String before = last.put(job.path("jobId").asText(), job.path("status").asText());
          if (job.path("status").asText().equals("RUNNING") && !"RUNNING".equals(before)) {
            maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
          } else if ("RUNNING".equals(before)) {
            running.decrementAndGet();
          }
        });
    var a =
        CompletableFuture.supplyAsync(
            () -> invokeUnchecked(r, submitSync("quick", "{\"sleepMs\":4000}")));
    var b =
        CompletableFuture.supplyAsync(
            () -> invokeUnchecked(r, submitSync("quick", "{\"sleepMs\":4000}")));
    a.get(120, TimeUnit.SECONDS);
    b.get(120, TimeUnit.SECONDS);
    assertEquals(2, maxRunning.get(), "two 1-vCPU jobs fit a 2-vCPU budget together");
  }

  @Test
  void interruptTerminatesTheJobProcess() throws Exception {
    BatchRunner r = runner(2);
    AtomicReference<String> jobId = new AtomicReference<>();
    r.addListener(
        job -> {
          if (job.path("status").asText().equals("RUNNING")) {
            jobId.set(job.path("jobId").asText());
          }
        });
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread t =
        new Thread(
            () -> {
              try {
                r.invoke(submitSync("quick", "{\"sleepMs\":120000}"));
              } catch (Throwable e) {
                thrown.set(e);
              }
            });
    t.start();
    Awaitility.await("the job reaching RUNNING")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> jobId.get() != null);
    t.interrupt();
    t.join(30_000);
    assertFalse(t.isAlive(), "invoke returned after the interrupt");
    assertTrue(
        thrown.get() instanceof InterruptedException,
        "interrupt surfaces as InterruptedException: " + thrown.get());
    JsonNode rec = record(jobId.get());
    assertEquals("FAILED", rec.path("status").asText());
    assertTrue(
        rec.path("statusReason").asText().startsWith("Terminated"),
        rec.path("statusReason").asText());
    assertEquals(1, rec.path("attempts").size(), "a terminated job is not retried");
  }

  @Test
  void aMissingJobJarFailsWithABuildHint() throws Exception {
    TaskFailedException e =
        assertThrows(
            TaskFailedException.class, () -> runner(2).invoke(submitSync("unbuilt", "{}")));
    JsonNode cause = JSON.readTree(e.cause());
    assertTrue(cause.path("StatusReason").asText().contains("./pipeline build"), cause.toString());
    assertEquals(0, cause.path("Attempts").size());
  }

  @Test
  void unknownJobDefinitionIsAClientError() {
    TaskFailedException e =
        assertThrows(TaskFailedException.class, () -> runner(2).invoke(submitSync("nope", "{}")));
    assertEquals("Batch.ClientException", e.error());
    assertTrue(e.cause().contains("nope"), e.cause());
  }

  @Test
  void nonStringParameterIsAClientError() {
    TaskInvocation inv = submitSync("quick", "{}");
    ((ObjectNode) inv.parameters().path("Parameters")).put("event", 5);
    TaskFailedException e = assertThrows(TaskFailedException.class, () -> runner(2).invoke(inv));
    assertEquals("Batch.ClientException", e.error());
    assertTrue(e.cause().contains("Parameters.event"), e.cause());
  }

  @Test
  void submitJobWithoutSyncReturnsTheSubmitResponseAndRunsInTheBackground() throws Exception {
    JsonNode r = runner(2).invoke(submit("quick", "{}", BatchRunner.SUBMIT_JOB));
    assertEquals("quick-run", r.path("JobName").asText());
    String jobId = r.path("JobId").asText();
    assertTrue(r.path("JobArn").asText().endsWith(":job/" + jobId));
    assertFalse(r.has("Status"));
    Awaitility.await("the background job succeeding")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () ->
                Files.exists(BatchRunner.jobRecordFile(dataDir, jobId))
                    && record(jobId).path("status").asText().equals("SUCCEEDED"));
  }

  /** The container overrides ECS would get for the "quick" job with this event. */
  private static int overridesLength(String event) throws TaskFailedException {
    return new SubmitJobParser(defs, Map.of(), Map.of())
        .parse(submitSync("quick", event).parameters(), EXEC)
        .containerOverridesLength();
  }

  @Test
  void containerOverridesOf8192CharactersRunAndOneMoreFailsTheJobAsEcsDoes() throws Exception {
    BatchRunner r = runner(2);
    String fits = "a".repeat(JobSpec.MAX_CONTAINER_OVERRIDES_LENGTH - overridesLength(""));
    assertEquals(JobSpec.MAX_CONTAINER_OVERRIDES_LENGTH, overridesLength(fits));
    assertEquals("SUCCEEDED", r.invoke(submitSync("quick", fits)).path("Status").asText());

    TaskFailedException e =
        assertThrows(TaskFailedException.class, () -> r.invoke(submitSync("quick", fits + "a")));
    assertEquals("States.TaskFailed", e.error(), "SubmitJob succeeded; the job failed");
    JsonNode cause = JSON.readTree(e.cause());
    assertEquals(BatchRunner.CONTAINER_OVERRIDES_TOO_LONG, cause.path("StatusReason").asText());
    assertEquals(0, cause.path("Attempts").size(), "ECS never started a container");
  }

  @Test
  void submitJobRequestsOver30KiBAreRefusedAsAClientError() {
    BatchRunner r = runner(2);
    int base = submitSync("quick", "").parameters().toString().length();
    String fits = "a".repeat(SubmitJobParser.MAX_SUBMIT_JOB_REQUEST_BYTES - base);
    // Within the request limit: submitted (the job then fails on the overrides cap).
    TaskFailedException accepted =
        assertThrows(TaskFailedException.class, () -> r.invoke(submitSync("quick", fits)));
    assertEquals("States.TaskFailed", accepted.error());

    TaskFailedException refused =
        assertThrows(TaskFailedException.class, () -> r.invoke(submitSync("quick", fits + "a")));
    assertEquals("Batch.ClientException", refused.error());
    assertTrue(refused.cause().contains("30 KiB"), refused.cause());
  }

  @Test
  void unsupportedResourceIsARuntimeError() {
    TaskFailedException e =
        assertThrows(
            TaskFailedException.class,
            () -> runner(2).invoke(submit("quick", "{}", "arn:aws:states:::lambda:invoke")));
    assertEquals("States.Runtime", e.error());
  }

  private static JsonNode invokeUnchecked(BatchRunner r, TaskInvocation inv) {
    try {
      return r.invoke(inv);
    } catch (Exception e) {
      throw new RuntimeException(e);
    }
  }

  @Test
  void retryPolicyMatchesGlobsInOrder() throws ExecutionException {
    var p =
        dev.hsipipeline.local.batch.internal.RetryPolicy.parse(
            JSON.valueToTree(
                Map.of(
                    "attempts",
                    3,
                    "evaluateOnExit",
                    List.of(
                        Map.of("onExitCode", "2", "action", "EXIT"),
                        Map.of("onStatusReason", "Host EC2*", "action", "RETRY"),
                        Map.of("onExitCode", "1*", "action", "exit")))));
    assertFalse(p.shouldRetry(2, null, BatchRunner.EXITED));
    assertTrue(p.shouldRetry(137, null, "Host EC2 (instance i-1) terminated."));
    assertFalse(p.shouldRetry(13, null, BatchRunner.EXITED));
    assertTrue(p.shouldRetry(3, null, BatchRunner.EXITED), "no rule matches: retry");
  }

  /**
   * What a kill -9 of the stack leaves behind: an unfinished job record and its attempt's pid file.
   */
  private Path staleJob(String id, String status, String pidLine) throws Exception {
    Path attemptWork = dataDir.resolve("batch/work/" + id + "/1");
    Files.createDirectories(attemptWork);
    Files.writeString(attemptWork.resolve(".pid"), pidLine);
    Path record = BatchRunner.jobRecordFile(dataDir, id);
    Files.createDirectories(record.getParent());
    Files.writeString(record, "{\"jobId\":\"" + id + "\",\"status\":\"" + status + "\"}");
    return record;
  }

  @Test
  void jobsAKilledStackLeftRunningEndFailedAndTheirLeftoverProcessIsKilled() throws Exception {
    Process leftover = new ProcessBuilder("sleep", "600").start();
    try {
      long started = leftover.info().startInstant().orElseThrow().toEpochMilli();
      Path record = staleJob("stale-1", "RUNNING", leftover.pid() + " " + started);
      Files.writeString(
          BatchRunner.jobRecordFile(dataDir, "done-1"),
          "{\"jobId\":\"done-1\",\"status\":\"SUCCEEDED\"}");

      runner(1);

      assertTrue(leftover.waitFor(30, TimeUnit.SECONDS), "the leftover job process was killed");
      JsonNode stale = JSON.readTree(record.toFile());
      assertEquals("FAILED", stale.path("status").asText());
      assertTrue(
          stale.path("statusReason").asText().contains("stopped while this job was RUNNING"),
          stale.path("statusReason").asText());
      assertTrue(stale.path("stoppedAt").asLong() > 0);
      assertEquals(
          "SUCCEEDED",
          JSON.readTree(BatchRunner.jobRecordFile(dataDir, "done-1").toFile())
              .path("status")
              .asText());
    } finally {
      leftover.destroyForcibly();
    }
  }

  @Test
  void aRecordedPidOfAnotherProcessIsNotKilled() throws Exception {
    Process unrelated = new ProcessBuilder("sleep", "600").start();
    try {
      // Same pid, different start time: the pid was reused by a process that is not our job.
      Path record = staleJob("stale-2", "STARTING", unrelated.pid() + " 12345");

      runner(1);

      assertTrue(unrelated.isAlive());
      assertEquals("FAILED", JSON.readTree(record.toFile()).path("status").asText());
    } finally {
      unrelated.destroyForcibly();
    }
  }
}
