package dev.hsipipeline.local.sfn.asl.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hsipipeline.local.sfn.asl.TaskFailedException;
import dev.hsipipeline.local.sfn.asl.TaskInvocation;
import dev.hsipipeline.local.sfn.asl.TaskInvoker;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import software.amazon.awssdk.arns.Arn;

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
    resourceType = split[0];
    resourceAction = split[1];
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
    Arn parsed = Arn.tryFromString(arn).orElse(null);
    if (parsed == null) {
      return new String[] {"unknown", arn};
    }
    if (parsed.service().equals("states") && parsed.region().isEmpty()) {
      // arn:aws:states:::<service>:<action>, e.g. batch:submitJob.sync or aws-sdk:s3:getObject
      String integration = parsed.resourceAsString();
      int colon = integration.indexOf(':');
      return colon > 0
          ? new String[] {integration.substring(0, colon), integration.substring(colon + 1)}
          : new String[] {integration, integration};
    }
    if (parsed.service().equals("lambda")) {
      return new String[] {"lambda", arn};
    }
    if (parsed.service().equals("states")
        && parsed.resource().resourceType().orElse("").equals("activity")) {
      return new String[] {"activity", arn};
    }
    return new String[] {parsed.service(), arn};
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
        (effective, attempt) -> invoke(engine, frame, effective, attempt, timeout, heartbeat));
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

  /**
   * Invokes the resource once (one attempt): TaskScheduled, TaskStarted, then TaskSucceeded,
   * TaskFailed or TaskTimedOut.
   */
  private JsonNode invoke(
      Engine engine,
      Frame frame,
      JsonNode parameters,
      int attempt,
      long timeoutSeconds,
      long heartbeatSeconds)
      throws StateFailure, InterruptedException, ExecutionTimedOut {
    Run run = frame.run;
    ObjectNode scheduled = Json.object();
    scheduled.put("resourceType", resourceType);
    scheduled.put("resource", resourceAction);
    scheduled.put("region", run.region);
    String parametersText = Json.write(parameters);
    Engine.checkSize(parametersText, "the input of state '" + name + "' after Parameters");
    scheduled.put("parameters", parametersText);
    if (timeoutSeconds > 0) {
      scheduled.put("timeoutInSeconds", timeoutSeconds);
    }
    if (heartbeatSeconds > 0) {
      scheduled.put("heartbeatInSeconds", heartbeatSeconds);
    }
    frame.emit("TaskScheduled", scheduled);
    frame.emit("TaskStarted", resource());
    TaskInvocation invocation =
        new TaskInvocation(
            resource,
            parameters,
            name,
            run.context.executionArn(),
            attempt,
            timeoutSeconds,
            heartbeatSeconds);
    long now = System.nanoTime();
    long taskDeadline = timeoutSeconds > 0 ? now + timeoutSeconds * 1_000_000_000L : Long.MAX_VALUE;
    // Local task invokers have no SendTaskHeartbeat channel, so a task with HeartbeatSeconds
    // that runs longer than that without finishing has missed its heartbeat.
    long heartbeatDeadline =
        heartbeatSeconds > 0 ? now + heartbeatSeconds * 1_000_000_000L : Long.MAX_VALUE;
    long deadline = Math.min(Math.min(taskDeadline, heartbeatDeadline), run.deadlineNanos);
    JsonNode result;
    try {
      result = call(engine.watchdog, run.tasks, invocation, deadline);
    } catch (TaskFailedException e) {
      ObjectNode failed = resource();
      failed.put("error", e.error());
      failed.put("cause", e.cause());
      frame.emit("TaskFailed", failed);
      throw new StateFailure(e.error(), e.cause());
    } catch (TimeoutException e) {
      run.checkDeadline(); // the execution's own timeout wins over the task's
      if (heartbeatDeadline < taskDeadline && System.nanoTime() >= heartbeatDeadline) {
        String cause =
            "The task '"
                + name
                + "' sent no heartbeat within its HeartbeatSeconds of "
                + heartbeatSeconds
                + " seconds";
        ObjectNode timedOut = resource();
        timedOut.put("error", Errors.HEARTBEAT_TIMEOUT);
        timedOut.put("cause", cause);
        frame.emit("TaskTimedOut", timedOut);
        throw new StateFailure(Errors.HEARTBEAT_TIMEOUT, cause);
      }
      String cause =
          "The task '"
              + name
              + "' did not finish within its TimeoutSeconds of "
              + timeoutSeconds
              + " seconds";
      ObjectNode timedOut = resource();
      timedOut.put("error", Errors.TIMEOUT);
      timedOut.put("cause", cause);
      frame.emit("TaskTimedOut", timedOut);
      throw new StateFailure(Errors.TIMEOUT, cause);
    }
    if (result == null) {
      result = Json.NODES.nullNode();
    }
    String text = Json.write(result);
    if (Json.utf8Length(text) > Json.MAX_PAYLOAD_BYTES) {
      ObjectNode failed = resource();
      String cause =
          "The task result of state '"
              + name
              + "' is "
              + Json.utf8Length(text)
              + " bytes, more than the 262144 bytes Step Functions accepts";
      failed.put("error", Errors.DATA_LIMIT_EXCEEDED);
      failed.put("cause", cause);
      frame.emit("TaskFailed", failed);
      throw new StateFailure(Errors.DATA_LIMIT_EXCEEDED, cause);
    }
    ObjectNode succeeded = resource();
    succeeded.put("output", text);
    succeeded.set("outputDetails", Engine.notTruncated());
    frame.emit("TaskSucceeded", succeeded);
    return result;
  }

  /**
   * Calls the invoker on this thread. With a deadline, a watchdog interrupts this thread when it
   * passes; an interrupt the watchdog did not cause is the caller stopping the execution.
   */
  private static JsonNode call(
      Watchdog watchdog, TaskInvoker invoker, TaskInvocation invocation, long deadlineNanos)
      throws TaskFailedException, InterruptedException, TimeoutException {
    if (deadlineNanos == Long.MAX_VALUE) {
      try {
        return invoker.invoke(invocation);
      } catch (RuntimeException e) {
        throw asTaskFailure(e);
      }
    }
    if (deadlineNanos - System.nanoTime() <= 0) {
      throw new TimeoutException();
    }
    Watchdog.Guard guard = watchdog.arm(deadlineNanos);
    JsonNode result;
    try {
      result = invoker.invoke(invocation);
    } catch (InterruptedException e) {
      if (guard.disarm()) {
        throw new TimeoutException();
      }
      throw e;
    } catch (TaskFailedException e) {
      if (guard.disarm()) {
        throw new TimeoutException(); // the failure was the invoker reacting to our interrupt
      }
      throw e;
    } catch (RuntimeException e) {
      if (guard.disarm()) {
        throw new TimeoutException();
      }
      throw asTaskFailure(e);
    }
    guard.disarm(); // a result that raced the deadline still counts
    return result;
  }

  /** An invoker bug surfaces as a task failure naming the exception, never as a lost execution. */
  private static TaskFailedException asTaskFailure(Throwable t) {
    return new TaskFailedException(
        Errors.TASK_FAILED,
        t.getClass().getName() + (t.getMessage() == null ? "" : ": " + t.getMessage()));
  }

  private ObjectNode resource() {
    ObjectNode d = Json.object();
    d.put("resourceType", resourceType);
    d.put("resource", resourceAction);
    return d;
  }
}
