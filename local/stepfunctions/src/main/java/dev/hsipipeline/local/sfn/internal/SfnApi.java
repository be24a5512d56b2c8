package dev.hsipipeline.local.sfn.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import dev.hsipipeline.local.sfn.asl.AslDefinition;
import dev.hsipipeline.local.sfn.asl.ValidationError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/**
 * The Step Functions operations in AWS JSON 1.0 shape: request objects in, response objects out,
 * {@link ApiException} for every error. Field names and error codes follow the service model
 * (states-2016-11-23).
 */
public final class SfnApi {
  private static final int DEFAULT_PAGE = 100;
  private static final int MAX_PAGE = 1000;
  private static final Set<String> STATUSES =
      Set.of("RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED", "PENDING_REDRIVE");

  /** Event types whose details use their own key (lowerCamel(type) + "EventDetails"). */
  private static final Set<String> TYPES_WITH_DETAILS =
      Set.of(
          "ActivityFailed",
          "ActivityScheduleFailed",
          "ActivityScheduled",
          "ActivityStarted",
          "ActivitySucceeded",
          "ActivityTimedOut",
          "TaskFailed",
          "TaskScheduled",
          "TaskStartFailed",
          "TaskStarted",
          "TaskSubmitFailed",
          "TaskSubmitted",
          "TaskSucceeded",
          "TaskTimedOut",
          "ExecutionFailed",
          "ExecutionStarted",
          "ExecutionSucceeded",
          "ExecutionAborted",
          "ExecutionTimedOut",
          "ExecutionRedriven",
          "MapStateStarted",
          "MapIterationStarted",
          "MapIterationSucceeded",
          "MapIterationFailed",
          "MapIterationAborted",
          "LambdaFunctionFailed",
          "LambdaFunctionScheduleFailed",
          "LambdaFunctionScheduled",
          "LambdaFunctionStartFailed",
          "LambdaFunctionSucceeded",
          "LambdaFunctionTimedOut",
          "MapRunStarted",
          "MapRunFailed",
          "MapRunRedriven",
          "EvaluationFailed");

  /** The two MapIteration* detail keys share one shape but AWS names them per type. */
  private static final Set<String> DATA_FIELDS =
      Set.of("input", "inputDetails", "output", "outputDetails");

  private final StateMachines machines;
  private final Executions executions;

  public SfnApi(Registry registry) {
    this.machines = registry.stateMachines();
    this.executions = registry.executions();
  }

  /** Runs operation {@code op} (the part after {@code AWSStepFunctions.}). */
  public ObjectNode call(String op, ObjectNode req) {
    return switch (op) {
      case "StartExecution" -> startExecution(req);
      case "DescribeExecution" -> describeExecution(req);
      case "ListExecutions" -> listExecutions(req);
      case "GetExecutionHistory" -> getExecutionHistory(req);
      case "StopExecution" -> stopExecution(req);
      case "RedriveExecution" -> redriveExecution(req);
      case "DescribeStateMachine" -> describeStateMachine(req);
      case "ListStateMachines" -> listStateMachines(req);
      case "CreateStateMachine" -> createStateMachine(req);
      case "UpdateStateMachine" -> updateStateMachine(req);
      case "DeleteStateMachine" -> deleteStateMachine(req);
      case "ValidateStateMachineDefinition" -> validateStateMachineDefinition(req);
      case "DescribeStateMachineForExecution" -> describeStateMachineForExecution(req);
      default -> throw ApiException.unknownOperation("AWSStepFunctions." + op);
    };
  }

  // ------------------------------------------------------------------ executions

  private ObjectNode startExecution(ObjectNode req) {
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
  public byte[] startExecution(byte[] body) {
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

  private ObjectNode describeExecution(ObjectNode req) {
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
    out.put("redriveCount", 0);
    out.put("redriveStatus", "NOT_REDRIVABLE");
    out.put(
        "redriveStatusReason",
        ExecutionRecord.RUNNING.equals(s.status())
            ? "Execution is RUNNING and cannot be redriven"
            : "RedriveExecution is not supported by the local Step Functions server");
    return out;
  }

  private ObjectNode listExecutions(ObjectNode req) {
    if (req.hasNonNull("mapRunArn")) {
      throw ApiException.validation(
          "mapRunArn is not supported by the local Step Functions server; "
              + "pass stateMachineArn");
    }
    String smArn = required(req, "stateMachineArn");
    String status = optional(req, "statusFilter");
    if (status != null && !STATUSES.contains(status)) {
      throw ApiException.validation(
          "1 validation error detected: Value '"
              + status
              + "' at 'statusFilter' failed to satisfy constraint: Member must satisfy enum value set: "
              + STATUSES);
    }
    ExecutionIndex.Page page =
        executions.list(smArn, status, maxResults(req), optional(req, "nextToken"));
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
    }
    if (page.nextToken() != null) {
      out.put("nextToken", page.nextToken());
    }
    return out;
  }

  private ObjectNode getExecutionHistory(ObjectNode req) {
    String arn = required(req, "executionArn");
    boolean reverse = bool(req, "reverseOrder", false);
    boolean includeData = bool(req, "includeExecutionData", true);
    Executions.HistoryPage page =
        executions.history(arn, maxResults(req), reverse, optional(req, "nextToken"));
    ObjectNode out = Json.object();
    ArrayNode arr = out.putArray("events");
    for (HistoryEvent e : page.events()) {
      arr.add(eventJson(e, includeData));
    }
    if (page.nextToken() != null) {
      out.put("nextToken", page.nextToken());
    }
    return out;
  }

  /** One event in GetExecutionHistory's shape. */
  static ObjectNode eventJson(HistoryEvent e, boolean includeData) {
    ObjectNode n = Json.object();
    n.put("timestamp", Json.epochSeconds(e.timestampMillis()));
    n.put("type", e.type());
    n.put("id", e.id());
    n.put("previousEventId", e.previousEventId());
    String key = detailsKey(e.type());
    if (key != null && e.detailsJson() != null) {
      if (includeData) {
        n.putRawValue(key, new RawValue(e.detailsJson()));
      } else {
        try {
          ObjectNode d = (ObjectNode) Json.MAPPER.readTree(e.detailsJson());
          d.remove(DATA_FIELDS);
          n.set(key, d);
        } catch (JsonProcessingException | ClassCastException ex) {
          throw ApiException.internal("Stored event " + e.id() + " has unreadable details");
        }
      }
    }
    return n;
  }

  /** The HistoryEvent member that carries a type's details, as the AWS model names it. */
  static String detailsKey(String type) {
    if (type.endsWith("StateEntered")) {
      return "stateEnteredEventDetails";
    }
    if (type.endsWith("StateExited")) {
      return "stateExitedEventDetails";
    }
    if (TYPES_WITH_DETAILS.contains(type)) {
      return Character.toLowerCase(type.charAt(0)) + type.substring(1) + "EventDetails";
    }
    return null;
  }

  private ObjectNode redriveExecution(ObjectNode req) {
    // clientToken (idempotency of the call) is accepted and not needed: a second redrive of a
    // RUNNING execution is refused as on AWS.
    long at = executions.redrive(required(req, "executionArn"));
    ObjectNode out = Json.object();
    out.put("redriveDate", Json.epochSeconds(at));
    return out;
  }

  private ObjectNode stopExecution(ObjectNode req) {
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

  // ------------------------------------------------------------------ state machines

  private ObjectNode describeStateMachine(ObjectNode req) {
    StateMachineRecord sm = machines.require(required(req, "stateMachineArn"));
    ObjectNode out = Json.object();
    out.put("stateMachineArn", sm.arn());
    out.put("name", sm.name());
    out.put("status", "ACTIVE");
    out.put("definition", sm.revision().definition);
    if (sm.revision().roleArn != null) {
      out.put("roleArn", sm.revision().roleArn);
    }
    out.put("type", sm.type());
    out.put("creationDate", Json.epochSeconds(sm.creationMillis()));
    out.set("loggingConfiguration", logging(sm.loggingJson()));
    out.set("tracingConfiguration", tracing(sm.tracingJson()));
    out.put("revisionId", sm.revision().revisionId);
    if (sm.description() != null) {
      out.put("description", sm.description());
    }
    return out;
  }

  private ObjectNode describeStateMachineForExecution(ObjectNode req) {
    ExecutionRecord rec = executions.get(required(req, "executionArn"));
    Revision r = rec.revision;
    ObjectNode out = Json.object();
    out.put("stateMachineArn", rec.stateMachineArn);
    out.put("name", rec.stateMachineName);
    out.put("definition", r.definition);
    if (r.roleArn != null) {
      out.put("roleArn", r.roleArn);
    }
    out.put("updateDate", Json.epochSeconds(r.updateMillis));
    StateMachineRecord current;
    try {
      current = machines.require(rec.stateMachineArn);
    } catch (ApiException e) {
      current = null;
    }
    out.set("loggingConfiguration", logging(current == null ? null : current.loggingJson()));
    out.set("tracingConfiguration", tracing(current == null ? null : current.tracingJson()));
    out.put("revisionId", r.revisionId);
    return out;
  }

  private ObjectNode listStateMachines(ObjectNode req) {
    int max = maxResults(req);
    String token = optional(req, "nextToken");
    String after = null;
    if (token != null) {
      String raw = Json.untoken(token);
      if (!raw.startsWith("m:")) {
        throw ApiException.invalidToken("the token belongs to a different request");
      }
      after = raw.substring(2);
    }
    List<StateMachineRecord> page = machines.after(after, max + 1);
    ObjectNode out = Json.object();
    ArrayNode arr = out.putArray("stateMachines");
    for (int i = 0; i < Math.min(max, page.size()); i++) {
      StateMachineRecord sm = page.get(i);
      ObjectNode n = arr.addObject();
      n.put("stateMachineArn", sm.arn());
      n.put("name", sm.name());
      n.put("type", sm.type());
      n.put("creationDate", Json.epochSeconds(sm.creationMillis()));
    }
    if (page.size() > max) {
      out.put("nextToken", Json.token("m:" + page.get(max - 1).arn()));
    }
    return out;
  }

  private ObjectNode createStateMachine(ObjectNode req) {
    String type = optional(req, "type");
    if (type == null) {
      type = "STANDARD";
    } else if (!type.equals("STANDARD") && !type.equals("EXPRESS")) {
      throw ApiException.validation(
          "1 validation error detected: Value '"
              + type
              + "' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [STANDARD, EXPRESS]");
    }
    if (req.path("publish").asBoolean(false)) {
      throw ApiException.validation(
          "publish=true (state machine versions) is not supported by the local "
              + "Step Functions server");
    }
    StateMachines.Created c =
        machines.create(
            required(req, "name"),
            required(req, "definition"),
            required(req, "roleArn"),
            type,
            objectJson(req, "loggingConfiguration"),
            objectJson(req, "tracingConfiguration"),
            optional(req, "description"));
    ObjectNode out = Json.object();
    out.put("stateMachineArn", c.sm().arn());
    out.put("creationDate", Json.epochSeconds(c.sm().creationMillis()));
    return out;
  }

  private ObjectNode updateStateMachine(ObjectNode req) {
    StateMachineRecord sm =
        machines.update(
            required(req, "stateMachineArn"),
            optional(req, "definition"),
            optional(req, "roleArn"),
            objectJson(req, "loggingConfiguration"),
            objectJson(req, "tracingConfiguration"));
    ObjectNode out = Json.object();
    out.put("updateDate", Json.epochSeconds(sm.revision().updateMillis));
    out.put("revisionId", sm.revision().revisionId);
    return out;
  }

  private ObjectNode deleteStateMachine(ObjectNode req) {
    machines.delete(required(req, "stateMachineArn"));
    return Json.object();
  }

  private ObjectNode validateStateMachineDefinition(ObjectNode req) {
    String definition = required(req, "definition");
    if (definition.length() > StateMachines.MAX_DEFINITION_CHARS) {
      throw ApiException.validation(
          "1 validation error detected: Value at 'definition' failed to satisfy "
              + "constraint: Member must have length less than or equal to "
              + StateMachines.MAX_DEFINITION_CHARS);
    }
    String severity = optional(req, "severity");
    if (severity != null && !severity.equals("ERROR") && !severity.equals("WARNING")) {
      throw ApiException.validation(
          "1 validation error detected: Value '"
              + severity
              + "' at 'severity' failed to satisfy constraint: Member must satisfy enum value set: [ERROR, WARNING]");
    }
    int max = req.has("maxResults") ? maxResults(req) : MAX_PAGE;
    List<ValidationError> errors = AslDefinition.validate(definition);
    ObjectNode out = Json.object();
    out.put("result", errors.isEmpty() ? "OK" : "FAIL");
    ArrayNode diags = out.putArray("diagnostics");
    for (int i = 0; i < Math.min(max, errors.size()); i++) {
      ValidationError v = errors.get(i);
      ObjectNode d = diags.addObject();
      d.put("severity", "ERROR");
      d.put("code", v.code());
      d.put("message", v.message());
      d.put("location", v.location());
    }
    out.put("truncated", errors.size() > max);
    return out;
  }

  private static JsonNode logging(String json) {
    if (json != null) {
      try {
        return Json.MAPPER.readTree(json);
      } catch (JsonProcessingException e) {
        // fall through to the default
      }
    }
    ObjectNode n = Json.object();
    n.put("level", "OFF");
    n.put("includeExecutionData", false);
    return n;
  }

  private static JsonNode tracing(String json) {
    if (json != null) {
      try {
        return Json.MAPPER.readTree(json);
      } catch (JsonProcessingException e) {
        // fall through to the default
      }
    }
    return Json.object().put("enabled", false);
  }

  // ------------------------------------------------------------------ request helpers

  private static String required(ObjectNode req, String field) {
    String v = optional(req, field);
    if (v == null) {
      throw ApiException.validation(
          "1 validation error detected: Value null at '"
              + field
              + "' failed to satisfy constraint: Member must not be null");
    }
    return v;
  }

  private static String optional(ObjectNode req, String field) {
    JsonNode n = req.get(field);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isTextual()) {
      throw ApiException.validation(
          "1 validation error detected: Value at '"
              + field
              + "' failed to satisfy constraint: Member must be a string (got "
              + n.getNodeType()
              + ")");
    }
    return n.textValue();
  }

  private static boolean bool(ObjectNode req, String field, boolean dflt) {
    JsonNode n = req.get(field);
    if (n == null || n.isNull()) {
      return dflt;
    }
    if (!n.isBoolean()) {
      throw ApiException.validation(
          "1 validation error detected: Value at '"
              + field
              + "' failed to satisfy constraint: Member must be a boolean (got "
              + n.getNodeType()
              + ")");
    }
    return n.booleanValue();
  }

  private static String objectJson(ObjectNode req, String field) {
    JsonNode n = req.get(field);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isObject()) {
      throw ApiException.validation(
          "1 validation error detected: Value at '"
              + field
              + "' failed to satisfy constraint: Member must be a structure");
    }
    return Json.write(n);
  }

  /** maxResults: absent or 0 → 100 (AWS's default), at most 1000. */
  private static int maxResults(ObjectNode req) {
    JsonNode n = req.get("maxResults");
    if (n == null || n.isNull()) {
      return DEFAULT_PAGE;
    }
    if (!n.canConvertToInt() || !n.isIntegralNumber()) {
      throw ApiException.validation(
          "1 validation error detected: Value at 'maxResults' failed to satisfy "
              + "constraint: Member must be an integer");
    }
    int v = n.intValue();
    if (v < 0 || v > MAX_PAGE) {
      throw ApiException.validation(
          "1 validation error detected: Value '"
              + v
              + "' at 'maxResults' failed to "
              + "satisfy constraint: Member must have value between 0 and "
              + MAX_PAGE);
    }
    return v == 0 ? DEFAULT_PAGE : v;
  }
}
