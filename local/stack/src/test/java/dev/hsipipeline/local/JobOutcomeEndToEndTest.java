package dev.hsipipeline.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hsipipeline.local.batch.BatchRunner;
import dev.hsipipeline.local.integrations.S3GetObjectTask;
import dev.hsipipeline.local.sfn.asl.TaskFailedException;
import dev.hsipipeline.local.sfn.asl.TaskInvocation;
import dev.hsipipeline.local.testjobs.OutcomeJob;
import dev.hsipipeline.local.testjobs.TestJobs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;

/**
 * What a job reports reaches the execution output (ADR 0166): the repository's state machine on the
 * local stack, with the activator's job definition running {@link OutcomeJob} (the jobs' own
 * runtime, the activator role's policy) and the processor's running a plain main that writes no
 * outcome. Executions are started directly, as the trigger would start them.
 */
class JobOutcomeEndToEndTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path tmp;
  private static LocalStack stack;
  private static SfnClient sfn;
  private static S3Client s3;
  private static String unchangedArn;
  private static String doneArn;
  private static String failedArn;
  private static String unreportedArn;

  @BeforeAll
  static void start() throws Exception {
    Path repo = StackSettings.findRepoRoot();
    Path jobs = tmp.resolve("jobs");
    TestJobs.createOnClassPath(
        jobs,
        "activator",
        Files.readString(repo.resolve("batch/activator/job-definition.json")),
        OutcomeJob.class);
    TestJobs.create(
        jobs, "processor", Files.readString(repo.resolve("batch/processor/job-definition.json")));
    stack =
        LocalStack.start(
            StackSettings.defaults(repo)
                .withDataDir(tmp.resolve("data"))
                .withJobsDir(jobs)
                .withEphemeralPorts());
    sfn = StackClients.sfn(stack, LocalStack.credentials());
    s3 = StackClients.s3(stack, LocalStack.credentials());
    unchangedArn = startExecution("activator", "unchanged-1", "{\"report\":\"unchanged\"}");
    doneArn = startExecution("activator", "done-1", "{\"report\":\"done\"}");
    failedArn = startExecution("activator", "failed-1", "{\"report\":\"fail\"}");
    unreportedArn = startExecution("processor", "unreported-1", "{\"item\":\"s3://b/k\"}");
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable c : new AutoCloseable[] {sfn, s3, stack}) {
      try {
        if (c != null) c.close();
      } catch (Exception e) {
        // best effort
      }
    }
  }

  private static String startExecution(String role, String name, String event) {
    ObjectNode input = JSON.createObjectNode();
    input.put("eventSourceARN", stack.queueArn(role));
    input.put("messageId", "m-" + name);
    input.putObject("parameters").put("event", event);
    return sfn.startExecution(
            b -> b.stateMachineArn(stack.stateMachineArn()).name(name).input(input.toString()))
        .executionArn();
  }

  private static DescribeExecutionResponse ended(String arn) {
    return Awaitility.await("execution " + arn)
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> sfn.describeExecution(b -> b.executionArn(arn)),
            d -> !"RUNNING".equals(d.statusAsString()));
  }

  private static JsonNode outcomeOf(String arn) throws Exception {
    DescribeExecutionResponse d = ended(arn);
    assertEquals("SUCCEEDED", d.statusAsString(), () -> d.error() + ": " + d.cause());
    return JSON.readTree(d.output());
  }

  private static List<String> enteredStates(String arn) {
    return sfn.getExecutionHistory(b -> b.executionArn(arn).maxResults(1000)).events().stream()
        .map(HistoryEvent::stateEnteredEventDetails)
        .filter(e -> e != null)
        .map(e -> e.name())
        .toList();
  }

  @Test
  void aJobThatFoundItsSourcesUnchangedSaysSoInTheExecutionOutputAndItsLog() throws Exception {
    JsonNode output = outcomeOf(unchangedArn);
    JsonNode outcome = output.path("outcome");
    assertEquals("unchanged", outcome.path("status").asText(), output.toPrettyString());
    assertEquals("same ETag and size as the published item", outcome.path("message").asText());
    assertEquals(
        "s3://hsi-data/" + OutcomeJob.ITEM_KEY, outcome.path("outputs").path("item").asText());
    assertEquals("activator", outcome.path("job").asText());
    String jobId = output.path("job").path("JobId").asText();
    assertEquals(jobId, outcome.path("jobId").asText(), "the outcome of this execution's job");
    assertEquals("SUCCEEDED", output.path("job").path("Status").asText());
    assertEquals("m-unchanged-1", output.path("messageId").asText(), "the input is kept");
    assertEquals(
        List.of("RouteBySourceQueue", "ActivatorState", "ReadJobOutcome", "PublishOutcome"),
        enteredStates(unchangedArn));
    String log = Files.readString(BatchRunner.logFile(stack.dataDir(), jobId, 1));
    assertTrue(
        log.contains("\"msg\":\"unchanged: same ETag and size as the published item\""), log);
  }

  @Test
  void aJobThatDidItsWorkReportsDoneWithWhatItWrote() throws Exception {
    JsonNode outcome = outcomeOf(doneArn).path("outcome");
    assertEquals("done", outcome.path("status").asText(), outcome.toPrettyString());
    assertEquals("scene activated", outcome.path("message").asText());
    String item = outcome.path("outputs").path("item").asText();
    assertEquals("s3://hsi-data/" + OutcomeJob.ITEM_KEY, item);
    assertEquals(
        "{\"id\":\"outcome-e2e\"}",
        s3.getObjectAsBytes(b -> b.bucket("hsi-data").key(OutcomeJob.ITEM_KEY)).asUtf8String());
  }

  @Test
  void aFailedJobStillFailsTheExecutionAndNoOutcomeIsRead() {
    DescribeExecutionResponse d = ended(failedArn);
    assertEquals("FAILED", d.statusAsString());
    assertEquals("States.TaskFailed", d.error());
    List<String> states = enteredStates(failedArn);
    assertTrue(states.contains("RecordActivatorFailure"), states.toString());
    assertFalse(states.contains("ReadJobOutcome"), states.toString());
  }

  @Test
  void aSucceededJobWhoseOutcomeIsMissingStillSucceedsAndSaysWhy() throws Exception {
    JsonNode outcome = outcomeOf(unreportedArn).path("outcome");
    assertEquals("unreported", outcome.path("status").asText(), outcome.toPrettyString());
    assertEquals("S3.NoSuchKeyException", outcome.path("error").asText());
    assertTrue(
        outcome.path("cause").asText().startsWith("The specified key does not exist.")
            && outcome.path("cause").asText().contains("Status Code: 404"),
        outcome.path("cause").asText());
    assertEquals(
        List.of("RouteBySourceQueue", "ProcessorState", "ReadJobOutcome", "OutcomeUnreadable"),
        enteredStates(unreportedArn));
  }

  @Test
  void theStateMachineReadsOutcomesAsItsRoleUnderItsPolicy() throws Exception {
    ended(unchangedArn);
    assertTrue(
        stack
            .iam()
            .iam()
            .calls()
            .getOrDefault("state-machine", java.util.Set.of())
            .contains("s3:GetObject"),
        stack.iam().iam().calls().toString());
    // The role may read outcomes/ only: anything else in the bucket is AccessDenied.
    s3.putObject(b -> b.bucket("hsi-data").key("items/secret.json"), RequestBody.fromString("{}"));
    var role = stack.iam().credentials(dev.hsipipeline.local.iam.LocalIam.STATE_MACHINE);
    try (S3GetObjectTask asRole =
        S3GetObjectTask.connect(
            stack.s3Endpoint(), "us-east-1", role.accessKeyId(), role.secretAccessKey())) {
      TaskFailedException denied =
          assertFails(() -> asRole.invoke(getObject("hsi-data", "items/secret.json")));
      // "S3." + the SDK's exception for the error code, as Step Functions names SDK errors
      // (S3.AccessDeniedException with this SDK; older SDKs model it as S3.S3Exception).
      assertTrue(denied.error().startsWith("S3."), denied.error());
      assertTrue(
          denied.cause().contains("not authorized to perform: s3:GetObject")
              && denied.cause().contains("Status Code: 403"),
          denied.cause());
    }
  }

  @Test
  void getObjectReturnsAwsResultShapeAndErrorNames() throws Exception {
    s3.putObject(
        b ->
            b.bucket("hsi-data")
                .key("outcomes/shape/a.json")
                .contentType("application/json")
                .metadata(Map.of("origin", "test")),
        RequestBody.fromString("{\"status\":\"done\"}"));
    try (S3GetObjectTask task =
        S3GetObjectTask.connect(
            stack.s3Endpoint(), "us-east-1", LocalStack.ACCESS_KEY, LocalStack.SECRET_KEY)) {
      JsonNode r = task.invoke(getObject("hsi-data", "outcomes/shape/a.json"));
      assertEquals("{\"status\":\"done\"}", r.path("Body").asText(), "Body is a string");
      assertEquals(17, r.path("ContentLength").asLong());
      assertEquals("application/json", r.path("ContentType").asText());
      assertTrue(r.path("ETag").asText().startsWith("\""), r.toString());
      assertTrue(r.path("LastModified").asText().endsWith("Z"), r.toString());
      assertEquals("test", r.path("Metadata").path("origin").asText(), r.toString());

      TaskFailedException missing =
          assertFails(() -> task.invoke(getObject("hsi-data", "outcomes/none.json")));
      assertEquals("S3.NoSuchKeyException", missing.error());
      assertTrue(
          missing
                  .cause()
                  .startsWith("The specified key does not exist. (Service: S3, Status Code: 404")
              && missing.cause().endsWith(")")
              && !missing.cause().contains("SDK Attempt Count"),
          "the cause as Step Functions shows it: " + missing.cause());
      TaskFailedException noBucket =
          assertFails(() -> task.invoke(getObject("no-such-bucket", "k")));
      assertEquals("S3.NoSuchBucketException", noBucket.error(), noBucket.cause());
      ObjectNode extra = (ObjectNode) getObject("hsi-data", "k").parameters();
      extra.put("Expires", "x");
      TaskFailedException unsupported = assertFails(() -> task.invoke(invocation(extra)));
      assertEquals("States.Runtime", unsupported.error());
      assertTrue(unsupported.cause().contains("The field 'Expires' is not supported"));
    }
  }

  private static TaskInvocation getObject(String bucket, String key) {
    ObjectNode p = JsonNodeFactory.instance.objectNode();
    p.put("Bucket", bucket);
    p.put("Key", key);
    return invocation(p);
  }

  private static TaskInvocation invocation(ObjectNode parameters) {
    return new TaskInvocation(
        S3GetObjectTask.RESOURCE, parameters, "ReadJobOutcome", "arn:test", 1, 60, 0);
  }

  private interface Call extends Executable {}

  private static TaskFailedException assertFails(Call call) {
    return org.junit.jupiter.api.Assertions.assertThrows(TaskFailedException.class, call);
  }
}
