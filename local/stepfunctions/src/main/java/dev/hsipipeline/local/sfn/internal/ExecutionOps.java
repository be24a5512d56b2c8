package dev.hsipipeline.local.sfn.internal;

import static dev.hsipipeline.local.sfn.internal.Requests.bool;
import static dev.hsipipeline.local.sfn.internal.Requests.maxResults;
import static dev.hsipipeline.local.sfn.internal.Requests.optional;
import static dev.hsipipeline.local.sfn.internal.Requests.optionalEnum;
import static dev.hsipipeline.local.sfn.internal.Requests.required;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The execution operations in AWS JSON 1.0 shape: StartExecution (also straight from request bytes
 * to response bytes, the trigger's hot path), DescribeExecution, ListExecutions,
 * GetExecutionHistory, StopExecution and RedriveExecution.
 */
final class ExecutionOps {
  private static final Set<String> STATUSES =
      Set.of("RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED", "PENDING_REDRIVE");
  private static final Set<String> REDRIVE_FILTERS = Set.of("REDRIVEN", "NOT_REDRIVEN");

  /** The service model's ClientToken: 1 to 64 printable ASCII characters, no space. */
  private static final Pattern CLIENT_TOKEN = Pattern.compile("[!-~]{1,64}");

  private final Executions executions;

  ExecutionOps(Executions executions) {
    this.executions = executions;
  }

  ObjectNode startExecution(ObjectNode req) {
    ExecutionRecord rec =
        executions.start(
            required(req, "stateMachineArn"), optional(req, "name"), optional(req, "input"));
    ObjectNode out = Json.object();
    out.put("executionArn", rec.arn);
    out.put("startDate", Json.epochSeconds(rec.startMillis));
    return out;
  }

  /**
   * StartExecution from the raw request body straight to the response body, reading the body with a
   * streaming parser (no JSON tree, no databind): the trigger's hot path. Returns null when the
   * body is anything but a well-formed object whose known members are strings or null — the caller
   * then takes the general path, which reports those errors exactly as for every other operation.
   */
  byte[] startExecution(byte[] body) {
    String smArn = null;
    String name = null;
    String input = null;
    if (body.length > 0) {
      try (JsonParser p = Json.MAPPER.getFactory().createParser(body)) {
        JsonToken t = p.nextToken();
        if (t != null && t != JsonToken.VALUE_NULL) {
          if (t != JsonToken.START_OBJECT) {
            return null;
          }
          while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            t = p.nextToken();
            boolean known =
                field.equals("stateMachineArn") || field.equals("name") || field.equals("input");
            if (!known) {
              p.skipChildren();
              continue;
            }
            if (t != JsonToken.VALUE_STRING && t != JsonToken.VALUE_NULL) {
              return null;
            }
            String v = t == JsonToken.VALUE_NULL ? null : p.getText();
            switch (field) {
              case "stateMachineArn" -> smArn = v;
              case "name" -> name = v;
              default -> input = v;
            }
          }
        }
        if (p.nextToken() != null) {
          return null; // trailing content: let the general path name it
        }
      } catch (IOException e) {
        return null;
      }
    }
    if (smArn == null) {
      return null;
    }
    ExecutionRecord rec = executions.start(smArn, name, input);
    StringBuilder out = new StringBuilder(rec.arn.length() + 48).append("{\"executionArn\":");
    Json.quote(out, rec.arn);
    return out.append(",\"startDate\":")
        .append(Json.epochSeconds(rec.startMillis))
        .append('}')
        .toString()
        .getBytes(StandardCharsets.UTF_8);
  }

  ObjectNode describeExecution(ObjectNode req) {
    ExecutionRecord rec = executions.get(required(req, "executionArn"));
    ExecutionRecord.Snapshot s = rec.snapshot();
    String[] io = executions.inputOutput(rec, s);
    ObjectNode out = Json.object();
    out.put("executionArn", rec.arn);
    out.put("stateMachineArn", rec.stateMachineArn);
    out.put("name", rec.name);
    out.put("status", s.status());
    out.put("startDate", Json.epochSeconds(rec.startMillis));
    if (s.stopMillis() != 0) {
      out.put("stopDate", Json.epochSeconds(s.stopMillis()));
    }
    if (io[0] != null) {
      out.put("input", io[0]);
      out.putObject("inputDetails").put("included", true);
    }
    if (io[1] != null) {
      out.put("output", io[1]);
      out.putObject("outputDetails").put("included", true);
    }
    if (s.error() != null) {
      out.put("error", s.error());
    }
    if (s.cause() != null) {
      out.put("cause", s.cause());
    }
    out.put("redriveCount", s.redriveCount());
    if (s.redriveMillis() != 0) {
      out.put("redriveDate", Json.epochSeconds(s.redriveMillis()));
    }
    String notRedrivable =
        ExecutionRunner.notRedrivableReason(s.status(), s.stopMillis(), System.currentTimeMillis());
    out.put("redriveStatus", notRedrivable == null ? "REDRIVABLE" : "NOT_REDRIVABLE");
    if (notRedrivable != null) {
      out.put("redriveStatusReason", notRedrivable);
    }
    return out;
  }

  ObjectNode listExecutions(ObjectNode req) {
    if (req.hasNonNull("mapRunArn")) {
      throw ApiException.validation(
          "mapRunArn is not supported by the local Step Functions server; "
              + "pass stateMachineArn");
    }
    String smArn = required(req, "stateMachineArn");
    String status = optionalEnum(req, "statusFilter", STATUSES);
    String redriven = optionalEnum(req, "redriveFilter", REDRIVE_FILTERS);
    ExecutionIndex.Page page =
        executions.list(
            smArn,
            status,
            redriven == null ? null : redriven.equals("REDRIVEN"),
            maxResults(req),
            optional(req, "nextToken"));
    ObjectNode out = Json.object();
    ArrayNode arr = out.putArray("executions");
    for (ExecutionRecord rec : page.items()) {
      ExecutionRecord.Snapshot s = rec.snapshot();
      ObjectNode e = arr.addObject();
      e.put("executionArn", rec.arn);
      e.put("stateMachineArn", rec.stateMachineArn);
      e.put("name", rec.name);
      e.put("status", s.status());
      e.put("startDate", Json.epochSeconds(rec.startMillis));
      if (s.stopMillis() != 0) {
        e.put("stopDate", Json.epochSeconds(s.stopMillis()));
      }
      e.put("redriveCount", s.redriveCount());
      if (s.redriveMillis() != 0) {
        e.put("redriveDate", Json.epochSeconds(s.redriveMillis()));
      }
    }
    if (page.nextToken() != null) {
      out.put("nextToken", page.nextToken());
    }
    return out;
  }

  ObjectNode getExecutionHistory(ObjectNode req) {
    String arn = required(req, "executionArn");
    boolean reverse = bool(req, "reverseOrder", false);
    boolean includeData = bool(req, "includeExecutionData", true);
    Executions.HistoryPage page =
        executions.history(arn, maxResults(req), reverse, optional(req, "nextToken"));
    ObjectNode out = Json.object();
    ArrayNode arr = out.putArray("events");
    for (HistoryEvent e : page.events()) {
      arr.add(EventJson.of(e, includeData));
    }
    if (page.nextToken() != null) {
      out.put("nextToken", page.nextToken());
    }
    return out;
  }

  ObjectNode redriveExecution(ObjectNode req) {
    String arn = required(req, "executionArn");
    String clientToken = optional(req, "clientToken");
    if (clientToken != null && !CLIENT_TOKEN.matcher(clientToken).matches()) {
      throw ApiException.validation(
          "1 validation error detected: Value at 'clientToken' failed to satisfy constraint: "
              + "Member must have length between 1 and 64 and match pattern [!-~]+");
    }
    long at = executions.redrive(arn, clientToken);
    ObjectNode out = Json.object();
    out.put("redriveDate", Json.epochSeconds(at));
    return out;
  }

  ObjectNode stopExecution(ObjectNode req) {
    String error = optional(req, "error");
    String cause = optional(req, "cause");
    if (error != null && error.length() > 256) {
      throw ApiException.validation(
          "1 validation error detected: Value at 'error' failed to satisfy constraint: "
              + "Member must have length less than or equal to 256");
    }
    if (cause != null && cause.length() > 32768) {
      throw ApiException.validation(
          "1 validation error detected: Value at 'cause' failed to satisfy constraint: "
              + "Member must have length less than or equal to 32768");
    }
    long stop = executions.stop(required(req, "executionArn"), error, cause);
    ObjectNode out = Json.object();
    out.put("stopDate", Json.epochSeconds(stop));
    return out;
  }
}
