package dev.hsipipeline.trigger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hsipipeline.trigger.internal.BatchStarter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/** The handler against the real local Step Functions API and S3 over HTTP, real SDK clients. */
class SfnTriggerHandlerTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dataDir;
  static LocalAws aws;

  @BeforeAll
  static void start() {
    aws = new LocalAws(dataDir);
  }

  @AfterAll
  static void stop() {
    if (aws != null) aws.close();
  }

  private static SfnTriggerHandler handler(String stateMachineArn) {
    return new SfnTriggerHandler(aws.env(stateMachineArn));
  }

  private static SfnTriggerHandler handler(Map<String, String> env) {
    return new SfnTriggerHandler(env);
  }

  private static List<String> failedIds(SQSBatchResponse r) {
    return r.getBatchItemFailures().stream()
        .map(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
        .toList();
  }

  @ParameterizedTest
  @Event(value = "sqs/one-record.json", type = SQSEvent.class)
  void startsOneExecutionPerRecordWithTheContractInput(SQSEvent event) throws Exception {
    String sm = aws.newStateMachine();
    try (var h = handler(sm)) {
      SQSBatchResponse response = h.handleRequest(event, null);
      assertEquals(List.of(), response.getBatchItemFailures());
    }
    SQSMessage m = event.getRecords().get(0);
    List<ExecutionListItem> executions = aws.executions(sm);
    assertEquals(1, executions.size());
    assertEquals(m.getMessageId(), executions.get(0).name());
    String arn = executions.get(0).executionArn();
    JsonNode input = JSON.readTree(aws.sfn.describeExecution(b -> b.executionArn(arn)).input());
    JsonNode expected =
        JSON.createObjectNode()
            .put("eventSourceARN", "arn:aws:sqs:us-east-1:000000000000:activator-queue")
            .put("queueName", "activator-queue")
            .put("messageId", m.getMessageId())
            .set("parameters", JSON.createObjectNode().put("event", m.getBody()));
    assertEquals(expected, input);
    assertEquals(ExecutionStatus.SUCCEEDED, aws.awaitEnd(arn));
  }

  @ParameterizedTest
  @Event(value = "sqs/ten-records.json", type = SQSEvent.class)
  void duplicateDeliveryStartsNoSecondExecution(SQSEvent event) {
    String sm = aws.newStateMachine();
    try (var h = handler(sm)) {
      assertEquals(List.of(), h.handleRequest(event, null).getBatchItemFailures());
      // The same batch again (e.g. the function timed out after starting, SQS redelivers).
      assertEquals(List.of(), h.handleRequest(event, null).getBatchItemFailures());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    try (var h = handler(sm)) {
      // A fresh instance (another execution environment) sees the same names.
      assertEquals(List.of(), h.handleRequest(event, null).getBatchItemFailures());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    List<ExecutionListItem> executions = aws.executions(sm);
    assertEquals(10, executions.size());
    Set<String> names = new HashSet<>();
    executions.forEach(x -> names.add(x.name()));
    event.getRecords().forEach(r -> assertTrue(names.contains(r.getMessageId()), r.getMessageId()));
  }

  @Test
  void redeliveryWithDifferentlyShapedInputIsStillADuplicate() throws Exception {
    String sm = aws.newStateMachine();
    String body = "{\"scene\":\"" + "x".repeat(500) + "\"}";
    SQSEvent event =
        Events.of(Events.message(UUID.randomUUID().toString(), body, "activator-queue"));
    try (var h = handler(sm)) {
      assertEquals(List.of(), h.handleRequest(event, null).getBatchItemFailures());
    }
    // Redeployed meanwhile with a smaller inline limit: the redelivery's input now names S3.
    Map<String, String> env = aws.env(sm);
    env.put("INLINE_PAYLOAD_LIMIT_BYTES", "100");
    try (var h = handler(env)) {
      assertEquals(List.of(), h.handleRequest(event, null).getBatchItemFailures());
    }
    assertEquals(1, aws.executions(sm).size());
  }

  @Test
  void bodiesUpToTheInlineLimitAsEscapedJsonGoInlineAndLongerOnesByS3Uri() throws Exception {
    String sm = aws.newStateMachine();
    int limit = TriggerConfig.DEFAULT_INLINE_PAYLOAD_LIMIT_BYTES;
    // Quotes count twice and a non-ASCII character six times, as in the job's container overrides.
    String prefix = "{\"note\":\"\u00e9\",\"pad\":\"";
    int base = BatchStarter.overridesLength(prefix + "\"}");
    String fits = prefix + "x".repeat(limit - base) + "\"}";
    String over = prefix + "x".repeat(limit - base + 1) + "\"}";
    assertEquals(limit, BatchStarter.overridesLength(fits));
    String inlineId = UUID.randomUUID().toString();
    String offloadedId = UUID.randomUUID().toString();
    SQSEvent event =
        Events.of(
            Events.message(inlineId, fits, "activator-queue"),
            Events.message(offloadedId, over, "activator-queue"));
    try (var h = handler(sm)) {
      assertEquals(List.of(), h.handleRequest(event, null).getBatchItemFailures());
    }
    assertEquals(fits, eventOf(sm, inlineId));
    assertTrue(
        eventOf(sm, offloadedId).startsWith("s3://" + LocalAws.BUCKET + "/payloads/"),
        eventOf(sm, offloadedId));
  }

  private static String eventOf(String sm, String name) throws Exception {
    String input =
        aws.sfn.describeExecution(b -> b.executionArn(aws.executionArn(sm, name))).input();
    return JSON.readTree(input).path("parameters").path("event").asText();
  }

  @Test
  void executionNameTakenByAnotherMessageFailsOnlyThatRecord() throws Exception {
    String sm = aws.newStateMachine();
    SQSEvent event = Events.generated(3, "processor-queue");
    SQSMessage victim = event.getRecords().get(1);
    // Someone else already used the name this message maps to, with another message's input.
    aws.sfn.startExecution(
        b ->
            b.stateMachineArn(sm)
                .name(ExecutionNames.fromMessageId(victim.getMessageId()))
                .input(
                    "{\"messageId\":\"someone-else\",\"eventSourceARN\":\"arn:aws:sqs:us-east-1:000000000000:other\"}"));
    try (var h = handler(sm)) {
      SQSBatchResponse r = h.handleRequest(event, null);
      assertEquals(List.of(victim.getMessageId()), failedIds(r));
    }
    assertEquals(3, aws.executions(sm).size());
  }

  @ParameterizedTest
  @Event(value = "sqs/non-json-body.json", type = SQSEvent.class)
  void nonJsonBodyFailsOnlyThatRecord(SQSEvent event) throws Exception {
    String sm = aws.newStateMachine();
    try (var h = handler(sm)) {
      SQSBatchResponse r = h.handleRequest(event, null);
      assertEquals(List.of("8c0a2a9e-0d1b-4a53-9a3c-5f0f2c6f1a02"), failedIds(r));
    }
    assertEquals(2, aws.executions(sm).size());

    String relaxed = aws.newStateMachine();
    Map<String, String> env = aws.env(relaxed);
    env.put("REQUIRE_JSON_BODY", "false");
    try (var h = handler(env)) {
      assertEquals(List.of(), h.handleRequest(event, null).getBatchItemFailures());
    }
    assertEquals(3, aws.executions(relaxed).size());
  }

  @Test
  void nonAsciiBodyIsMeasuredByItsEscapedLengthAndGoesThroughS3() throws Exception {
    String sm = aws.newStateMachine();
    int limit = TriggerConfig.DEFAULT_INLINE_PAYLOAD_LIMIT_BYTES;
    // 700 characters and ~1400 UTF-8 bytes, but ~4200 characters once each is escaped as six
    // characters.
    String big = "{\"bands\":\"" + "é".repeat(700) + "\"}";
    assertTrue(big.length() < limit && BatchStarter.overridesLength(big) > limit);
    // Plain ASCII except its four quotes (2 characters each when escaped).
    String atLimit = "{\"p\":\"" + "a".repeat(limit - 12) + "\"}";
    assertEquals(limit, BatchStarter.overridesLength(atLimit));
    SQSMessage bigMessage = Events.message(UUID.randomUUID().toString(), big, "activator-queue");
    SQSMessage limitMessage =
        Events.message(UUID.randomUUID().toString(), atLimit, "activator-queue");
    try (var h = handler(sm)) {
      assertEquals(
          List.of(),
          h.handleRequest(Events.of(bigMessage, limitMessage), null).getBatchItemFailures());
    }
    String name = ExecutionNames.fromMessageId(bigMessage.getMessageId());
    JsonNode input =
        JSON.readTree(
            aws.sfn.describeExecution(b -> b.executionArn(aws.executionArn(sm, name))).input());
    String uri = input.path("parameters").path("event").asText();
    assertEquals("s3://hsi-data/payloads/" + name, uri);
    assertEquals(
        big,
        aws.s3.getObjectAsBytes(b -> b.bucket("hsi-data").key("payloads/" + name)).asUtf8String());

    JsonNode inline =
        JSON.readTree(
            aws.sfn
                .describeExecution(
                    b -> b.executionArn(aws.executionArn(sm, limitMessage.getMessageId())))
                .input());
    assertEquals(atLimit, inline.path("parameters").path("event").asText());
  }

  @Test
  void oversizedBodyWithoutPayloadBucketIsAPermanentFailure() throws Exception {
    String sm = aws.newStateMachine();
    Map<String, String> env = aws.env(sm);
    env.remove("PAYLOAD_BUCKET");
    SQSMessage big =
        Events.message("big-1", "{\"x\":\"" + "y".repeat(9000) + "\"}", "activator-queue");
    SQSMessage small = Events.message("small-1", "{}", "activator-queue");
    try (var h = handler(env)) {
      assertEquals(List.of("big-1"), failedIds(h.handleRequest(Events.of(big, small), null)));
    }
    assertEquals(1, aws.executions(sm).size());
  }

  @ParameterizedTest
  @Event(value = "sqs/odd-message-ids.json", type = SQSEvent.class)
  void oddMessageIdsGetValidDistinctDeterministicNames(SQSEvent event) throws Exception {
    String sm = aws.newStateMachine();
    try (var h = handler(sm)) {
      assertEquals(List.of(), h.handleRequest(event, null).getBatchItemFailures());
      // ...and a redelivery maps to the same names.
      assertEquals(List.of(), h.handleRequest(event, null).getBatchItemFailures());
    }
    List<ExecutionListItem> executions = aws.executions(sm);
    assertEquals(event.getRecords().size(), executions.size());
    for (ExecutionListItem x : executions) {
      assertTrue(ExecutionNames.isValidAwsName(x.name()), x.name());
    }
    for (SQSMessage m : event.getRecords()) {
      String name = ExecutionNames.fromMessageId(m.getMessageId());
      JsonNode input =
          JSON.readTree(
              aws.sfn.describeExecution(b -> b.executionArn(aws.executionArn(sm, name))).input());
      assertEquals(m.getMessageId(), input.get("messageId").asText());
    }
  }

  @Test
  void tenThousandRecordsStartConcurrently() throws Exception {
    String sm = aws.newStateMachine();
    SQSEvent event = Events.generated(10_000, "activator-queue");
    try (var h = handler(sm)) {
      assertEquals(List.of(), h.handleRequest(event, null).getBatchItemFailures());
    }
    List<ExecutionListItem> executions = aws.executions(sm);
    assertEquals(10_000, executions.size());
    assertEquals(10_000, executions.stream().map(ExecutionListItem::name).distinct().count());
  }

  @Test
  void throttlingIsRetriedAndPersistentServerErrorsAreReported() throws Exception {
    String sm = aws.newStateMachine();
    try (var proxy = new FaultInjectingProxy(aws.stepFunctions.endpoint())) {
      Map<String, String> env = aws.env(sm);
      env.put("AWS_ENDPOINT_URL_SFN", proxy.endpoint().toString());
      SQSEvent event =
          Events.of(
              Events.message("throttle2-a", "{}", "activator-queue"),
              Events.message("fail500-b", "{}", "activator-queue"),
              Events.message(UUID.randomUUID().toString(), "{}", "activator-queue"));
      try (var h = handler(env)) {
        assertEquals(List.of("fail500-b"), failedIds(h.handleRequest(event, null)));
      }
      assertEquals(3, proxy.attempts("throttle2-a"), "two throttled attempts, then success");
      assertEquals(4, proxy.attempts("fail500-b"), "SDK attempts before giving up");
    }
    assertEquals(2, aws.executions(sm).size());
  }

  @Test
  void unknownStateMachineFailsEveryRecordWithoutDroppingAny() throws Exception {
    String missing = "arn:aws:states:us-east-1:000000000000:stateMachine:does-not-exist";
    SQSEvent event = Events.generated(50, "activator-queue");
    try (var h = handler(missing)) {
      SQSBatchResponse r = h.handleRequest(event, null);
      assertEquals(
          event.getRecords().stream().map(SQSMessage::getMessageId).toList(), failedIds(r));
    }
  }

  @Test
  void recordsNotReachedBeforeTheLambdaDeadlineAreReportedAsFailed() throws Exception {
    String sm = aws.newStateMachine();
    SQSEvent event = Events.generated(5, "activator-queue");
    try (var h = handler(sm)) {
      SQSBatchResponse r = h.handleRequest(event, new FixedContext(1));
      assertEquals(5, r.getBatchItemFailures().size());
    }
    assertEquals(0, aws.executions(sm).size());
  }

  @Test
  void emptyOrMissingRecordsGiveAnEmptyResponse() throws Exception {
    try (var h = handler(aws.newStateMachine())) {
      assertEquals(List.of(), h.handleRequest(new SQSEvent(), null).getBatchItemFailures());
      assertEquals(List.of(), h.handleRequest(null, null).getBatchItemFailures());
    }
  }

  @Test
  void genericEndpointVariableRedirectsWhenNoServiceSpecificOneIsSet() throws Exception {
    String sm = aws.newStateMachine();
    Map<String, String> env = aws.env(sm);
    env.remove("AWS_ENDPOINT_URL_SFN");
    env.put("AWS_ENDPOINT_URL", aws.stepFunctions.endpoint().toString());
    try (var h = handler(env)) {
      assertEquals(
          List.of(),
          h.handleRequest(Events.generated(2, "activator-queue"), null).getBatchItemFailures());
    }
    assertEquals(2, aws.executions(sm).size());
  }

  @Test
  void badConfigurationIsAClearErrorNamingTheVariable() {
    Map<String, String> env = aws.env("arn:aws:states:us-east-1:000000000000:stateMachine:x");
    Map<String, String> missing = new HashMap<>(env);
    missing.remove("STATE_MACHINE_ARN");
    assertMessage(missing, "STATE_MACHINE_ARN is not set");
    assertMessage(
        with(env, "STATE_MACHINE_ARN", "arn:aws:sqs:us-east-1:000000000000:q"),
        "STATE_MACHINE_ARN");
    assertMessage(with(env, "MAX_CONCURRENCY", "lots"), "MAX_CONCURRENCY must be an integer");
    assertMessage(with(env, "MAX_CONCURRENCY", "0"), "MAX_CONCURRENCY = 0");
    assertMessage(with(env, "INLINE_PAYLOAD_LIMIT_BYTES", "300000"), "INLINE_PAYLOAD_LIMIT_BYTES");
    assertMessage(with(env, "REQUIRE_JSON_BODY", "maybe"), "REQUIRE_JSON_BODY");
    assertMessage(with(env, "PAYLOAD_BUCKET", "Not_A_Bucket"), "PAYLOAD_BUCKET");
    assertMessage(with(env, "AWS_ENDPOINT_URL_SFN", "localhost:8083"), "AWS_ENDPOINT_URL_SFN");
    Map<String, String> noRegion = new HashMap<>(env);
    noRegion.remove("AWS_REGION");
    assertMessage(noRegion, "AWS_REGION");
    Map<String, String> halfCredentials = new HashMap<>(env);
    halfCredentials.remove("AWS_SECRET_ACCESS_KEY");
    assertMessage(halfCredentials, "AWS_SECRET_ACCESS_KEY");
  }

  @Test
  void configDefaultsMatchTheTerraformTriggerSettings() throws Exception {
    JsonNode trigger =
        JSON.readTree(Path.of("../../terraform/queues.json").toFile()).get("trigger");
    assertEquals(
        trigger.get("inline_payload_limit_bytes").asInt(),
        TriggerConfig.DEFAULT_INLINE_PAYLOAD_LIMIT_BYTES);
    assertEquals(trigger.get("max_concurrency").asInt(), TriggerConfig.DEFAULT_MAX_CONCURRENCY);
    TriggerConfig c =
        TriggerConfig.fromEnvironment(
            Map.of(
                "STATE_MACHINE_ARN",
                "arn:aws:states:us-east-1:000000000000:stateMachine:pipeline",
                "PAYLOAD_PREFIX",
                "/incoming"));
    assertEquals("incoming/", c.payloadPrefix());
    assertTrue(c.requireJsonBody());
    assertFalse(c.canOffload());
  }

  private static Map<String, String> with(Map<String, String> env, String k, String v) {
    Map<String, String> copy = new HashMap<>(env);
    copy.put(k, v);
    return copy;
  }

  private static void assertMessage(Map<String, String> env, String expected) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new SfnTriggerHandler(env));
    assertTrue(
        e.getMessage().contains(expected),
        () -> "expected '" + expected + "' in: " + e.getMessage());
    assertNotEquals(null, e.getMessage());
  }

  /** A Lambda context with a fixed remaining time. */
  private record FixedContext(int remainingMillis) implements Context {
    public String getAwsRequestId() {
      return "test-request";
    }

    public String getLogGroupName() {
      return null;
    }

    public String getLogStreamName() {
      return null;
    }

    public String getFunctionName() {
      return "sfn-trigger";
    }

    public String getFunctionVersion() {
      return "$LATEST";
    }

    public String getInvokedFunctionArn() {
      return null;
    }

    public CognitoIdentity getIdentity() {
      return null;
    }

    public ClientContext getClientContext() {
      return null;
    }

    public int getRemainingTimeInMillis() {
      return remainingMillis;
    }

    public int getMemoryLimitInMB() {
      return 512;
    }

    public LambdaLogger getLogger() {
      return null;
    }
  }
}
