package dev.hsipipeline.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hsipipeline.local.StateMachineTemplate.BatchTiming;
import dev.hsipipeline.local.batch.JobDefinition;
import dev.hsipipeline.local.sfn.asl.AslDefinition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateMachineTemplateTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  @Test
  void taskTimeoutCoversEveryAttemptsRunnableWaitStartAndRun() throws IOException {
    JobDefinition job = job("slow", "{\"attempts\": 3}", "{\"attemptDurationSeconds\": 3600}");

    assertEquals(3 * (3600 + 300 + 3600), new BatchTiming(3600, 300).taskTimeoutSeconds(job));
  }

  @Test
  void aDefinitionWithoutRetryStrategyHasOneAttempt() throws IOException {
    JobDefinition job = job("once", null, "{\"attemptDurationSeconds\": 900}");

    assertEquals(600 + 0 + 900, new BatchTiming(600, 0).taskTimeoutSeconds(job));
  }

  @Test
  void aDefinitionWithoutAttemptDurationIsRejectedByName() throws IOException {
    JobDefinition job = job("unbounded", "{\"attempts\": 2}", null);

    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new BatchTiming(3600, 300).taskTimeoutSeconds(job));
    assertTrue(
        e.getMessage().contains("unbounded")
            && e.getMessage().contains("timeout.attemptDurationSeconds"),
        e.getMessage());
  }

  @Test
  void batchTimingComesFromQueuesJsonAndNamesABadField() throws IOException {
    Path good = tmp.resolve("good.json");
    Files.writeString(
        good, "{\"batch\": {\"runnable_timeout_seconds\": 1200, \"start_allowance_seconds\": 60}}");
    assertEquals(new BatchTiming(1200, 60), BatchTiming.fromSettings(good));

    Path bad = tmp.resolve("bad.json");
    Files.writeString(bad, "{\"batch\": {\"runnable_timeout_seconds\": \"an hour\"}}");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> BatchTiming.fromSettings(bad));
    assertTrue(e.getMessage().contains("batch.runnable_timeout_seconds"), e.getMessage());
  }

  @Test
  void variablesGiveEachJobItsTimeoutAndTheExecutionTheLongestPlusMargin() throws IOException {
    JobDefinition a = job("a", "{\"attempts\": 1}", "{\"attemptDurationSeconds\": 100}");
    JobDefinition b = job("b", "{\"attempts\": 2}", "{\"attemptDurationSeconds\": 200}");

    Map<String, String> vars =
        StateMachineTemplate.variables(
            Map.of("activator", "arn:q"),
            "arn:jq",
            "hsi-data",
            Map.of("a", a, "b", b),
            new BatchTiming(10, 5));

    assertEquals("115", vars.get("a_timeout_seconds"));
    assertEquals("430", vars.get("b_timeout_seconds"));
    assertEquals(
        Long.toString(430 + StateMachineTemplate.EXECUTION_MARGIN_SECONDS),
        vars.get("execution_timeout_seconds"));
    assertEquals("arn:q", vars.get("activator_queue_arn"));
    assertEquals("arn:jq", vars.get("job_queue_arn"));
    assertEquals("hsi-data", vars.get("data_bucket"));
    assertEquals("1", vars.get("a_vcpu"), "whole numbers without a decimal point, like Terraform");
  }

  @Test
  void theRepositoryTemplateRendersToAValidDefinitionWithTheDerivedTimeouts() throws Exception {
    Path repo = StackSettings.findRepoRoot();
    StackSettings settings = StackSettings.defaults(repo);
    Map<String, String> vars = StateMachineTemplate.localVariables(settings);

    String rendered =
        StateMachineTemplate.render(repo.resolve("statemachine/pipeline.asl.json"), vars);

    assertFalse(rendered.contains("${"), rendered);
    AslDefinition.parse(rendered);
    JsonNode sm = JSON.readTree(rendered);
    BatchTiming timing = BatchTiming.fromSettings(settings.queuesJson());
    Map<String, JobDefinition> jobs =
        JobDefinition.loadAll(
            settings.jobsDir(),
            Map.of("processor_queue_url", "q", "data_bucket", "b"),
            settings.region(),
            settings.accountId());
    assertEquals(
        timing.taskTimeoutSeconds(jobs.get("activator")),
        sm.at("/States/ActivatorState/TimeoutSeconds").asLong());
    assertEquals(
        timing.taskTimeoutSeconds(jobs.get("processor")),
        sm.at("/States/ProcessorState/TimeoutSeconds").asLong());
    assertTrue(
        sm.path("TimeoutSeconds").asLong()
            > sm.at("/States/ProcessorState/TimeoutSeconds").asLong());
  }

  private JobDefinition job(String name, String retryStrategy, String timeout) throws IOException {
    Path dir = tmp.resolve(name);
    Files.createDirectories(dir);
    Path file = dir.resolve("job-definition.json");
    Files.writeString(
        file,
        "{\"jobDefinitionName\": \""
            + name
            + "\", \"containerProperties\": {\"command\": [\"Ref::event\"],"
            + " \"resourceRequirements\": [{\"type\": \"VCPU\", \"value\": \"1\"}]}"
            + (retryStrategy == null ? "" : ", \"retryStrategy\": " + retryStrategy)
            + (timeout == null ? "" : ", \"timeout\": " + timeout)
            + "}");
    return JobDefinition.load(file, Map.of(), "us-east-1", "000000000000");
  }
}
