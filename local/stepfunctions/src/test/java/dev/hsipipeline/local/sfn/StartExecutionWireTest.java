package dev.hsipipeline.local.sfn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * StartExecution bodies on the wire: the streaming fast path must accept what the general path
 * accepts and report every bad body with the same error as every other operation.
 */
class StartExecutionWireTest {
  static SfnFixture f;
  static String smArn;
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    f = new SfnFixture();
    smArn = f.createStateMachine("wire", SfnFixture.PASS_DEF);
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  private static HttpResponse<String> start(String body) throws Exception {
    HttpRequest r =
        HttpRequest.newBuilder(f.server.endpoint().resolve("/"))
            .header("Content-Type", "application/x-amz-json-1.0")
            .header("X-Amz-Target", "AWSStepFunctions.StartExecution")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    return HTTP.send(r, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  private static JsonNode json(HttpResponse<String> r) throws Exception {
    return SfnFixture.JSON.readTree(r.body());
  }

  @Test
  void startsWithUnknownMembersSkippedAndAnswersArnAndDate() throws Exception {
    HttpResponse<String> r =
        start(
            "{\"traceHeader\":{\"x\":[1,{\"y\":2}]},\"stateMachineArn\":\""
                + smArn
                + "\",\"name\":\"wire-1\",\"input\":\"{\\\"k\\\":\\\"é \\\\u2028\\\"}\"}");
    assertEquals(200, r.statusCode(), r.body());
    JsonNode n = json(r);
    assertEquals(
        smArn.replace(":stateMachine:", ":execution:") + ":wire-1", n.get("executionArn").asText());
    assertTrue(n.get("startDate").isNumber(), r.body());
    assertEquals(2, n.size(), r.body());
    // A different input under a used name (a Pass execution has ended by now, too) is refused.
    HttpResponse<String> other =
        start("{\"stateMachineArn\":\"" + smArn + "\",\"name\":\"wire-1\",\"input\":\"{}\"}");
    assertEquals(
        "com.amazonaws.swf.service.v2.model#ExecutionAlreadyExists",
        json(other).get("__type").asText());
  }

  @Test
  void badBodiesGetTheGeneralErrors() throws Exception {
    HttpResponse<String> notJson = start("{\"stateMachineArn\":\"" + smArn + "\",");
    assertEquals(400, notJson.statusCode());
    assertEquals(
        "com.amazon.coral.service#SerializationException", json(notJson).get("__type").asText());
    HttpResponse<String> trailing = start("{\"stateMachineArn\":\"" + smArn + "\"} {}");
    assertEquals(
        "com.amazon.coral.service#SerializationException", json(trailing).get("__type").asText());
    HttpResponse<String> array = start("[1]");
    assertEquals(
        "com.amazon.coral.service#SerializationException", json(array).get("__type").asText());
    assertTrue(json(array).get("message").asText().contains("ARRAY"), array.body());
    HttpResponse<String> wrongType = start("{\"stateMachineArn\":\"" + smArn + "\",\"name\":7}");
    assertEquals(
        "com.amazonaws.swf.service.v2.model#ValidationException",
        json(wrongType).get("__type").asText());
    assertTrue(json(wrongType).get("message").asText().contains("'name'"), wrongType.body());
    HttpResponse<String> missing = start("{\"name\":\"x\"}");
    assertEquals(
        "com.amazonaws.swf.service.v2.model#ValidationException",
        json(missing).get("__type").asText());
    assertTrue(json(missing).get("message").asText().contains("stateMachineArn"), missing.body());
    HttpResponse<String> badInput =
        start("{\"stateMachineArn\":\"" + smArn + "\",\"input\":\"{nope\"}");
    assertEquals(
        "com.amazonaws.swf.service.v2.model#InvalidExecutionInput",
        json(badInput).get("__type").asText());
  }
}
