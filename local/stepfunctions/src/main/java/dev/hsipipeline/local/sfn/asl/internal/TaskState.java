package dev.hsipipeline.local.sfn.asl.internal;

import com.fasterxml.jackson.databind.JsonNode;

/** Task: hands the effective parameters to the TaskInvoker, with timeouts, Retry and Catch. */
public final class TaskState extends State {
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
