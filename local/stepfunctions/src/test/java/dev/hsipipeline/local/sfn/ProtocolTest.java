package dev.hsipipeline.local.sfn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The wire protocol itself, with a plain HTTP client: targets, bodies, errors, binding, redirect.
 */
class ProtocolTest {
  static SfnFixture f;
  static final HttpClient HTTP =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  @BeforeAll
  static void start() {
    f = new SfnFixture();
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  private static HttpResponse<String> post(String target, String body) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(f.server.endpoint().resolve("/"))
            .header("Content-Type", "application/x-amz-json-1.0")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (target != null) {
      b.header("X-Amz-Target", target);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  private static JsonNode json(HttpResponse<String> r) throws IOException {
    return SfnFixture.JSON.readTree(r.body());
  }

  @Test
  void errorsHaveAwsTypeAndMessage() throws Exception {
    HttpResponse<String> r =
        post(
            "AWSStepFunctions.DescribeExecution",
            "{\"executionArn\":\"arn:aws:states:us-east-1:000000000000:execution:a:b\"}");
    assertEquals(400, r.statusCode());
    assertEquals(
        "application/x-amz-json-1.0", r.headers().firstValue("Content-Type").orElseThrow());
    JsonNode n = json(r);
    assertEquals(
        "com.amazonaws.swf.service.v2.model#ExecutionDoesNotExist", n.get("__type").asText());
    assertTrue(
        n.get("message").asText().contains("arn:aws:states:us-east-1:000000000000:execution:a:b"));
  }

  @Test
  void unknownTargetIsUnknownOperationException() throws Exception {
    HttpResponse<String> r = post("AWSStepFunctions.Frobnicate", "{}");
    assertEquals(400, r.statusCode());
    assertEquals(
        "com.amazon.coral.service#UnknownOperationException", json(r).get("__type").asText());
    HttpResponse<String> none = post(null, "{}");
    assertEquals(
        "com.amazon.coral.service#UnknownOperationException", json(none).get("__type").asText());
  }

  @Test
  void malformedBodiesAreClientErrors() throws Exception {
    HttpResponse<String> r = post("AWSStepFunctions.ListStateMachines", "{not json");
    assertEquals(400, r.statusCode());
    assertEquals("com.amazon.coral.service#SerializationException", json(r).get("__type").asText());
    HttpResponse<String> wrongType =
        post("AWSStepFunctions.ListExecutions", "{\"stateMachineArn\": 5}");
    assertEquals(400, wrongType.statusCode());
    assertEquals(
        "com.amazonaws.swf.service.v2.model#ValidationException",
        json(wrongType).get("__type").asText());
    assertTrue(json(wrongType).get("message").asText().contains("stateMachineArn"));
  }

  @Test
  void timestampsAreEpochSecondsNumbers() throws Exception {
    f.createStateMachine("ts", SfnFixture.PASS_DEF);
    HttpResponse<String> r =
        post(
            "AWSStepFunctions.StartExecution",
            "{\"stateMachineArn\":\"arn:aws:states:us-east-1:000000000000:stateMachine:ts\"}");
    assertEquals(200, r.statusCode(), r.body());
    JsonNode start = json(r).get("startDate");
    assertTrue(start.isNumber(), r.body());
    double now = System.currentTimeMillis() / 1000.0;
    assertTrue(Math.abs(start.asDouble() - now) < 300, r.body());
  }

  @Test
  void rootRedirectsToTheConsoleOnceMounted() throws Exception {
    HttpResponse<String> before =
        HTTP.send(
            HttpRequest.newBuilder(f.server.endpoint().resolve("/")).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, before.statusCode());
    f.server.addHttpContext(
        "/console/",
        ex -> {
          byte[] b = "console".getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(200, b.length);
          ex.getResponseBody().write(b);
          ex.close();
        });
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(f.server.endpoint().resolve("/")).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(302, r.statusCode());
    assertEquals("/console/", r.headers().firstValue("Location").orElseThrow());
    HttpResponse<String> c =
        HTTP.send(
            HttpRequest.newBuilder(f.server.endpoint().resolve("/console/")).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals("console", c.body());
  }

  @Test
  void listensOnLoopbackOnly() throws Exception {
    URI endpoint = f.server.endpoint();
    assertEquals("127.0.0.1", endpoint.getHost());
    for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      for (InetAddress a : Collections.list(nif.getInetAddresses())) {
        if (a.isLoopbackAddress() || a.isLinkLocalAddress()) {
          continue;
        }
        assertThrows(
            ConnectException.class,
            () -> new Socket(a, endpoint.getPort()).close(),
            "reachable on " + a);
      }
    }
  }
}
