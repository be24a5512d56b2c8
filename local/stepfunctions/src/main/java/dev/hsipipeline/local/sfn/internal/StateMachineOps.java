package dev.hsipipeline.local.sfn.internal;

import static dev.hsipipeline.local.sfn.internal.Requests.maxResults;
import static dev.hsipipeline.local.sfn.internal.Requests.objectJson;
import static dev.hsipipeline.local.sfn.internal.Requests.optional;
import static dev.hsipipeline.local.sfn.internal.Requests.required;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hsipipeline.local.sfn.asl.AslDefinition;
import dev.hsipipeline.local.sfn.asl.ValidationError;
import java.util.List;

/**
 * The state machine operations in AWS JSON 1.0 shape: Create/Update/Delete/Describe/List state
 * machines, DescribeStateMachineForExecution and ValidateStateMachineDefinition.
 */
final class StateMachineOps {
  private final StateMachines machines;
  private final Executions executions;

  StateMachineOps(StateMachines machines, Executions executions) {
    this.machines = machines;
    this.executions = executions;
  }

  ObjectNode describeStateMachine(ObjectNode req) {
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

  ObjectNode describeStateMachineForExecution(ObjectNode req) {
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

  ObjectNode listStateMachines(ObjectNode req) {
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

  ObjectNode createStateMachine(ObjectNode req) {
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

  ObjectNode updateStateMachine(ObjectNode req) {
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

  ObjectNode deleteStateMachine(ObjectNode req) {
    machines.delete(required(req, "stateMachineArn"));
    return Json.object();
  }

  ObjectNode validateStateMachineDefinition(ObjectNode req) {
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
    int max = req.has("maxResults") ? maxResults(req) : Requests.MAX_PAGE;
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
}
