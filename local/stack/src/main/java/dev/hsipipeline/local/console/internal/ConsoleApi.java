package dev.hsipipeline.local.console.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The console's small JSON API (everything the page cannot get from the Step Functions API):
 *
 * <pre>
 * GET  {prefix}queues                       queues + DLQs with message counts
 * POST {prefix}queues/{key}/messages        {"body": "..."} → {"messageId": "..."}
 * POST {prefix}queues/{key}/redrive         {} → how the DLQ's messages were moved back
 * GET  {prefix}jobs/{jobId}[?tail=N]        the Batch job record + its attempts' log lines
 * GET  {prefix}jobs?executionArn=ARN        the job records of one execution
 * </pre>
 */
public final class ConsoleApi implements HttpHandler {

  private static final Logger LOG = LoggerFactory.getLogger(ConsoleApi.class);
  private static final Pattern QUEUE_ACTION = Pattern.compile("queues/([^/]+)/(messages|redrive)");
  private static final Pattern JOB = Pattern.compile("jobs/([^/]+)");
  private static final int MAX_TAIL = 100_000;

  private final String prefix;
  private final QueueService queues;
  private final JobRecords jobs;
  private final ObjectMapper json;

  public ConsoleApi(String prefix, QueueService queues, JobRecords jobs, ObjectMapper json) {
    this.prefix = prefix;
    this.queues = queues;
    this.jobs = jobs;
    this.json = json;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!Exchanges.allowedOrigin(exchange)) {
        return;
      }
      try {
        route(exchange);
      } catch (Exchanges.BadRequest e) {
        Exchanges.sendError(exchange, e.status, e.code, e.getMessage());
      } catch (SdkException e) {
        LOG.warn("console: SQS call failed: {}", e.getMessage());
        Exchanges.sendError(exchange, 502, "SqsError", "SQS: " + e.getMessage());
      } catch (RuntimeException e) {
        LOG.warn("console: {} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
        Exchanges.sendError(exchange, 500, "InternalError", String.valueOf(e.getMessage()));
      }
    }
  }

  private void route(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    // Raw path: an encoded '/' inside a job id must reach the id check, not split the route.
    String path = exchange.getRequestURI().getRawPath();
    if (!path.startsWith(prefix)) {
      throw new Exchanges.BadRequest(404, "NotFound", "No such console API: " + path);
    }
    String rest = path.substring(prefix.length());
    Map<String, String> query = query(exchange.getRequestURI().getRawQuery());

    if (rest.equals("queues")) {
      requireMethod(method, "GET");
      ObjectNode out = json.createObjectNode();
      out.set("queues", json.valueToTree(queues.list()));
      Exchanges.sendJson(exchange, 200, json, out);
      return;
    }
    Matcher queueAction = QUEUE_ACTION.matcher(rest);
    if (queueAction.matches()) {
      requireMethod(method, "POST");
      if (!Exchanges.allowedMutation(exchange)) {
        return;
      }
      String key = decode(queueAction.group(1));
      JsonNode body = parseBody(Exchanges.readBody(exchange));
      if (queueAction.group(2).equals("messages")) {
        JsonNode messageBody = body.path("body");
        if (!messageBody.isTextual()) {
          throw new Exchanges.BadRequest(
              "Send {\"body\": \"<message text>\"}; 'body' must be a string.");
        }
        String id = queues.send(key, messageBody.asText());
        LOG.info("console: sent message {} to queue '{}'", id, key);
        Exchanges.sendJson(exchange, 200, json, Map.of("messageId", id, "queue", key));
      } else {
        QueueService.RedriveResult result = queues.redrive(key);
        LOG.info("console: redrive of '{}' DLQ: {}", key, result);
        Exchanges.sendJson(exchange, 200, json, result);
      }
      return;
    }
    if (rest.equals("jobs")) {
      requireMethod(method, "GET");
      String arn = query.get("executionArn");
      if (arn == null || arn.isBlank()) {
        throw new Exchanges.BadRequest("Give the execution as ?executionArn=<execution ARN>.");
      }
      ObjectNode out = json.createObjectNode();
      out.putArray("jobs").addAll(jobs.jobsOfExecution(arn));
      Exchanges.sendJson(exchange, 200, json, out);
      return;
    }
    Matcher job = JOB.matcher(rest);
    if (job.matches()) {
      requireMethod(method, "GET");
      int tail = tail(query.get("tail"));
      String jobId = decode(job.group(1));
      var found = jobs.job(jobId, tail);
      if (found.isEmpty()) {
        throw new Exchanges.BadRequest(
            404, "JobNotFound", "No record or log for job '" + jobId + "' in the local data dir.");
      }
      Exchanges.sendJson(exchange, 200, json, found.get());
      return;
    }
    throw new Exchanges.BadRequest(404, "NotFound", "No such console API: " + path);
  }

  private static String decode(String segment) {
    return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private static int tail(String value) {
    if (value == null) {
      return JobRecords.DEFAULT_TAIL;
    }
    try {
      int n = Integer.parseInt(value);
      if (n >= 1 && n <= MAX_TAIL) {
        return n;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new Exchanges.BadRequest("'tail' must be a whole number from 1 to " + MAX_TAIL + ".");
  }

  private JsonNode parseBody(byte[] body) {
    if (body.length == 0) {
      return json.createObjectNode();
    }
    try {
      JsonNode node = json.readTree(body);
      if (node == null || !node.isObject()) {
        throw new Exchanges.BadRequest("The request body must be a JSON object.");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new Exchanges.BadRequest(
          "The request body is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new Exchanges.BadRequest("The request body could not be read: " + e.getMessage());
    }
  }

  private static void requireMethod(String actual, String expected) {
    if (!actual.equals(expected)) {
      throw new Exchanges.BadRequest(
          405, "MethodNotAllowed", "Use " + expected + " here, not " + actual + ".");
    }
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> out = new HashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : pair.substring(eq + 1);
      out.putIfAbsent(
          URLDecoder.decode(k, StandardCharsets.UTF_8),
          URLDecoder.decode(v, StandardCharsets.UTF_8));
    }
    return out;
  }
}
