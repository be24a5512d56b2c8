package dev.hsipipeline.terraform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hsipipeline.local.StateMachineTemplate;
import dev.hsipipeline.local.aws.QueueSpec;
import dev.hsipipeline.local.batch.JobDefinition;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The local stack and Terraform deploy the same queues and job definitions: both read them from
 * {@code terraform/queues.json} and {@code batch/<job>/job-definition.json}. This applies the
 * module with the mocked provider ({@code tests/local_stack_agreement.tftest.hcl}), reads the
 * resulting state from {@code terraform test -json -verbose}, and compares it with what the local
 * stack's own loaders ({@link QueueSpec}, {@link JobDefinition}, {@link StateMachineTemplate}) make
 * of the same files.
 */
@ExtendWith(TerraformWorkspace.Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LocalStackAgreementTest {

  static final String STATE_TEST_FILE = "local_stack_agreement.tftest.hcl";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String NAME_PREFIX = "hsi-pipeline-"; // the module's default name_prefix

  /** Keys the module adds to a job definition's containerProperties for AWS only. */
  private static final Set<String> DEPLOYMENT_KEYS =
      Set.of(
          "image",
          "executionRoleArn",
          "jobRoleArn",
          "logConfiguration",
          "fargatePlatformConfiguration",
          "networkConfiguration");

  private TerraformWorkspace tf;
  private Map<String, JsonNode> resources;

  @BeforeAll
  void applyModuleWithMockedProvider(TerraformWorkspace workspace) throws IOException {
    this.tf = workspace;
    TerraformWorkspace.Result r =
        tf.run("test", "-no-color", "-json", "-verbose", "-filter=tests/" + STATE_TEST_FILE);
    JsonNode state = null;
    List<String> errors = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(r.log(), StandardCharsets.UTF_8)) {
      for (String line; (line = in.readLine()) != null; ) {
        if (line.contains("\"type\":\"test_state\"")) {
          state = JSON.readTree(line).path("test_state");
        } else if (line.contains("\"@level\":\"error\"")) {
          errors.add(
              JSON.readTree(line).path("@message").asText()
                  + " "
                  + JSON.readTree(line).path("diagnostic").toString());
        }
      }
    }
    if (r.exitCode() != 0 || state == null) {
      fail(
          "terraform test -json on "
              + STATE_TEST_FILE
              + " failed (exit "
              + r.exitCode()
              + "): "
              + errors
              + (errors.isEmpty() ? "\n" + r.describe() : ""));
    }
    resources = new LinkedHashMap<>();
    for (JsonNode res : state.path("root_module").path("resources")) {
      resources.put(res.path("address").asText(), res.path("values"));
    }
  }

  @Test
  void terraformDeploysExactlyTheQueuesTheLocalStackCreates() {
    Map<String, QueueSpec> local =
        QueueSpec.fromSettingsByRole(tf.repoRoot().resolve("terraform/queues.json"));
    assertEquals(new TreeSet<>(local.keySet()), keys("aws_sqs_queue.main"), "queue roles");
    assertEquals(new TreeSet<>(local.keySet()), keys("aws_sqs_queue.dlq"), "DLQ roles");

    local.forEach(
        (role, spec) -> {
          JsonNode queue = resource("aws_sqs_queue.main[\"" + role + "\"]");
          JsonNode dlq = resource("aws_sqs_queue.dlq[\"" + role + "\"]");
          assertEquals(
              NAME_PREFIX + spec.name(), queue.path("name").asText(), role + " queue name");
          assertEquals(NAME_PREFIX + spec.dlqName(), dlq.path("name").asText(), role + " DLQ name");
          assertEquals(
              spec.visibilityTimeoutSeconds(),
              queue.path("visibility_timeout_seconds").asInt(),
              role + " visibility");
          assertEquals(
              spec.receiveWaitTimeSeconds(),
              queue.path("receive_wait_time_seconds").asInt(),
              role + " long polling");
          assertEquals(
              spec.messageRetentionSeconds(),
              queue.path("message_retention_seconds").asInt(),
              role + " retention");
          assertEquals(
              spec.dlqMessageRetentionSeconds(),
              dlq.path("message_retention_seconds").asInt(),
              role + " DLQ retention");

          JsonNode redrive = parse(queue.path("redrive_policy").asText(), role + " redrive_policy");
          assertEquals(
              spec.maxReceiveCount(),
              redrive.path("maxReceiveCount").asInt(),
              role + " maxReceiveCount");
          assertEquals(
              dlq.path("arn").asText(),
              redrive.path("deadLetterTargetArn").asText(),
              role + " redrive target");
        });
  }

  @Test
  void terraformJobDefinitionsAreTheLocalRunnersPlusDeploymentFacts() {
    JsonNode processorQueue = resource("aws_sqs_queue.main[\"processor\"]");
    String bucket = resource("aws_s3_bucket.data").path("bucket").asText();
    // Render the files as the local runner does, with the values Terraform rendered them with.
    Map<String, JobDefinition> local =
        JobDefinition.loadAll(
            tf.repoRoot().resolve("batch"),
            Map.of(
                "processor_queue_url", processorQueue.path("url").asText(), "data_bucket", bucket),
            "us-east-1",
            "123456789012");
    assertEquals(
        new TreeSet<>(local.keySet()), keys("aws_batch_job_definition.job"), "job definitions");

    local.forEach(
        (name, def) -> {
          JsonNode deployed = resource("aws_batch_job_definition.job[\"" + name + "\"]");
          JsonNode file = def.json();
          assertEquals(NAME_PREFIX + name, deployed.path("name").asText(), name + " name");
          assertEquals(
              file.path("type").asText("container"),
              deployed.path("type").asText(),
              name + " type");
          assertEquals(file.path("parameters"), deployed.path("parameters"), name + " parameters");
          assertEquals(
              file.path("timeout").path("attemptDurationSeconds").asInt(),
              deployed.path("timeout").path(0).path("attempt_duration_seconds").asInt(),
              name + " timeout");

          JsonNode retry = deployed.path("retry_strategy").path(0);
          assertEquals(
              file.path("retryStrategy").path("attempts").asInt(),
              retry.path("attempts").asInt(),
              name + " attempts");
          assertEquals(
              evaluateOnExitFromFile(file.path("retryStrategy").path("evaluateOnExit")),
              evaluateOnExitFromState(retry.path("evaluate_on_exit")),
              name + " evaluateOnExit rules");

          ObjectNode container =
              (ObjectNode)
                  parse(
                      deployed.path("container_properties").asText(),
                      name + " container_properties");
          for (String key : DEPLOYMENT_KEYS) {
            assertNotNull(container.remove(key), name + ": Terraform must add " + key);
          }
          ArrayNode env = (ArrayNode) container.path("environment");
          env.removeIf(e -> e.path("name").asText().equals("AWS_REGION"));
          assertEquals(
              file.path("containerProperties"),
              container,
              name
                  + ": Terraform's containerProperties (minus image, roles, logs, network) must equal the file the local runner reads");
        });
  }

  @Test
  void stateMachineAsksForTheResourcesTheLocalRunnerBudgets() {
    JsonNode definition =
        parse(resource("aws_sfn_state_machine.pipeline").path("definition").asText(), "definition");
    Map<String, JobDefinition> local =
        JobDefinition.loadAll(
            tf.repoRoot().resolve("batch"),
            Map.of("processor_queue_url", "q", "data_bucket", "b"),
            "us-east-1",
            "123456789012");
    for (String job : List.of("activator", "processor")) {
      String state = Character.toUpperCase(job.charAt(0)) + job.substring(1) + "State";
      JsonNode overrides =
          definition.path("States").path(state).path("Parameters").path("ContainerOverrides");
      Map<String, String> requested = new LinkedHashMap<>();
      overrides
          .path("ResourceRequirements")
          .forEach(r -> requested.put(r.path("Type").asText(), r.path("Value").asText()));
      JobDefinition def = local.get(job);
      assertNotNull(def, "local job definition " + job);
      assertEquals(
          def.vcpus(), Double.parseDouble(requested.getOrDefault("VCPU", "NaN")), job + " VCPU");
      assertEquals(
          def.memoryMib(),
          Integer.parseInt(requested.getOrDefault("MEMORY", "-1")),
          job + " MEMORY");
    }
  }

  @Test
  void stateMachineTimeoutsAreTheOnesTheLocalStackDerives() {
    JsonNode definition =
        parse(resource("aws_sfn_state_machine.pipeline").path("definition").asText(), "definition");
    Map<String, JobDefinition> local =
        JobDefinition.loadAll(
            tf.repoRoot().resolve("batch"),
            Map.of("processor_queue_url", "q", "data_bucket", "b"),
            "us-east-1",
            "123456789012");
    Map<String, String> vars =
        StateMachineTemplate.variables(
            Map.of(),
            "arn:aws:batch:us-east-1:123456789012:job-queue/x",
            "b",
            local,
            StateMachineTemplate.BatchTiming.fromSettings(
                tf.repoRoot().resolve("terraform/queues.json")));
    for (String job : List.of("activator", "processor")) {
      String state = Character.toUpperCase(job.charAt(0)) + job.substring(1) + "State";
      assertEquals(
          Long.parseLong(vars.get(job + "_timeout_seconds")),
          definition.path("States").path(state).path("TimeoutSeconds").asLong(),
          job + " task TimeoutSeconds");
    }
    assertEquals(
        Long.parseLong(vars.get("execution_timeout_seconds")),
        definition.path("TimeoutSeconds").asLong(),
        "execution TimeoutSeconds");
  }

  private JsonNode resource(String address) {
    JsonNode r = resources.get(address);
    if (r == null) {
      fail("no " + address + " in the applied state; resources: " + resources.keySet());
    }
    return r;
  }

  /** The instance keys of a for_each resource, e.g. {activator, processor}. */
  private Set<String> keys(String resource) {
    Set<String> keys = new TreeSet<>();
    String prefix = resource + "[\"";
    for (String address : resources.keySet()) {
      if (address.startsWith(prefix)) {
        keys.add(address.substring(prefix.length(), address.length() - 2));
      }
    }
    return keys;
  }

  private static List<List<String>> evaluateOnExitFromFile(JsonNode rules) {
    List<List<String>> out = new ArrayList<>();
    rules.forEach(
        r ->
            out.add(
                rule(
                    r.path("action"),
                    r.path("onExitCode"),
                    r.path("onReason"),
                    r.path("onStatusReason"))));
    return out;
  }

  private static List<List<String>> evaluateOnExitFromState(JsonNode rules) {
    List<List<String>> out = new ArrayList<>();
    rules.forEach(
        r ->
            out.add(
                rule(
                    r.path("action"),
                    r.path("on_exit_code"),
                    r.path("on_reason"),
                    r.path("on_status_reason"))));
    return out;
  }

  private static List<String> rule(
      JsonNode action, JsonNode exitCode, JsonNode reason, JsonNode statusReason) {
    List<String> r = new ArrayList<>();
    r.add(action.asText().toUpperCase(java.util.Locale.ROOT));
    for (JsonNode n : List.of(exitCode, reason, statusReason)) {
      r.add(n.isMissingNode() || n.isNull() ? null : n.asText());
    }
    return r;
  }

  private static JsonNode parse(String json, String what) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      return fail(what + " is not JSON: " + json, e);
    }
  }
}
