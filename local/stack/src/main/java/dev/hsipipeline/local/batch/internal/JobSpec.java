package dev.hsipipeline.local.batch.internal;

import dev.hsipipeline.local.batch.JobDefinition;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One validated SubmitJob request: everything a job needs from SUBMITTED to its last attempt,
 * resolved against its job definition (request values over definition defaults).
 *
 * @param jobName the request's JobName
 * @param jobQueue the request's JobQueue (name or ARN)
 * @param definition the job definition it names
 * @param parameters definition defaults overlaid with the request's Parameters (all strings)
 * @param command the container command after {@code Ref::} substitution
 * @param environment base environment, definition environment, then the overrides
 * @param vcpus the VCPU requirement
 * @param memoryMib the MEMORY requirement in MiB
 * @param retry the retry strategy (the request's or the definition's)
 * @param timeoutSeconds {@code attemptDurationSeconds}, 0 for none
 * @param executionArn the Step Functions execution that submitted it, or null
 * @param containerOverridesLength the length of the container overrides ECS would get for this job
 *     (escaped JSON: command, override and AWS_BATCH_* environment, resource requirements)
 */
public record JobSpec(
    String jobName,
    String jobQueue,
    JobDefinition definition,
    Map<String, String> parameters,
    List<String> command,
    Map<String, String> environment,
    double vcpus,
    int memoryMib,
    RetryPolicy retry,
    long timeoutSeconds,
    String executionArn,
    int containerOverridesLength) {

  /** ECS's cap on a task's container overrides, in characters of JSON. */
  public static final int MAX_CONTAINER_OVERRIDES_LENGTH = 8192;

  public JobSpec {
    Objects.requireNonNull(jobName, "jobName");
    Objects.requireNonNull(jobQueue, "jobQueue");
    Objects.requireNonNull(definition, "definition");
    Objects.requireNonNull(retry, "retry");
    // Insertion order matters (the record lists them as submitted), so no Map.copyOf.
    parameters = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(parameters));
    environment = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(environment));
    command = List.copyOf(command);
  }

  /** The queue's name (the last part of its ARN), as {@code AWS_BATCH_JQ_NAME} carries it. */
  public String jobQueueName() {
    int i = jobQueue.lastIndexOf('/');
    return i >= 0 ? jobQueue.substring(i + 1) : jobQueue;
  }
}
