package dev.hsipipeline.local.sfn.asl.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/** Task: hands the effective parameters to the TaskInvoker, with timeouts, Retry and Catch. */
public final class TaskState extends State {
  static final Set<String> FIELDS =
      Set.of(
          "Next",
          "End",
          "InputPath",
          "OutputPath",
          "ResultPath",
          "Parameters",
          "ResultSelector",
          "Resource",
          "TimeoutSeconds",
          "TimeoutSecondsPath",
          "HeartbeatSeconds",
          "HeartbeatSecondsPath",
          "Retry",
          "Catch",
          "Credentials");
  private static final long MAX_SECONDS = 99_999_999;

  final String resource;
  final String resourceType;
  final String resourceAction;
  final Handling handling;
  final long timeoutSeconds;
  final ReferencePath timeoutSecondsPath;
  final long heartbeatSeconds;
  final ReferencePath heartbeatSecondsPath;

  TaskState(
      String name,
      String next,
      IoPath inputPath,
      IoPath outputPath,
      String resource,
      Handling handling,
      long timeoutSeconds,
      ReferencePath timeoutSecondsPath,
      long heartbeatSeconds,
      ReferencePath heartbeatSecondsPath) {
    super(name, next, inputPath, outputPath);
    this.resource = resource;
    this.handling = handling;
    this.timeoutSeconds = timeoutSeconds;
    this.timeoutSecondsPath = timeoutSecondsPath;
    this.heartbeatSeconds = heartbeatSeconds;
    this.heartbeatSecondsPath = heartbeatSecondsPath;
    String[] split = splitResource(resource);
    this.resourceType = split[0];
    this.resourceAction = split[1];
  }

  static TaskState parse(StateSpec s) {
    JsonNode node = s.node;
    String loc = s.loc;
    Fields f = s.fields;
    String resource = f.optString(node, "Resource", loc);
    if (resource == null) {
      if (!node.has("Resource")) {
        s.problem(Problems.SCHEMA, loc + "/Resource", "A Task state needs a 'Resource' ARN");
      }
      resource = "";
    } else if (!resource.startsWith("arn:")) {
      s.problem(
          Problems.SCHEMA,
          loc + "/Resource",
          "'Resource' must be an ARN (arn:...), got '" + resource + "'");
    }
    long timeout = 0;
    long heartbeat = 0;
    if (node.has("TimeoutSeconds")) {
      timeout =
          f.positiveInt(
              node.get("TimeoutSeconds"), loc + "/TimeoutSeconds", "TimeoutSeconds", MAX_SECONDS);
    }
    if (node.has("HeartbeatSeconds")) {
      heartbeat =
          f.positiveInt(
              node.get("HeartbeatSeconds"),
              loc + "/HeartbeatSeconds",
              "HeartbeatSeconds",
              MAX_SECONDS);
    }
    if (node.has("TimeoutSeconds") && node.has("TimeoutSecondsPath")) {
      s.problem(
          Problems.SCHEMA,
          loc,
          "A Task state may have 'TimeoutSeconds' or 'TimeoutSecondsPath', not both");
    }
    if (node.has("HeartbeatSeconds") && node.has("HeartbeatSecondsPath")) {
      s.problem(
          Problems.SCHEMA,
          loc,
          "A Task state may have 'HeartbeatSeconds' or 'HeartbeatSecondsPath', not both");
    }
    if (heartbeat > 0 && timeout > 0 && heartbeat >= timeout) {
      s.problem(
          Problems.SCHEMA,
          loc + "/HeartbeatSeconds",
          "'HeartbeatSeconds' ("
              + heartbeat
              + ") must be smaller than 'TimeoutSeconds' ("
              + timeout
              + ")");
    }
    ReferencePath timeoutPath = f.optRefPath(node, "TimeoutSecondsPath", loc);
    ReferencePath heartbeatPath = f.optRefPath(node, "HeartbeatSecondsPath", loc);
    return new TaskState(
        s.name,
        s.next,
        s.inputPath,
        s.outputPath,
        resource,
        Handling.parse(s, true),
        timeout,
        timeoutPath,
        heartbeat,
        heartbeatPath);
  }

  /**
   * History names a task by service and action: {@code arn:aws:states:::batch:submitJob.sync} is
   * resourceType "batch", resource "submitJob.sync"; a Lambda function ARN is "lambda" / the ARN;
   * an activity "activity" / the ARN.
   */
  static String[] splitResource(String arn) {
    String prefix = "arn:aws:states:::";
    if (arn.startsWith(prefix)) {
      String rest = arn.substring(prefix.length());
      int colon = rest.indexOf(':');
      if (colon > 0) {
        return new String[] {rest.substring(0, colon), rest.substring(colon + 1)};
      }
      return new String[] {rest, rest};
    }
    String[] parts = arn.split(":");
    if (parts.length > 5 && parts[2].equals("lambda")) {
      return new String[] {"lambda", arn};
    }
    if (parts.length > 5 && parts[2].equals("states") && parts[5].equals("activity")) {
      return new String[] {"activity", arn};
    }
    return new String[] {parts.length > 2 ? parts[2] : "unknown", arn};
  }

  @Override
  String type() {
    return "Task";
  }

  @Override
  Step execute(Engine engine, Frame frame, JsonNode input)
      throws StateFailure, InterruptedException, ExecutionTimedOut {
    long timeout = seconds(timeoutSeconds, timeoutSecondsPath, "TimeoutSecondsPath", input);
    long heartbeat = seconds(heartbeatSeconds, heartbeatSecondsPath, "HeartbeatSecondsPath", input);
    return engine.runHandled(
        this,
        handling,
        frame,
        input,
        (effective, attempt) ->
            engine.invokeTask(frame, this, effective, attempt, timeout, heartbeat));
  }

  private long seconds(long fixed, ReferencePath path, String field, JsonNode input)
      throws StateFailure {
    if (path == null) {
      return fixed;
    }
    JsonNode v = path.read(input);
    if (v == null || !v.isIntegralNumber() || v.longValue() <= 0) {
      throw new StateFailure(
          Errors.RUNTIME,
          "The "
              + field
              + " '"
              + path.text()
              + "' does not reference a positive integer: "
              + (v == null ? "missing" : Json.write(v)));
    }
    return v.longValue();
  }
}
