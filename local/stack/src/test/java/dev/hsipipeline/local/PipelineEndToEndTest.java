package dev.hsipipeline.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hsipipeline.hsi.testdata.SyntheticScene;
import dev.hsipipeline.job.S3Uri;
import dev.hsipipeline.local.batch.BatchRunner;
import dev.hsipipeline.local.cli.PipelineCli;
import dev.hsipipeline.stac.CatalogLayout;
import dev.hsipipeline.stac.CatalogWalker;
import dev.hsipipeline.stac.StacValidator;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The whole pipeline in one process with the real artifacts: the trigger's deployable jar behind
 * the event source mappings, the rendered state machine in the local Step Functions, the activator
 * and processor jars as Batch jobs, all through real SDK clients.
 */
class PipelineEndToEndTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long WAIT_SECONDS = 180;

  @TempDir static Path dataDir;
  private static LocalStack stack;
  private static SfnClient sfn;
  private static SqsClient sqs;
  private static S3Client s3;
  private static SyntheticScene.Uploaded scene;
  // Sent up front so that the scenarios run concurrently, as they would on AWS.
  private static String happyMessage;
  private static String retryMessage;
  private static String permanentFailureMessage;
  private static String poisonBody;

  @BeforeAll
  static void start() {
    StackSettings settings =
        StackSettings.defaults(StackSettings.findRepoRoot())
            .withDataDir(dataDir)
            .withEphemeralPorts()
            .withBatching(10, 0)
            .withQueueTiming(
                3, 1); // short visibility timeout: redelivery and the DLQ within seconds
    String trigger = System.getProperty("pipeline.trigger.jar"); // another build of the function
    if (trigger != null && !trigger.isBlank()) {
      settings = settings.withTrigger(Path.of(trigger), settings.triggerHandler());
    }
    stack = LocalStack.start(settings);
    sfn = StackClients.sfn(stack, LocalStack.credentials());
    sqs = StackClients.sqs(stack, LocalStack.credentials());
    s3 = StackClients.s3(stack, LocalStack.credentials());
    scene =
        SyntheticScene.of(SyntheticScene.Spec.defaults().withSize(24, 20, 16))
            .upload(s3, "hsi-data", "scenes/e2e/small");
    happyMessage = send("activator", "{\"scene\":\"" + scene.headerUri() + "\"}");
    retryMessage =
        send(
            "activator",
            "{\"scene\":\"" + scene.headerUri() + "\",\"faults\":{\"failAttempts\":1}}");
    permanentFailureMessage =
        send("processor", "{\"item\":\"s3://hsi-data/stac/scenes/items/does-not-exist.json\"}");
    poisonBody = "this is not JSON " + System.nanoTime();
    send("processor", poisonBody);
  }

  @AfterAll
  static void stop() {
    try {
      if (stack != null) {
        everyPrincipalCalledOnlyTheActionsItsPolicyIsMeantToGrant();
      }
    } finally {
      closeAll();
    }
  }

  /**
   * After every scenario ran through the real trigger, state machine and jobs: what each principal
   * asked the local IAM for is on its list in terraform/policies/required-actions.json (which
   * tests/iam.tftest.hcl checks the deployed policies grant), and its policy allows each action.
   */
  private static void everyPrincipalCalledOnlyTheActionsItsPolicyIsMeantToGrant() {
    var calls = stack.iam().iam().calls();
    var required = stack.iam().requiredActions();
    for (String principal : List.of("trigger", "state-machine", "job-activator", "job-processor")) {
      var called = calls.getOrDefault(principal, java.util.Set.of());
      assertFalse(called.isEmpty(), principal + " made no AWS call at all: " + calls);
      var unlisted = new java.util.TreeSet<>(called);
      unlisted.removeAll(required.get(principal));
      assertTrue(
          unlisted.isEmpty(),
          principal
              + " calls "
              + unlisted
              + ", which terraform/policies/required-actions.json does not list");
    }
  }

  private static void closeAll() {
    for (AutoCloseable c : new AutoCloseable[] {sfn, sqs, s3, stack}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        // best effort
      }
    }
  }

  private static String send(String role, String body) {
    return sqs.sendMessage(b -> b.queueUrl(stack.queueUrl(role)).messageBody(body)).messageId();
  }

  private static <T> T await(String what, Supplier<Optional<T>> probe) {
    return Awaitility.await(what)
        .atMost(Duration.ofSeconds(WAIT_SECONDS))
        .pollInterval(Duration.ofMillis(200))
        .until(probe::get, Optional::isPresent)
        .get();
  }

  private static JsonNode json(String s) {
    try {
      return JSON.readTree(s);
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + s, e);
    }
  }

  /** The ended execution whose input matches, once it has ended. */
  private static DescribeExecutionResponse awaitEnded(String what, Predicate<JsonNode> input)
      throws InterruptedException {
    return await(
        what,
        () -> {
          for (ExecutionListItem e :
              sfn.listExecutions(b -> b.stateMachineArn(stack.stateMachineArn()).maxResults(1000))
                  .executions()) {
            DescribeExecutionResponse d =
                sfn.describeExecution(b -> b.executionArn(e.executionArn()));
            if (input.test(json(d.input())) && !d.statusAsString().equals("RUNNING")) {
              return Optional.of(d);
            }
          }
          return Optional.empty();
        });
  }

  private static DescribeExecutionResponse awaitMessage(String messageId)
      throws InterruptedException {
    return awaitEnded(
        "execution of message " + messageId, in -> messageId.equals(in.path("messageId").asText()));
  }

  private static List<HistoryEvent> history(String executionArn) {
    return sfn.getExecutionHistory(b -> b.executionArn(executionArn).maxResults(1000)).events();
  }

  private static JsonNode jobRecord(String jobId) throws Exception {
    return JSON.readTree(BatchRunner.jobRecordFile(stack.dataDir(), jobId).toFile());
  }

  @Test
  void anActivatorMessageRunsTheActivatorAndThenTheProcessor() throws Exception {
    DescribeExecutionResponse activator = awaitMessage(happyMessage);
    assertEquals(
        "SUCCEEDED",
        activator.statusAsString(),
        () -> activator.error() + ": " + activator.cause());
    JsonNode in = json(activator.input());
    assertEquals(stack.queueArn("activator"), in.path("eventSourceARN").asText());
    JsonNode job = json(activator.output()).path("job");
    assertEquals("SUCCEEDED", job.path("Status").asText());
    List<String> kept = new ArrayList<>();
    job.fieldNames().forEachRemaining(kept::add);
    assertEquals(
        List.of("JobId", "JobName", "Status"),
        kept,
        "ResultSelector keeps only fields DescribeJobs always has");

    List<HistoryEvent> events = history(activator.executionArn());
    List<HistoryEventType> types = events.stream().map(HistoryEvent::type).toList();
    assertEquals(HistoryEventType.EXECUTION_STARTED, types.get(0));
    assertTrue(types.contains(HistoryEventType.CHOICE_STATE_ENTERED), types.toString());
    assertTrue(types.contains(HistoryEventType.TASK_SCHEDULED), types.toString());
    assertTrue(types.contains(HistoryEventType.TASK_SUCCEEDED), types.toString());
    assertEquals(HistoryEventType.EXECUTION_SUCCEEDED, types.get(types.size() - 1));
    assertTrue(
        events.stream()
            .anyMatch(
                e ->
                    e.stateEnteredEventDetails() != null
                        && "ActivatorState".equals(e.stateEnteredEventDetails().name())));

    String jobId = job.path("JobId").asText();
    assertEquals("SUCCEEDED", jobRecord(jobId).path("status").asText());
    assertTrue(
        Files.size(BatchRunner.logFile(stack.dataDir(), jobId, 1)) > 0,
        "the job's log was captured");

    // The activator's processor message starts the processor execution.
    DescribeExecutionResponse processor =
        awaitEnded(
            "processor execution for the scene",
            i ->
                stack.queueArn("processor").equals(i.path("eventSourceARN").asText())
                    && i.path("parameters").path("event").asText().contains("small"));
    assertEquals(
        "SUCCEEDED",
        processor.statusAsString(),
        () -> processor.error() + ": " + processor.cause());
    assertTrue(
        history(processor.executionArn()).stream()
            .anyMatch(
                e ->
                    e.stateEnteredEventDetails() != null
                        && "ProcessorState".equals(e.stateEnteredEventDetails().name())));

    List<String> keys =
        s3.listObjectsV2(b -> b.bucket("hsi-data")).contents().stream().map(o -> o.key()).toList();
    for (String prefix :
        List.of("activated/", "products/", "stac/scenes/items/", "stac/products/items/"))
      assertTrue(keys.stream().anyMatch(k -> k.startsWith(prefix)), prefix + ": " + keys);
    // Published with the jobs' own IAM policies, and a STAC reader walks it to every asset.
    CatalogWalker.Walk walk =
        CatalogWalker.walk(
            s3, JSON, new StacValidator(), new S3Uri("hsi-data", CatalogLayout.ROOT_KEY));
    assertEquals(List.of(), walk.problems());

    // The CLI sees the same through the endpoints file, with the standard SDK clients.
    String list = cli(0, "executions", "--json");
    assertTrue(
        list.contains(activator.name()) && list.contains("\"source\" : \"activator-queue\""), list);
    String described = cli(0, "describe", activator.name());
    assertTrue(described.contains("SUCCEEDED") && described.contains(jobId), described);
    String hist = cli(0, "history", activator.name());
    assertTrue(hist.contains("TaskStateEntered") && hist.contains("ActivatorState"), hist);
    String histJson = cli(0, "history", activator.executionArn(), "--json");
    assertEquals("ExecutionStarted", json(histJson).get(0).path("type").asText(), histJson);
    cli(0, "logs", jobId);
  }

  @Test
  void aTransientJobFailureSucceedsOnRetry() throws Exception {
    DescribeExecutionResponse d = awaitMessage(retryMessage);
    assertEquals("SUCCEEDED", d.statusAsString(), () -> d.error() + ": " + d.cause());
    String jobId = json(d.output()).path("job").path("JobId").asText();
    JsonNode rec = jobRecord(jobId);
    assertEquals(2, rec.path("attempts").size(), rec.toString());
    assertTrue(rec.path("attempts").get(0).path("container").path("exitCode").asInt() != 0);
    assertEquals(0, rec.path("attempts").get(1).path("container").path("exitCode").asInt());
  }

  @Test
  void aPermanentJobFailureFailsTheExecutionWithTheJobAsCause() throws Exception {
    DescribeExecutionResponse d = awaitMessage(permanentFailureMessage);
    assertEquals("FAILED", d.statusAsString());
    assertEquals("States.TaskFailed", d.error());
    List<HistoryEvent> events = history(d.executionArn());
    HistoryEvent failed =
        events.stream()
            .filter(e -> e.type() == HistoryEventType.TASK_FAILED)
            .findFirst()
            .orElseThrow();
    JsonNode cause = json(failed.taskFailedEventDetails().cause());
    assertEquals("FAILED", cause.path("Status").asText());
    assertEquals(1, cause.path("Attempts").size(), "exit code 2 is not retried");
    assertEquals(2, cause.path("Container").path("ExitCode").asInt());
    assertTrue(
        events.stream()
            .anyMatch(
                e ->
                    e.stateEnteredEventDetails() != null
                        && "RecordProcessorFailure".equals(e.stateEnteredEventDetails().name())),
        "the Catch recorded the failure");
  }

  @Test
  void anUnknownSourceEndsInFailureState() throws Exception {
    String input =
        "{\"eventSourceARN\":\"arn:aws:sqs:us-east-1:000000000000:nope\",\"messageId\":\"m-unknown\","
            + "\"parameters\":{\"event\":\"{}\"}}";
    String arn =
        sfn.startExecution(
                b -> b.stateMachineArn(stack.stateMachineArn()).name("unknown-source").input(input))
            .executionArn();
    DescribeExecutionResponse d =
        awaitEnded(
            "unknown-source execution", in -> "m-unknown".equals(in.path("messageId").asText()));
    assertEquals(arn, d.executionArn());
    assertEquals("FAILED", d.statusAsString());
    assertEquals("DefaultStateError", d.error());
    assertTrue(
        d.cause().startsWith("No job handles messages from queue ")
            && d.cause().contains("arn:aws:sqs:us-east-1:000000000000:nope"),
        "the cause names the queue: " + d.cause());
    List<HistoryEvent> events = history(arn);
    assertTrue(
        events.stream()
            .anyMatch(
                e ->
                    e.type() == HistoryEventType.FAIL_STATE_ENTERED
                        && "FailureState".equals(e.stateEnteredEventDetails().name())));
    assertEquals(HistoryEventType.EXECUTION_FAILED, events.get(events.size() - 1).type());
  }

  @Test
  void aPoisonMessageLandsInTheDeadLetterQueue() throws Exception {
    String body = poisonBody;
    Message dead =
        await(
            "the poison message in processor-dlq",
            () -> {
              for (Message m :
                  sqs.receiveMessage(
                          b ->
                              b.queueUrl(stack.dlqUrl("processor"))
                                  .maxNumberOfMessages(10)
                                  .waitTimeSeconds(1)
                                  .messageSystemAttributeNamesWithStrings("All"))
                      .messages()) {
                if (m.body().equals(body)) {
                  return Optional.of(m);
                }
              }
              return Optional.empty();
            });
    assertNotNull(dead);
    int max = stack.queues().get("processor").maxReceiveCount();
    assertTrue(
        Integer.parseInt(dead.attributesAsStrings().getOrDefault("ApproximateReceiveCount", "0"))
            >= 1);
    assertFalse(
        sfn
            .listExecutions(b -> b.stateMachineArn(stack.stateMachineArn()).maxResults(1000))
            .executions()
            .stream()
            .anyMatch(
                e ->
                    json(sfn.describeExecution(x -> x.executionArn(e.executionArn())).input())
                        .path("parameters")
                        .path("event")
                        .asText()
                        .equals(body)),
        "no execution for a body that is not JSON (max receives " + max + ")");
  }

  @Test
  void endpointsFileLetsStandardClientsFindTheStack() throws Exception {
    String env = Files.readString(stack.settings().endpointsFile());
    for (String k :
        List.of(
            "AWS_ENDPOINT_URL_SQS=",
            "AWS_ENDPOINT_URL_S3=",
            "AWS_ENDPOINT_URL_SFN=",
            "AWS_REGION=us-east-1",
            "AWS_ACCESS_KEY_ID=test",
            "STATE_MACHINE_ARN=",
            "ACTIVATOR_QUEUE_URL=",
            "PROCESSOR_QUEUE_URL=")) {
      assertTrue(env.contains("export " + k), k + " in\n" + env);
    }
    assertTrue(env.contains("export AWS_ENDPOINT_URL_SFN=" + stack.sfnEndpoint()));
    assertFalse(stack.renderedDefinition().contains("${"), "template fully rendered");
  }

  private static String cli(int expectedExit, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String[] all = new String[args.length + 2];
    all[0] = "--data-dir";
    all[1] = stack.dataDir().toString();
    System.arraycopy(args, 0, all, 2, args.length);
    int code = PipelineCli.execute(new PrintWriter(out), new PrintWriter(err), all);
    assertEquals(
        expectedExit,
        code,
        () -> String.join(" ", args) + "\nstdout:\n" + out + "\nstderr:\n" + err);
    return out.toString();
  }
}
