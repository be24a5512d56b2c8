package dev.hsipipeline.local.batch.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hsipipeline.local.batch.JobDefinition;
import dev.hsipipeline.local.sfn.asl.TaskFailedException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Validates a SubmitJob request (PascalCase, as Step Functions passes it) into a {@link JobSpec};
 * anything Batch would refuse is a {@code Batch.ClientException} naming what was wrong.
 */
public final class SubmitJobParser {

  /** AWS Batch's limit on a SubmitJob request (parameters and overrides included). */
  public static final int MAX_SUBMIT_JOB_REQUEST_BYTES = 30 * 1024;

  private final Map<String, JobDefinition> definitions;
  private final Map<String, String> baseEnvironment;
  private final Map<String, Map<String, String>> roleEnvironment;

  /**
   * @param definitions the job definitions by name
   * @param baseEnvironment what every job gets before its definition's environment
   * @param roleEnvironment by definition name, what its role adds (credentials)
   */
  public SubmitJobParser(
      Map<String, JobDefinition> definitions,
      Map<String, String> baseEnvironment,
      Map<String, Map<String, String>> roleEnvironment) {
    this.definitions = Map.copyOf(definitions);
    this.baseEnvironment = Map.copyOf(baseEnvironment);
    this.roleEnvironment = Map.copyOf(roleEnvironment);
  }

  /**
   * @param req the Task's effective parameters
   * @param executionArn the submitting execution, or null
   */
  public JobSpec parse(JsonNode req, String executionArn) throws TaskFailedException {
    if (req == null || !req.isObject()) {
      throw clientError("SubmitJob parameters must be an object");
    }
    int requestBytes = req.toString().getBytes(StandardCharsets.UTF_8).length;
    if (requestBytes > MAX_SUBMIT_JOB_REQUEST_BYTES) {
      throw clientError(
          "SubmitJob request of "
              + requestBytes
              + " bytes exceeds the 30 KiB ("
              + MAX_SUBMIT_JOB_REQUEST_BYTES
              + " bytes) AWS Batch accepts");
    }
    String jobName = req.path("JobName").asText("");
    if (!jobName.matches("[A-Za-z0-9][A-Za-z0-9_-]{0,127}")) {
      throw clientError(
          "JobName must be 1-128 letters, digits, '-' or '_' starting with a letter or digit, got '"
              + jobName
              + "'");
    }
    String jobQueue = req.path("JobQueue").asText("");
    if (jobQueue.isEmpty()) {
      throw clientError("JobQueue is required");
    }
    JobDefinition def = resolveDefinition(req.path("JobDefinition").asText(""));
    if (req.has("ArrayProperties") || req.has("DependsOn") || req.has("NodeOverrides")) {
      throw clientError(
          "array jobs, dependencies and multi-node jobs are not supported by the local Batch runner");
    }
    Map<String, String> params = parameters(def, req.path("Parameters"));
    JsonNode overrides = req.path("ContainerOverrides");
    List<String> command = command(def, overrides, params);

    double vcpus = def.vcpus();
    int memory = def.memoryMib();
    try {
      vcpus = JobDefinition.resource(overrides.path("ResourceRequirements"), "VCPU", vcpus);
      memory =
          (int) JobDefinition.resource(overrides.path("ResourceRequirements"), "MEMORY", memory);
    } catch (IllegalArgumentException e) {
      throw clientError("ContainerOverrides." + e.getMessage());
    }
    if (vcpus <= 0 || memory < 4) {
      throw clientError("VCPU must be > 0 and MEMORY >= 4 MiB, got " + vcpus + " / " + memory);
    }

    RetryPolicy retry;
    try {
      retry =
          req.has("RetryStrategy")
              ? RetryPolicy.parse(req.path("RetryStrategy"))
              : RetryPolicy.parse(def.json().path("retryStrategy"));
    } catch (IllegalArgumentException e) {
      throw clientError(e.getMessage());
    }
    long timeoutSeconds =
        req.path("Timeout")
            .path("AttemptDurationSeconds")
            .asLong(def.json().path("timeout").path("attemptDurationSeconds").asLong(0));
    if (timeoutSeconds < 0) {
      throw clientError("Timeout.AttemptDurationSeconds must be positive, got " + timeoutSeconds);
    }
    return new JobSpec(
        jobName,
        jobQueue,
        def,
        params,
        command,
        environment(def, overrides),
        vcpus,
        memory,
        retry,
        timeoutSeconds,
        executionArn,
        containerOverridesLength(command, overrides, jobQueue, vcpus, memory));
  }

  /**
   * What ECS's container overrides would hold for this job: the resolved command, the request's
   * environment overrides plus the AWS_BATCH_* variables Batch adds (a 36-character job id, a
   * two-digit attempt, the queue's and a 128-character compute environment's name: the longest AWS
   * allows), and the resource requirements — as JSON, whose length ECS caps.
   */
  private static int containerOverridesLength(
      List<String> command, JsonNode overrides, String jobQueue, double vcpus, int memory) {
    JsonNodeFactory nf = JsonNodeFactory.instance;
    ObjectNode o = nf.objectNode();
    ArrayNode cmd = o.putArray("command");
    command.forEach(cmd::add);
    ArrayNode env = o.putArray("environment");
    for (JsonNode e : overrides.path("Environment")) {
      env.addObject().put("name", e.path("Name").asText()).put("value", e.path("Value").asText());
    }
    String queueName = jobQueue.substring(jobQueue.lastIndexOf('/') + 1);
    env.addObject().put("name", "AWS_BATCH_JOB_ID").put("value", "0".repeat(36));
    env.addObject().put("name", "AWS_BATCH_JOB_ATTEMPT").put("value", "10");
    env.addObject().put("name", "AWS_BATCH_JQ_NAME").put("value", queueName);
    env.addObject().put("name", "AWS_BATCH_CE_NAME").put("value", "c".repeat(128));
    ArrayNode rr = o.putArray("resourceRequirements");
    rr.addObject().put("type", "VCPU").put("value", Double.toString(vcpus));
    rr.addObject().put("type", "MEMORY").put("value", Integer.toString(memory));
    return o.toString().length();
  }

  /** Request values over definition defaults; all strings, as Batch requires. */
  private static Map<String, String> parameters(JobDefinition def, JsonNode reqParams)
      throws TaskFailedException {
    Map<String, String> params = new LinkedHashMap<>();
    def.json()
        .path("parameters")
        .properties()
        .forEach(e -> params.put(e.getKey(), e.getValue().asText()));
    if (!reqParams.isMissingNode() && !reqParams.isNull()) {
      if (!reqParams.isObject()) {
        throw clientError("Parameters must be an object of strings");
      }
      for (Map.Entry<String, JsonNode> e : reqParams.properties()) {
        if (!e.getValue().isTextual()) {
          throw clientError(
              "Parameters." + e.getKey() + " must be a string, got " + e.getValue().getNodeType());
        }
        params.put(e.getKey(), e.getValue().asText());
      }
    }
    return params;
  }

  /** The override's or the definition's command with {@code Ref::name} replaced. */
  private static List<String> command(
      JobDefinition def, JsonNode overrides, Map<String, String> params) {
    JsonNode commandNode =
        overrides.has("Command")
            ? overrides.path("Command")
            : def.json().path("containerProperties").path("command");
    List<String> command = new ArrayList<>();
    for (JsonNode a : commandNode) {
      String arg = a.asText();
      if (arg.startsWith("Ref::") && params.containsKey(arg.substring(5))) {
        arg = params.get(arg.substring(5));
      }
      command.add(arg);
    }
    return command;
  }

  /** Base, role, definition, then overrides; AWS_BATCH_* are the runner's (reserved on AWS). */
  private Map<String, String> environment(JobDefinition def, JsonNode overrides)
      throws TaskFailedException {
    Map<String, String> env = new LinkedHashMap<>(baseEnvironment);
    env.putAll(roleEnvironment.getOrDefault(def.name(), Map.of()));
    for (JsonNode e : def.json().path("containerProperties").path("environment")) {
      env.put(e.path("name").asText(), e.path("value").asText());
    }
    for (JsonNode e : overrides.path("Environment")) {
      String name = e.path("Name").asText("");
      if (name.isEmpty() || name.startsWith("AWS_BATCH")) {
        throw clientError(
            "ContainerOverrides.Environment names must be non-empty and not start with AWS_BATCH, got '"
                + name
                + "'");
      }
      env.put(name, e.path("Value").asText());
    }
    return env;
  }

  private JobDefinition resolveDefinition(String ref) throws TaskFailedException {
    if (ref.isEmpty()) {
      throw clientError("JobDefinition is required");
    }
    String nameRev =
        ref.startsWith("arn:")
            ? ref.substring(ref.indexOf("job-definition/") + "job-definition/".length())
            : ref;
    if (ref.startsWith("arn:") && !ref.contains("job-definition/")) {
      throw clientError("JobDefinition '" + ref + "' is not a job definition ARN");
    }
    String name = nameRev.contains(":") ? nameRev.substring(0, nameRev.indexOf(':')) : nameRev;
    JobDefinition def = definitions.get(name);
    if (def == null) {
      throw clientError(
          "JobDefinition "
              + ref
              + " does not exist; the local stack knows "
              + definitions.keySet());
    }
    if (nameRev.contains(":")
        && !nameRev.substring(nameRev.indexOf(':') + 1).equals(Integer.toString(def.revision()))) {
      throw clientError(
          "JobDefinition "
              + ref
              + " does not exist; the local revision of "
              + name
              + " is "
              + def.revision());
    }
    return def;
  }

  /** Batch's error for a request it refuses. */
  public static TaskFailedException clientError(String message) {
    return new TaskFailedException("Batch.ClientException", message);
  }
}
