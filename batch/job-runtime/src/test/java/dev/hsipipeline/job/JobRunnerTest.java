package dev.hsipipeline.job;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hsipipeline.local.aws.LocalS3;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobRunnerTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path dir;
  static LocalS3 s3;

  @BeforeAll
  static void start() {
    s3 = LocalAws.s3(dir, "hsi-data");
  }

  @AfterAll
  static void stop() {
    s3.close();
  }

  record Outcome(int code, List<JsonNode> lines) {
    String text() {
      return lines.toString();
    }

    JsonNode last() {
      return lines.get(lines.size() - 1);
    }
  }

  static Outcome run(Job job, int attempt, String... args) throws Exception {
    return run(job, LocalAws.env(s3, attempt), args);
  }

  static Outcome run(Job job, Map<String, String> env, String... args) throws Exception {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int code =
        JobRunner.run(
            "test-job", job, args, env, new PrintStream(buf, true, StandardCharsets.UTF_8));
    List<JsonNode> lines = new ArrayList<>();
    for (String l : buf.toString(StandardCharsets.UTF_8).split("\n"))
      if (!l.isBlank()) lines.add(JSON.readTree(l));
    return new Outcome(code, lines);
  }

  @Test
  void inlineEventReachesTheJobAndExitsZero() throws Exception {
    AtomicReference<JobContext> seen = new AtomicReference<>();
    Outcome o = run(seen::set, 1, "{\"scene\":\"s3://b/k.hdr\"}");
    assertEquals(0, o.code());
    assertEquals("s3://b/k.hdr", seen.get().requireText("scene"));
    assertEquals("inline", seen.get().eventSource());
    assertEquals("hsi-data", seen.get().env().dataBucket());
    assertEquals("SUCCEEDED", o.last().get("status").asText());
    for (JsonNode line : o.lines()) {
      assertEquals("job-123", line.get("jobId").asText());
      assertEquals(1, line.get("attempt").asInt());
      assertEquals("test-job", line.get("job").asText());
      assertTrue(line.hasNonNull("ts") && line.hasNonNull("level") && line.hasNonNull("msg"));
    }
    assertTrue(o.last().has("durationMs"));
  }

  @Test
  void eventStoredInS3IsResolvedTransparently() throws Exception {
    new S3Store(s3Client())
        .putString(
            new S3Uri("hsi-data", "payloads/m-1.json"),
            "{\"item\":\"s3://hsi-data/items/x.json\"}",
            "application/json");
    AtomicReference<JobContext> seen = new AtomicReference<>();
    Outcome o = run(seen::set, 1, "s3://hsi-data/payloads/m-1.json");
    assertEquals(0, o.code(), o.text());
    assertEquals("s3://hsi-data/items/x.json", seen.get().requireText("item"));
    assertEquals("s3://hsi-data/payloads/m-1.json", seen.get().eventSource());
  }

  @Test
  void jsonEncodedStringEventIsUnwrapped() throws Exception {
    AtomicReference<JobContext> seen = new AtomicReference<>();
    assertEquals(0, run(seen::set, 1, "\"{\\\"scene\\\":\\\"s3://b/k\\\"}\"").code());
    assertEquals("s3://b/k", seen.get().requireText("scene"));
  }

  @Test
  void missingEventObjectIsPermanentAndNamesTheUri() throws Exception {
    Outcome o = run(ctx -> fail("must not run"), 1, "s3://hsi-data/payloads/nope.json");
    assertEquals(2, o.code());
    assertTrue(
        o.text().contains("missing object: s3://hsi-data/payloads/nope.json does not exist"),
        o.text());
  }

  @Test
  void badEventsArePermanentWithClearMessages() throws Exception {
    assertMessage(run(ctx -> fail(), 1), 2, "no event argument");
    assertMessage(run(ctx -> fail(), 1, "{not json"), 2, "is not valid JSON");
    assertMessage(run(ctx -> fail(), 1, "[1,2]"), 2, "must be a JSON object");
    assertMessage(run(ctx -> fail(), 1, "Ref::event"), 2, "was not substituted");
    assertMessage(
        run(ctx -> ctx.requireText("scene"), 1, "{}"), 2, "event field 'scene' is missing");
    assertMessage(
        run(ctx -> ctx.requireText("scene"), 1, "{\"scene\": 5}"),
        2,
        "event field 'scene' must be a non-empty string");
  }

  @Test
  void failureKindsMapToExitCodes() throws Exception {
    assertMessage(
        run(
            ctx -> {
              throw JobFailure.permanent("bad input x");
            },
            1,
            "{}"),
        2,
        "bad input x");
    assertMessage(
        run(
            ctx -> {
              throw JobFailure.transientFailure("network down", null);
            },
            1,
            "{}"),
        1,
        "network down");
    assertMessage(
        run(
            ctx -> {
              throw new IllegalStateException("bug");
            },
            1,
            "{}"),
        1,
        "unexpected error: java.lang.IllegalStateException: bug");
  }

  @Test
  void injectedFaultsFailEarlyAttemptsTransientlyThenRun() throws Exception {
    String event = "{\"faults\":{\"failAttempts\":2}}";
    int[] runs = {0};
    Outcome first = run(ctx -> runs[0]++, 1, event);
    assertMessage(first, 1, "injected transient failure (attempt 1 <= faults.failAttempts 2)");
    assertEquals(1, run(ctx -> runs[0]++, 2, event).code());
    assertEquals(0, runs[0], "the job body does not run on injected failures");
    assertEquals(0, run(ctx -> runs[0]++, 3, event).code());
    assertEquals(1, runs[0]);
  }

  @Test
  void deployedJobIgnoresFaultsInTheEvent() throws Exception {
    // A deployed job's environment: what the job definition and Batch give it, no fault switch.
    Map<String, String> deployed = new java.util.HashMap<>(LocalAws.env(s3, 1));
    deployed.remove(JobEnv.FAULT_INJECTION);
    int[] runs = {0};
    Outcome o = run(ctx -> runs[0]++, deployed, "{\"faults\":{\"failAttempts\":3}}");
    assertEquals(0, o.code(), o.text());
    assertEquals(1, runs[0], "the job ran on its first attempt");
    assertTrue(o.text().contains("event field 'faults' ignored: fault injection is off"), o.text());
    assertFalse(o.text().contains("injected transient failure"), o.text());

    deployed.put(JobEnv.FAULT_INJECTION, "false");
    assertEquals(0, run(ctx -> runs[0]++, deployed, "{\"faults\":{\"failAttempts\":3}}").code());
    assertEquals(2, runs[0]);
  }

  @Test
  void faultSwitchWithAnUnknownValueIsPermanent() throws Exception {
    Map<String, String> env = new java.util.HashMap<>(LocalAws.env(s3, 1));
    env.put(JobEnv.FAULT_INJECTION, "yes");
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int code =
        JobRunner.run(
            "t",
            ctx -> fail(),
            new String[] {"{}"},
            env,
            new PrintStream(buf, true, StandardCharsets.UTF_8));
    assertEquals(2, code);
    assertTrue(
        buf.toString(StandardCharsets.UTF_8)
            .contains("PIPELINE_FAULT_INJECTION must be 'true' or 'false' (or unset), got 'yes'"));
  }

  @Test
  void noJobDefinitionTurnsFaultInjectionOn() throws Exception {
    // The job definitions are the one source of the deployed environment (Terraform renders
    // them); the switch must never be in them.
    Path batch = Path.of("..").toAbsolutePath().normalize();
    List<Path> definitions;
    try (var files = java.nio.file.Files.list(batch)) {
      definitions =
          files
              .map(d -> d.resolve("job-definition.json"))
              .filter(java.nio.file.Files::isRegularFile)
              .toList();
    }
    assertEquals(2, definitions.size(), "activator and processor under " + batch);
    for (Path d : definitions) {
      JsonNode env = JSON.readTree(d.toFile()).path("containerProperties").path("environment");
      assertTrue(env.isArray() && !env.isEmpty(), d + " has an environment");
      for (JsonNode e : env)
        assertNotEquals(JobEnv.FAULT_INJECTION, e.path("name").asText(), d.toString());
    }
  }

  @Test
  void invalidAttemptVariableIsPermanent() {
    Map<String, String> env = new java.util.HashMap<>(LocalAws.env(s3, 1));
    env.put("AWS_BATCH_JOB_ATTEMPT", "first");
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    assertEquals(
        2,
        JobRunner.run(
            "t",
            ctx -> fail(),
            new String[] {"{}"},
            env,
            new PrintStream(buf, true, StandardCharsets.UTF_8)));
    assertTrue(
        buf.toString(StandardCharsets.UTF_8).contains("AWS_BATCH_JOB_ATTEMPT must be an integer"));
  }

  static Map<String, String> workflowEnv(String outcomeUri) {
    Map<String, String> env = new java.util.HashMap<>(LocalAws.env(s3, 1));
    env.put(JobEnv.OUTCOME_URI, outcomeUri);
    return env;
  }

  static JsonNode readOutcome(String key) throws Exception {
    return JSON.readTree(
        new S3Store(s3Client()).readString(new S3Uri("hsi-data", key), JobRunner.MAX_EVENT_BYTES));
  }

  @Test
  void reportedUnchangedOutcomeIsLoggedAndWrittenWhereTheStateMachineReadsIt() throws Exception {
    Outcome o =
        run(
            ctx ->
                ctx.report(
                    JobOutcome.unchanged(
                        "same ETag and size as the published item",
                        Map.of("item", "s3://hsi-data/items/a.json"))),
            workflowEnv("s3://hsi-data/outcomes/exec-1/activator.json"),
            "{}");
    assertEquals(0, o.code(), o.text());
    JsonNode written = readOutcome("outcomes/exec-1/activator.json");
    assertEquals("unchanged", written.get("status").asText());
    assertEquals("same ETag and size as the published item", written.get("message").asText());
    assertEquals("s3://hsi-data/items/a.json", written.path("outputs").path("item").asText());
    assertEquals("test-job", written.get("job").asText());
    assertEquals("job-123", written.get("jobId").asText());
    assertEquals(1, written.get("attempt").asInt());
    JsonNode line =
        o.lines().stream().filter(l -> "outcome".equals(l.path("step").asText())).findFirst().get();
    assertEquals("unchanged: same ETag and size as the published item", line.get("msg").asText());
    assertEquals(
        "s3://hsi-data/outcomes/exec-1/activator.json", line.get("outcomeUri").asText(), o.text());
  }

  @Test
  void jobThatReportsNothingEndsDoneAndTheLastReportWins() throws Exception {
    assertEquals(0, run(ctx -> {}, workflowEnv("s3://hsi-data/outcomes/e2/p.json"), "{}").code());
    assertEquals("done", readOutcome("outcomes/e2/p.json").get("status").asText());

    Job twice =
        ctx -> {
          ctx.report(JobOutcome.unchanged("first look: unchanged", Map.of()));
          ctx.report(JobOutcome.done("forced: rewritten", Map.of("item", "s3://hsi-data/i")));
        };
    assertEquals(0, run(twice, workflowEnv("s3://hsi-data/outcomes/e3/p.json"), "{}").code());
    JsonNode last = readOutcome("outcomes/e3/p.json");
    assertEquals("done", last.get("status").asText());
    assertEquals("forced: rewritten", last.get("message").asText());
  }

  @Test
  void failedJobWritesNoOutcome() throws Exception {
    Outcome o =
        run(
            ctx -> {
              ctx.report(JobOutcome.done("wrote half", Map.of()));
              throw JobFailure.permanent("corrupt header");
            },
            workflowEnv("s3://hsi-data/outcomes/e4/a.json"),
            "{}");
    assertEquals(2, o.code());
    assertFalse(new S3Store(s3Client()).exists(new S3Uri("hsi-data", "outcomes/e4/a.json")));
    assertFalse(o.text().contains("\"step\":\"outcome\""), o.text());
  }

  @Test
  void outsideAWorkflowTheOutcomeIsOnlyLogged() throws Exception {
    Outcome o = run(ctx -> ctx.report(JobOutcome.done("converted", Map.of())), 1, "{}");
    assertEquals(0, o.code(), o.text());
    assertTrue(o.text().contains("done: converted"), o.text());
    assertFalse(o.text().contains("outcomeUri"), o.text());
  }

  @Test
  void malformedOutcomeUriFailsPermanentlyBeforeTheJobRuns() throws Exception {
    assertMessage(
        run(ctx -> fail("must not run"), workflowEnv("outcomes/x.json"), "{}"),
        2,
        "PIPELINE_OUTCOME_URI must be an s3://bucket/key URI (set by the state machine), got"
            + " 'outcomes/x.json'");
  }

  @Test
  void outcomeThatCannotBeWrittenFailsTheAttempt() throws Exception {
    Outcome o = run(ctx -> {}, workflowEnv("s3://no-such-bucket/outcomes/e5/a.json"), "{}");
    assertNotEquals(0, o.code(), o.text());
    assertTrue(
        o.text().contains("cannot write the job outcome the state machine reads back"), o.text());
    assertTrue(o.text().contains("s3://no-such-bucket/outcomes/e5/a.json"), o.text());
  }

  @Test
  void invalidOutcomesNameTheProblem() {
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> JobOutcome.done(" ", Map.of()))
            .getMessage()
            .contains("message is blank"));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () -> JobOutcome.done("ok", Map.of("bad name", "s3://b/k")))
            .getMessage()
            .contains("output name 'bad name' must match"));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () -> JobOutcome.unchanged("x".repeat(JobOutcome.MAX_MESSAGE_CHARS + 1), Map.of()))
            .getMessage()
            .contains("more than 1000"));
  }

  static void assertMessage(Outcome o, int code, String fragment) {
    assertEquals(code, o.code(), o.text());
    assertTrue(o.text().contains(fragment), () -> "expected '" + fragment + "' in " + o.text());
    assertEquals(code, o.last().get("exitCode").asInt());
  }

  static software.amazon.awssdk.services.s3.S3Client s3Client() {
    return AwsClients.s3(JobEnv.from(LocalAws.env(s3, 1)));
  }
}
