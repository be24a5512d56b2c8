package dev.hsipipeline.local.sfn.asl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Runs the repository's own statemachine/pipeline.asl.json, rendered as Terraform would. */
class PipelineDefinitionTest {
  static final ObjectMapper MAPPER = new ObjectMapper();
  static final String ACTIVATOR_ARN = "arn:aws:sqs:us-east-1:000000000000:activator-queue";
  static final String PROCESSOR_ARN = "arn:aws:sqs:us-east-1:000000000000:processor-queue";
  static final ExecutionContext CONTEXT =
      new ExecutionContext(
          "arn:aws:states:us-east-1:000000000000:execution:pipeline:msg-1",
          "msg-1",
          Instant.parse("2025-01-01T00:00:00Z"),
          "arn:aws:iam::000000000000:role/sfn",
          "arn:aws:states:us-east-1:000000000000:stateMachine:pipeline",
          "pipeline");

  // Distinct values, so each is seen to land in its own state.
  static final int ACTIVATOR_TIMEOUT = 14_400;
  static final int PROCESSOR_TIMEOUT = 22_500;
  static final int EXECUTION_TIMEOUT = 23_400;

  static AslDefinition definition;

  /** Renders the ${...} placeholders the way Terraform's templatefile does. */
  static String renderedPipeline() throws IOException {
    String template = Files.readString(Path.of("../../statemachine/pipeline.asl.json"));
    Map<String, String> values =
        Map.ofEntries(
            Map.entry("activator_queue_arn", ACTIVATOR_ARN),
            Map.entry("processor_queue_arn", PROCESSOR_ARN),
            Map.entry("data_bucket", "hsi-data"),
            Map.entry("job_queue_arn", "arn:aws:batch:us-east-1:000000000000:job-queue/pipeline"),
            Map.entry(
                "activator_job_definition_arn",
                "arn:aws:batch:us-east-1:000000000000:job-definition/activator:1"),
            Map.entry(
                "processor_job_definition_arn",
                "arn:aws:batch:us-east-1:000000000000:job-definition/processor:1"),
            Map.entry("activator_vcpu", "1"),
            Map.entry("activator_memory_mib", "2048"),
            Map.entry("processor_vcpu", "2"),
            Map.entry("processor_memory_mib", "4096"),
            Map.entry("activator_timeout_seconds", Integer.toString(ACTIVATOR_TIMEOUT)),
            Map.entry("processor_timeout_seconds", Integer.toString(PROCESSOR_TIMEOUT)),
            Map.entry("execution_timeout_seconds", Integer.toString(EXECUTION_TIMEOUT)));
    String out = template;
    for (Map.Entry<String, String> e : values.entrySet()) {
      out = out.replace("${" + e.getKey() + "}", e.getValue());
    }
    assertTrue(!out.contains("${"), "every placeholder rendered");
    return out;
  }

  @BeforeAll
  static void parse() throws Exception {
    definition = AslDefinition.parse(renderedPipeline());
  }

  static ObjectNode input(String sourceArn) {
    ObjectNode in = MAPPER.createObjectNode();
    in.put("eventSourceARN", sourceArn);
    in.put("queueName", "q");
    in.put("messageId", "msg-1");
    in.putObject("parameters").put("event", "{\"scene\":\"s3://hsi-data/scenes/a.hdr\"}");
    return in;
  }

  static JsonNode batchResult(String jobName) {
    ObjectNode r = MAPPER.createObjectNode();
    r.put("JobId", "job-1");
    r.put("JobName", jobName);
    r.put("Status", "SUCCEEDED");
    r.put("StatusReason", "Essential container in task exited");
    r.put("JobQueue", "q");
    r.putObject("Container").put("ExitCode", 0);
    return r;
  }

  /** What S3 GetObject answers for the outcome a job wrote (its Body is a string). */
  static JsonNode outcomeObject(String status) {
    ObjectNode r = MAPPER.createObjectNode();
    r.put("Body", "{\"status\":\"" + status + "\",\"message\":\"same ETag and size\"}");
    r.put("ContentLength", 40);
    return r;
  }

  @Test
  void anUnreadableOutcomeIsReportedAndTheExecutionStillSucceeds() {
    ScriptedTasks tasks =
        new ScriptedTasks()
            .script("ActivatorState", ScriptedTasks.Step.of(batchResult("activator")))
            .script(
                "ReadJobOutcome",
                ScriptedTasks.Step.of(
                    read("{\"error\":\"S3.NoSuchKeyException\",\"cause\":\"no such key\"}")));
    ExecutionOutcome out =
        new AslInterpreter()
            .execute(definition, input(ACTIVATOR_ARN), CONTEXT, tasks, HistorySink.NONE);

    assertEquals(
        ExecutionOutcome.Status.SUCCEEDED, out.status(), () -> out.error() + ": " + out.cause());
    JsonNode outcome = out.output().get("outcome");
    assertEquals("unreported", outcome.get("status").asText(), outcome::toString);
    assertEquals("S3.NoSuchKeyException", outcome.get("error").asText());
    assertEquals("no such key", outcome.get("cause").asText());
  }

  @Test
  void activatorMessageRunsTheActivatorJobAndKeepsOnlySelectedFields() {
    ScriptedTasks tasks =
        new ScriptedTasks()
            .script("ActivatorState", ScriptedTasks.Step.of(batchResult("activator")))
            .script("ReadJobOutcome", ScriptedTasks.Step.of(outcomeObject("unchanged")));
    RecordingHistory history = new RecordingHistory();
    ExecutionOutcome out =
        new AslInterpreter().execute(definition, input(ACTIVATOR_ARN), CONTEXT, tasks, history);

    assertEquals(
        ExecutionOutcome.Status.SUCCEEDED, out.status(), () -> out.error() + ": " + out.cause());
    JsonNode job = out.output().get("job");
    assertEquals("job-1", job.get("JobId").asText());
    assertEquals("activator", job.get("JobName").asText());
    assertEquals(3, job.size(), "ResultSelector keeps JobId, JobName, Status only: " + job);
    assertEquals(
        "msg-1", out.output().get("messageId").asText(), "ResultPath $.job keeps the input");
    assertEquals(
        read("{\"status\":\"unchanged\",\"message\":\"same ETag and size\"}"),
        out.output().get("outcome"),
        "the job's own outcome is the execution output's outcome");
    TaskInvocation outcomeRead = tasks.invocations().get(1);
    assertEquals("arn:aws:states:::aws-sdk:s3:getObject", outcomeRead.resource());
    assertEquals(
        read("{\"Bucket\":\"hsi-data\",\"Key\":\"outcomes/msg-1/activator.json\"}"),
        outcomeRead.parameters(),
        "the outcome is read where the job was told to write it");
    assertEquals(
        "s3://hsi-data/outcomes/msg-1/activator.json",
        tasks
            .invocations()
            .get(0)
            .parameters()
            .at("/ContainerOverrides/Environment/2/Value")
            .asText());

    TaskInvocation call = tasks.invocations().get(0);
    assertEquals("arn:aws:states:::batch:submitJob.sync", call.resource());
    assertEquals(ACTIVATOR_TIMEOUT, call.timeoutSeconds(), "the rendered activator timeout");
    JsonNode p = call.parameters();
    assertEquals("activator", p.get("JobName").asText());
    assertEquals(
        "arn:aws:batch:us-east-1:000000000000:job-definition/activator:1",
        p.get("JobDefinition").asText());
    assertEquals(input(ACTIVATOR_ARN).get("parameters"), p.get("Parameters"));
    JsonNode env = p.at("/ContainerOverrides/Environment");
    assertEquals(CONTEXT.executionArn(), env.get(0).get("Value").asText(), "$$.Execution.Id");
    assertEquals("msg-1", env.get(1).get("Value").asText());
    assertEquals("2048", p.at("/ContainerOverrides/ResourceRequirements/1/Value").asText());

    assertEquals(
        List.of(
            "ExecutionStarted",
            "ChoiceStateEntered",
            "ChoiceStateExited",
            "TaskStateEntered",
            "TaskScheduled",
            "TaskStarted",
            "TaskSucceeded",
            "TaskStateExited",
            "TaskStateEntered",
            "TaskScheduled",
            "TaskStarted",
            "TaskSucceeded",
            "TaskStateExited",
            "PassStateEntered",
            "PassStateExited",
            "ExecutionSucceeded"),
        history.types());
    RecordingHistory.Event scheduled = history.ofType("TaskScheduled").get(0);
    assertEquals("batch", scheduled.details().get("resourceType").asText());
    assertEquals("submitJob.sync", scheduled.details().get("resource").asText());
    assertEquals("us-east-1", scheduled.details().get("region").asText());
    assertTrue(scheduled.details().get("parameters").isTextual(), "parameters is a JSON string");
    for (RecordingHistory.Event e : history.events()) {
      if (e.id() > 1) {
        assertEquals(e.id() - 1, e.previousEventId(), "sequential events chain to the one before");
      }
    }
  }

  @Test
  void processorMessageRunsTheProcessorJob() {
    ScriptedTasks tasks =
        new ScriptedTasks()
            .script("ProcessorState", ScriptedTasks.Step.of(batchResult("processor")))
            .script("ReadJobOutcome", ScriptedTasks.Step.of(outcomeObject("done")));
    ExecutionOutcome out =
        new AslInterpreter()
            .execute(definition, input(PROCESSOR_ARN), CONTEXT, tasks, HistorySink.NONE);
    assertEquals(ExecutionOutcome.Status.SUCCEEDED, out.status());
    assertEquals("processor", tasks.invocations().get(0).parameters().get("JobName").asText());
    assertEquals(PROCESSOR_TIMEOUT, tasks.invocations().get(0).timeoutSeconds());
    assertEquals(
        "4096",
        tasks
            .invocations()
            .get(0)
            .parameters()
            .at("/ContainerOverrides/ResourceRequirements/1/Value")
            .asText());
  }

  @Test
  void aSucceededJobWithoutStatusReasonSucceedsTheExecution() {
    // AWS may omit optional DescribeJobs fields; a path to one in ResultSelector would fail the
    // execution with States.Runtime, which no Catch (not even States.ALL) handles.
    ObjectNode result = (ObjectNode) batchResult("activator");
    result.remove("StatusReason");
    result.remove("Container");
    ScriptedTasks tasks =
        new ScriptedTasks()
            .script("ActivatorState", ScriptedTasks.Step.of(result))
            .script("ReadJobOutcome", ScriptedTasks.Step.of(outcomeObject("done")));
    ExecutionOutcome out =
        new AslInterpreter()
            .execute(definition, input(ACTIVATOR_ARN), CONTEXT, tasks, HistorySink.NONE);

    assertEquals(
        ExecutionOutcome.Status.SUCCEEDED, out.status(), () -> out.error() + ": " + out.cause());
    assertEquals(
        read("{\"JobId\":\"job-1\",\"JobName\":\"activator\",\"Status\":\"SUCCEEDED\"}"),
        out.output().get("job"));
  }

  @Test
  void executionTimeoutIsTheRenderedOneAndCoversEveryTask() {
    assertEquals(EXECUTION_TIMEOUT, definition.timeoutSeconds());
    assertTrue(EXECUTION_TIMEOUT > Math.max(ACTIVATOR_TIMEOUT, PROCESSOR_TIMEOUT));
  }

  @Test
  void unknownSourceEndsInFailureStateWithDefaultStateError() {
    RecordingHistory history = new RecordingHistory();
    ExecutionOutcome out =
        new AslInterpreter()
            .execute(
                definition,
                input("arn:aws:sqs:us-east-1:000000000000:other"),
                CONTEXT,
                new ScriptedTasks(),
                history);
    assertEquals(ExecutionOutcome.Status.FAILED, out.status());
    assertEquals("DefaultStateError", out.error());
    assertEquals(
        "No job handles messages from queue arn:aws:sqs:us-east-1:000000000000:other: only the"
            + " activator and processor queues of this pipeline start jobs.",
        out.cause());
    assertEquals(
        List.of(
            "ExecutionStarted",
            "ChoiceStateEntered",
            "ChoiceStateExited",
            "FailStateEntered",
            "ExecutionFailed"),
        history.types());
  }

  @Test
  void failedJobIsRecordedWithItsInputThenFailsWithTheJobsErrorAndCause() {
    ScriptedTasks tasks =
        new ScriptedTasks()
            .script(
                "ActivatorState",
                new ScriptedTasks.Step(
                    null,
                    "States.TaskFailed",
                    "{\"Status\":\"FAILED\",\"StatusReason\":\"exit 2\"}",
                    0));
    RecordingHistory history = new RecordingHistory();
    ExecutionOutcome out =
        new AslInterpreter().execute(definition, input(ACTIVATOR_ARN), CONTEXT, tasks, history);

    assertEquals(ExecutionOutcome.Status.FAILED, out.status());
    assertEquals("States.TaskFailed", out.error());
    assertEquals("{\"Status\":\"FAILED\",\"StatusReason\":\"exit 2\"}", out.cause());
    assertEquals(1, tasks.invocations().size(), "States.TaskFailed is not in the Retry list");
    RecordingHistory.Event recorded = history.ofType("PassStateExited").get(0);
    assertEquals("RecordActivatorFailure", recorded.details().get("name").asText());
    JsonNode record = read(recorded.details().get("output").asText());
    assertEquals("ActivatorState", record.get("failedState").asText());
    assertEquals("msg-1", record.at("/input/messageId").asText());
    assertEquals("States.TaskFailed", record.get("error").asText());
    assertTrue(
        history
            .types()
            .containsAll(
                List.of("TaskFailed", "PassStateEntered", "FailStateEntered", "ExecutionFailed")));
  }

  @Test
  void batchServerExceptionIsRetriedWithCappedJitteredBackoff() {
    ScriptedTasks tasks =
        new ScriptedTasks()
            .script(
                "ProcessorState",
                new ScriptedTasks.Step(null, "Batch.ServerException", "500", 0),
                new ScriptedTasks.Step(null, "Batch.ServerException", "500", 0),
                new ScriptedTasks.Step(null, "Batch.TooManyRequestsException", "429", 0),
                ScriptedTasks.Step.of(batchResult("processor")))
            .script("ReadJobOutcome", ScriptedTasks.Step.of(outcomeObject("done")));
    List<Duration> sleeps = new ArrayList<>();
    ExecutionOutcome out =
        new AslInterpreter(sleeps::add)
            .execute(definition, input(PROCESSOR_ARN), CONTEXT, tasks, HistorySink.NONE);

    assertEquals(
        ExecutionOutcome.Status.SUCCEEDED, out.status(), () -> out.error() + ": " + out.cause());
    List<TaskInvocation> submits =
        tasks.invocations().stream().filter(i -> i.resource().contains(":batch:")).toList();
    assertEquals(4, submits.size());
    assertEquals(List.of(1, 2, 3, 4), submits.stream().map(TaskInvocation::attempt).toList());
    assertEquals(3, sleeps.size());
    long[] caps = {2000, 4000, 8000}; // IntervalSeconds 2, BackoffRate 2, FULL jitter → [0, cap]
    for (int i = 0; i < sleeps.size(); i++) {
      long ms = sleeps.get(i).toMillis();
      assertTrue(
          ms >= 0 && ms <= caps[i], "retry " + (i + 1) + " slept " + ms + " ms, cap " + caps[i]);
    }
  }

  @Test
  void batchServerExceptionExhaustingRetriesIsCaughtAndRecorded() {
    ScriptedTasks tasks =
        new ScriptedTasks()
            .script(
                "ActivatorState",
                new ScriptedTasks.Step(null, "Batch.ServerException", "still down", 0));
    ExecutionOutcome out =
        new AslInterpreter(d -> {})
            .execute(definition, input(ACTIVATOR_ARN), CONTEXT, tasks, HistorySink.NONE);
    assertEquals(7, tasks.invocations().size(), "1 try + MaxAttempts 6");
    assertEquals("Batch.ServerException", out.error());
    assertEquals("still down", out.cause());
  }

  static JsonNode read(String s) {
    try {
      return MAPPER.readTree(s);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
