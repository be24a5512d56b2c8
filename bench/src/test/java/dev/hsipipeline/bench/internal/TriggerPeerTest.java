package dev.hsipipeline.bench.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hsipipeline.local.StackSettings;
import dev.hsipipeline.local.sfn.StepFunctionsLocal;
import dev.hsipipeline.trigger.ExecutionNames;
import dev.hsipipeline.trigger.SfnTriggerHandler;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
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
 * Java handler does, or the ratio compares different work: the peer and the deployable handler get
 * the same batch, each against its own state machine on a real local Step Functions API, and must
 * start executions with the same names ({@link ExecutionNames}) and byte-identical inputs, and
 * report the same partial batch failures.
 */
class TriggerPeerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PASS =
      "{\"StartAt\":\"Accept\",\"States\":{\"Accept\":{\"Type\":\"Pass\",\"End\":true}}}";
  private static final String OTHER_MESSAGE_INPUT =
      "{\"eventSourceARN\":\""
          + TriggerBenches.QUEUE_ARN
          + "\",\"queueName\":\"activator-queue\",\"messageId\":\"someone-else\","
          + "\"parameters\":{\"event\":\"{}\"}}";

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
      String peerSm = env.get("STATE_MACHINE_ARN");
      Map<String, String> javaEnv = new HashMap<>(env);
      String javaSm =
          sfnLocal.createOrUpdateStateMachine(
              "java-handler", PASS, "arn:aws:iam::000000000000:role/bench");
      javaEnv.put("STATE_MACHINE_ARN", javaSm);
      // Another message already owns the name "stolen-name": a collision, not a redelivery.
      for (String sm : List.of(peerSm, javaSm)) {
        sfn.startExecution(b -> b.stateMachineArn(sm).name(stolen).input(OTHER_MESSAGE_INPUT));
      }

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
      List<String> peerFailed = new ArrayList<>();
      run.result()
          .path("batchItemFailures")
          .forEach(f -> peerFailed.add(f.path("itemIdentifier").asText()));
      List<String> javaFailed = new ArrayList<>();
      try (SfnTriggerHandler handler = new SfnTriggerHandler(javaEnv)) {
        handler
            .handleRequest(sqsEvent(records), null)
            .getBatchItemFailures()
            .forEach(f -> javaFailed.add(f.getItemIdentifier()));
      }

      assertEquals(List.of(stolen, notJson), javaFailed, "the Java handler's partial failures");
      assertEquals(javaFailed, peerFailed, run.output());
      for (String id : List.of(plain, odd, longId)) {
        String name = ExecutionNames.fromMessageId(id);
        assertEquals(
            input(sfn, javaSm, name), input(sfn, peerSm, name), "execution input for " + id);
      }
      for (String sm : List.of(peerSm, javaSm)) {
        assertEquals(
            4,
            sfn.listExecutions(b -> b.stateMachineArn(sm)).executions().size(),
            "one execution per distinct JSON message plus the pre-existing one on " + sm);
      }
      assertTrue(run.output().contains("execution name collision"), run.output());
      assertTrue(run.output().contains("body is not valid JSON"), run.output());
    }
  }

  private static String input(SfnClient sfn, String stateMachineArn, String name) {
    String executionArn = stateMachineArn.replace(":stateMachine:", ":execution:") + ":" + name;
    return sfn.describeExecution(b -> b.executionArn(executionArn)).input();
  }

  private static SQSEvent sqsEvent(ArrayNode records) {
    List<SQSMessage> messages = new ArrayList<>();
    for (JsonNode r : records) {
      SQSMessage m = new SQSMessage();
      m.setMessageId(r.path("messageId").asText());
      m.setReceiptHandle(r.path("receiptHandle").asText());
      m.setBody(r.path("body").asText());
      m.setEventSource(r.path("eventSource").asText());
      m.setEventSourceArn(r.path("eventSourceARN").asText());
      m.setAwsRegion(r.path("awsRegion").asText());
      messages.add(m);
    }
    SQSEvent event = new SQSEvent();
    event.setRecords(messages);
    return event;
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
