package dev.hsipipeline.job;

import java.net.URI;
import java.util.Map;
import java.util.Optional;

/**
 * The job's environment, read once. Variables (all optional unless a job requires them):
 * AWS_BATCH_JOB_ID, AWS_BATCH_JOB_ATTEMPT (1-based), AWS_BATCH_JQ_NAME, PIPELINE_EXECUTION_ARN,
 * PIPELINE_MESSAGE_ID, DATA_BUCKET, PROCESSOR_QUEUE_URL, AWS_REGION / AWS_DEFAULT_REGION,
 * AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN, AWS_ENDPOINT_URL_S3,
 * AWS_ENDPOINT_URL_SQS, AWS_ENDPOINT_URL (fallback for both), PIPELINE_FAULT_INJECTION,
 * PIPELINE_OUTCOME_URI.
 *
 * @param faultInjection {@value #FAULT_INJECTION} is {@code true}: the job honours an event's
 *     {@code "faults"} (see {@link JobRunner}). Only the local stack and tests set it; the job
 *     definitions, and so every deployed job, never do.
 * @param vars all variables, for job-specific settings
 */
public record JobEnv(
    String jobId,
    int attempt,
    String jobQueue,
    String executionArn,
    String messageId,
    String dataBucket,
    String processorQueueUrl,
    String region,
    URI s3Endpoint,
    URI sqsEndpoint,
    boolean faultInjection,
    Map<String, String> vars) {

  /** The variable that turns fault injection on ({@code true}; unset or {@code false}: off). */
  public static final String FAULT_INJECTION = "PIPELINE_FAULT_INJECTION";

  /**
   * Where a successful job writes its {@link JobOutcome} ({@code s3://bucket/key}). The state
   * machine sets it per execution and job and reads the object back into the execution output (ADR
   * 0166); unset when a job runs outside a workflow, then the outcome is only logged.
   */
  public static final String OUTCOME_URI = "PIPELINE_OUTCOME_URI";

  /** Reads the variables from a map (System.getenv() in production, a fixture in tests). */
  public static JobEnv from(Map<String, String> env) {
    Map<String, String> vars = Map.copyOf(env);
    String jobId =
        nonBlank(vars.get("AWS_BATCH_JOB_ID")).orElse("local-" + ProcessHandle.current().pid());
    int attempt = 1;
    String rawAttempt = nonBlank(vars.get("AWS_BATCH_JOB_ATTEMPT")).orElse("1");
    try {
      attempt = Math.max(1, Integer.parseInt(rawAttempt.trim()));
    } catch (NumberFormatException e) {
      throw JobFailure.permanent(
          "AWS_BATCH_JOB_ATTEMPT must be an integer, got '" + rawAttempt + "'");
    }
    String region =
        nonBlank(vars.get("AWS_REGION"))
            .or(() -> nonBlank(vars.get("AWS_DEFAULT_REGION")))
            .orElse("us-east-1");
    URI s3 = endpoint(vars, "AWS_ENDPOINT_URL_S3");
    URI sqs = endpoint(vars, "AWS_ENDPOINT_URL_SQS");
    String faults = nonBlank(vars.get(FAULT_INJECTION)).orElse("false");
    if (!faults.equalsIgnoreCase("true") && !faults.equalsIgnoreCase("false")) {
      throw JobFailure.permanent(
          FAULT_INJECTION + " must be 'true' or 'false' (or unset), got '" + faults + "'");
    }
    return new JobEnv(
        jobId,
        attempt,
        vars.get("AWS_BATCH_JQ_NAME"),
        vars.get("PIPELINE_EXECUTION_ARN"),
        vars.get("PIPELINE_MESSAGE_ID"),
        nonBlank(vars.get("DATA_BUCKET")).orElse(null),
        nonBlank(vars.get("PROCESSOR_QUEUE_URL")).orElse(null),
        region,
        s3,
        sqs,
        faults.equalsIgnoreCase("true"),
        vars);
  }

  /** A variable, if set and not blank. */
  public Optional<String> get(String name) {
    return nonBlank(vars.get(name));
  }

  /**
   * An integer setting: {@code dflt} when unset.
   *
   * @throws JobFailure (permanent) naming the variable and the range when it is not an integer in
   *     {@code min..max}
   */
  public int integer(String name, int dflt, int min, int max) {
    String raw = get(name).orElse(null);
    if (raw == null) return dflt;
    try {
      int v = Integer.parseInt(raw);
      if (v >= min && v <= max) return v;
    } catch (NumberFormatException e) {
      // reported below
    }
    throw JobFailure.permanent(
        "environment variable "
            + name
            + " must be an integer in "
            + min
            + ".."
            + max
            + ", got '"
            + raw
            + "'");
  }

  /**
   * A variable the job cannot run without.
   *
   * @throws JobFailure (permanent: configuration, not retryable) when unset
   */
  public String require(String name) {
    return get(name)
        .orElseThrow(
            () ->
                JobFailure.permanent(
                    "environment variable "
                        + name
                        + " is not set (see the job definition's environment)"));
  }

  /**
   * The service-specific variable, else AWS_ENDPOINT_URL; errors name the variable that was used.
   */
  private static URI endpoint(Map<String, String> vars, String specific) {
    Optional<String> v = nonBlank(vars.get(specific));
    if (v.isPresent()) return uri(specific, v.get());
    return nonBlank(vars.get("AWS_ENDPOINT_URL")).map(u -> uri("AWS_ENDPOINT_URL", u)).orElse(null);
  }

  private static Optional<String> nonBlank(String s) {
    return s == null || s.isBlank() ? Optional.empty() : Optional.of(s.trim());
  }

  private static URI uri(String name, String value) {
    try {
      URI u = URI.create(value);
      if (u.getScheme() == null || u.getHost() == null)
        throw new IllegalArgumentException("no scheme or host");
      return u;
    } catch (IllegalArgumentException e) {
      throw JobFailure.permanent(name + " is not a valid URL: '" + value + "'");
    }
  }
}
