package dev.hsipipeline.bench.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hsipipeline.local.StackSettings;
import dev.hsipipeline.local.sfn.StepFunctionsLocal;
import dev.hsipipeline.trigger.internal.ExecutionNames;
import dev.hsipipeline.trigger.internal.Json;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * The Python peer of benchmarks 1 and 2 ({@code bench/peers/trigger_boto3.py}) must do what the
 * Java handler does, or the ratio compares different work: same execution names, same input, same
 * idempotency and the same partial batch response, checked against the handler's own {@link
 * ExecutionNames} and {@link Json} on a real local Step Functions API.
 */
class TriggerPeerTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void pythonPeerStartsTheSameExecutionsAsTheJavaHandler(@TempDir Path dir) throws Exception {
    assumeTrue(
        Processes.available("python3", "-c", "import boto3"),
        "python3 with boto3 is not installed");
    Path peer = StackSettings.findRepoRoot().resolve("bench/peers/trigger_boto3.py");
    String plain = "0b6c1c56-1f2a-4d39-9a51-4c1c3c1d2e3f";
    String odd = "msg:with/odd chars ü 😀";
    String longId = "x".repeat(100);
    String notJson = "not-json-1";
    String stolen = "stolen-name";
    try (StepFunctionsLocal sfnLocal =
            StepFunctionsLocal.builder()
                .host("127.0.0.1")
                .port(0)
                .hotExecutions(0)
                .build()
                .start();
        SfnClient sfn =
            SfnClient.builder()
                .endpointOverride(URI.create(sfnLocal.endpoint().toString()))
                .region(Region.US_EAST_1)
                .httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(
                    StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .build()) {
      Map<String, String> env = TriggerBenches.env(sfnLocal);
      String smArn = env.get("STATE_MACHINE_ARN");
      // Another message already owns the name "stolen-name": a collision, not a redelivery.
      sfn.startExecution(
          b ->
              b.stateMachineArn(smArn)
                  .name(stolen)
                  .input(
                      Json.executionInput(
                          TriggerBenches.QUEUE_ARN, "activator-queue", "someone-else", "{}")));

      ArrayNode records = JSON.createArrayNode();
      for (String id :
          List.of(plain, odd, longId, plain, stolen)) { // plain twice: a redelivery in one batch
        record(records, id, "{\"scene\":\"s3://hsi-data/scenes/" + id.length() + ".hdr\"}");
      }
      record(records, notJson, "scene=not json");
      ObjectNode event = JSON.createObjectNode().set("Records", records);
      Path file = dir.resolve("event.json");
      Files.writeString(file, JSON.writeValueAsString(event));

      Processes.Run run =
          Processes.run(
              List.of("python3", peer.toString(), "event", file.toString()),
              env,
              dir.resolve("peer.log"),
              120);

      List<String> failed = new ArrayList<>();
      run.result()
          .path("batchItemFailures")
          .forEach(f -> failed.add(f.path("itemIdentifier").asText()));
      assertEquals(List.of(stolen, notJson), failed, run.output());
      for (String id : List.of(plain, odd, longId)) {
        String name = ExecutionNames.fromMessageId(id);
        JsonNode record = records.get(List.of(plain, odd, longId).indexOf(id));
        String input =
            sfn.describeExecution(
                    b ->
                        b.executionArn(smArn.replace(":stateMachine:", ":execution:") + ":" + name))
                .input();
        assertEquals(
            Json.executionInput(
                TriggerBenches.QUEUE_ARN, "activator-queue", id, record.path("body").asText()),
            input,
            "execution input for message id " + id);
      }
      assertEquals(
          4,
          sfn.listExecutions(b -> b.stateMachineArn(smArn)).executions().size(),
          "one execution per distinct JSON message plus the pre-existing one");
      assertTrue(run.output().contains("execution name collision"), run.output());
      assertTrue(run.output().contains("body is not valid JSON"), run.output());
    }
  }

  private static void record(ArrayNode records, String id, String body) {
    records
        .addObject()
        .put("messageId", id)
        .put("receiptHandle", "rh-" + id)
        .put("body", body)
        .put("eventSource", "aws:sqs")
        .put("eventSourceARN", TriggerBenches.QUEUE_ARN)
        .put("awsRegion", "us-east-1");
  }
}
