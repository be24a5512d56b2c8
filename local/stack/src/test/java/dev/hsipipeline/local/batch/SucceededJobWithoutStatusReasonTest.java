package dev.hsipipeline.local.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hsipipeline.local.LocalStack;
import dev.hsipipeline.local.StackSettings;
import dev.hsipipeline.local.StateMachineTemplate;
import dev.hsipipeline.local.integrations.S3GetObjectTask;
import dev.hsipipeline.local.integrations.TaskRouter;
import dev.hsipipeline.local.sfn.ExecutionInfo;
import dev.hsipipeline.local.sfn.StepFunctionsLocal;
import dev.hsipipeline.local.testjobs.TestJobs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * The shipped state machine against the local Batch runner, which omits {@code StatusReason} from a
 * SUCCEEDED job as DescribeJobs may: the repository's {@code ResultSelector} (JobId, JobName,
 * Status) lets a good job succeed, and the same definition with {@code "StatusReason.$"} added
 * fails the execution with {@code States.Runtime} — what it would do on AWS, uncaught by the {@code
 * States.ALL} Catch.
 */
class SucceededJobWithoutStatusReasonTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String REGION = "us-east-1";
  private static final String ACCOUNT = "000000000000";
  private static final String ACTIVATOR_QUEUE =
      "arn:aws:sqs:" + REGION + ":" + ACCOUNT + ":activator-queue";

  @TempDir static Path jobsDir;
  @TempDir Path dataDir;
  private static Map<String, JobDefinition> defs;
  private static String shipped;
  private BatchRunner batch;
  private StepFunctionsLocal sfn;

  @BeforeAll
  static void definitions() throws Exception {
    // Test jobs named like the pipeline's, so the real template renders against them.
    for (String job : new String[] {"activator", "processor"}) {
      TestJobs.create(jobsDir, job, TestJobs.definition(job, 1, 1, 60));
    }
    defs = JobDefinition.loadAll(jobsDir, Map.of("data_bucket", "hsi-data"), REGION, ACCOUNT);
    Path repo = StackSettings.findRepoRoot();
    shipped =
        StateMachineTemplate.render(
            repo.resolve("statemachine/pipeline.asl.json"),
            StateMachineTemplate.variables(
                Map.of(
                    "activator",
                    ACTIVATOR_QUEUE,
                    "processor",
                    "arn:aws:sqs:" + REGION + ":" + ACCOUNT + ":processor-queue"),
                BatchSettings.jobQueueArn(REGION, ACCOUNT),
                "hsi-data",
                defs,
                StateMachineTemplate.BatchTiming.fromSettings(
                    repo.resolve("terraform/queues.json"))));
  }

  @BeforeEach
  void start() throws Exception {
    Files.createDirectories(dataDir);
    batch =
        new BatchRunner(
            new BatchSettings(
                dataDir,
                REGION,
                ACCOUNT,
                2,
                Map.of("AWS_REGION", REGION),
                BatchSettings.currentJava(),
                2000,
                false),
            defs);
    sfn =
        StepFunctionsLocal.builder()
            .host("127.0.0.1")
            .port(0)
            .region(REGION)
            .accountId(ACCOUNT)
            .taskInvoker(
                TaskRouter.of(
                    Map.of(
                        "arn:aws:states:::batch:",
                        batch,
                        S3GetObjectTask.RESOURCE,
                        // The outcome read is not under test here: answer what a job writes.
                        invocation ->
                            JSON.createObjectNode()
                                .put("Body", "{\"status\":\"done\",\"message\":\"ok\"}"))))
            .build();
    sfn.start();
  }

  @AfterEach
  void stop() {
    if (sfn != null) {
      sfn.close();
    }
    if (batch != null) {
      batch.close();
    }
  }

  @Test
  void theShippedResultSelectorLetsASucceededJobWithoutStatusReasonSucceed() throws Exception {
    ExecutionInfo done = runActivator("shipped", shipped);

    assertEquals("SUCCEEDED", done.status(), () -> done.error() + ": " + done.cause());
    JsonNode job = onlyJobRecord();
    assertEquals("SUCCEEDED", job.path("status").asText());
    assertFalse(job.has("statusReason"), "the runner must omit it: " + job);
  }

  @Test
  void aResultSelectorThatNeedsStatusReasonFailsTheExecutionWithStatesRuntime() throws Exception {
    String fragile =
        shipped.replaceFirst(
            "\"Status\\.\\$\"\\s*:\\s*\"\\$\\.Status\"",
            "\"Status.\\$\": \"\\$.Status\", \"StatusReason.\\$\": \"\\$.StatusReason\"");
    assertTrue(fragile.contains("StatusReason.$"), "the ResultSelector was not found to change");

    ExecutionInfo done = runActivator("fragile", fragile);

    assertEquals("FAILED", done.status());
    assertEquals("States.Runtime", done.error(), done.cause());
    assertTrue(done.cause().contains("StatusReason"), done.cause());
    assertEquals("SUCCEEDED", onlyJobRecord().path("status").asText(), "the job itself succeeded");
  }

  private ExecutionInfo runActivator(String machine, String definition) {
    String smArn =
        sfn.createOrUpdateStateMachine(
            machine, definition, "arn:aws:iam::" + ACCOUNT + ":role/hsi-pipeline-state-machine");
    String input =
        JSON.createObjectNode()
            .put("eventSourceARN", ACTIVATOR_QUEUE)
            .put("messageId", "m-1")
            .set("parameters", JSON.createObjectNode().put("event", "{\"scene\":\"s3://b/k\"}"))
            .toString();
    String executionArn = startExecution(smArn, input);
    return Awaitility.await("the execution ending")
        .atMost(Duration.ofSeconds(90))
        .until(() -> sfn.execution(executionArn), e -> e != null && !"RUNNING".equals(e.status()));
  }

  private String startExecution(String smArn, String input) {
    try (SfnClient client =
        SfnClient.builder()
            .endpointOverride(sfn.endpoint())
            .region(Region.of(REGION))
            .credentialsProvider(LocalStack.credentials())
            .httpClient(UrlConnectionHttpClient.create())
            .build()) {
      return client
          .startExecution(b -> b.stateMachineArn(smArn).name("run-1").input(input))
          .executionArn();
    }
  }

  private JsonNode onlyJobRecord() throws Exception {
    Path jobs = dataDir.resolve("batch").resolve("jobs");
    try (Stream<Path> files = Files.list(jobs)) {
      List<Path> records = files.filter(p -> p.toString().endsWith(".json")).toList();
      assertEquals(1, records.size(), () -> "job records: " + records);
      return JSON.readTree(records.get(0).toFile());
    }
  }
}
