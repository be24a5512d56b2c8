package dev.hsipipeline.trigger;

import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Settings of the trigger, read once at init from the function's environment.
 *
 * <table>
 *   <caption>Environment variables</caption>
 *   <tr><th>Variable</th><th>Default</th><th>Meaning</th></tr>
 *   <tr><td>{@code STATE_MACHINE_ARN}</td><td>required</td><td>state machine to start</td></tr>
 *   <tr><td>{@code PAYLOAD_BUCKET}</td><td>none</td><td>bucket for bodies above the inline
 *       limit; without it such bodies fail permanently</td></tr>
 *   <tr><td>{@code PAYLOAD_PREFIX}</td><td>{@code payloads/}</td><td>key prefix of offloaded
 *       bodies</td></tr>
 *   <tr><td>{@code INLINE_PAYLOAD_LIMIT_BYTES}</td><td>{@code 4096}</td><td>largest body passed
 *       inline, counted as it travels in the job's container overrides (escaped JSON, see {@link
 *       dev.hsipipeline.trigger.internal.BatchStarter#overridesLength}); at most 6144; 0 offloads
 *       every body</td></tr>
 *   <tr><td>{@code MAX_CONCURRENCY}</td><td>{@code 32}</td><td>StartExecution calls in flight per
 *       invocation</td></tr>
 *   <tr><td>{@code REQUIRE_JSON_BODY}</td><td>{@code true}</td><td>a body that is not JSON is a
 *       permanent failure</td></tr>
 * </table>
 *
 * @param stateMachineArn ARN of the state machine (a version or alias ARN also works)
 * @param payloadBucket bucket for offloaded bodies, or {@code null}
 * @param payloadPrefix key prefix for offloaded bodies, empty or ending in {@code /}
 * @param inlinePayloadLimitBytes bodies longer than this as escaped JSON go to S3
 * @param maxConcurrency bound of concurrent StartExecution calls
 * @param requireJsonBody whether a non-JSON body is rejected
 */
public record TriggerConfig(
    String stateMachineArn,
    String payloadBucket,
    String payloadPrefix,
    int inlinePayloadLimitBytes,
    int maxConcurrency,
    boolean requireJsonBody) {

  /** Default {@code INLINE_PAYLOAD_LIMIT_BYTES}, as in {@code terraform/queues.json}. */
  public static final int DEFAULT_INLINE_PAYLOAD_LIMIT_BYTES = 4096;

  /**
   * Largest allowed inline limit. An inline event becomes the job's command, and ECS caps a task's
   * container overrides at 8,192 characters of escaped JSON, which also carry the PIPELINE_*
   * variables, the AWS_BATCH_* variables Batch adds and the resource requirements (up to ~1,300
   * characters with 128-character names); 6,144 leaves that room and a margin. (Batch's 30 KiB
   * SubmitJob limit and Step Functions' 256 KiB are far above it.)
   */
  public static final int MAX_INLINE_PAYLOAD_LIMIT_BYTES = 6144;

  /** Default {@code MAX_CONCURRENCY}, as in {@code terraform/queues.json}. */
  public static final int DEFAULT_MAX_CONCURRENCY = 32;

  /** Default {@code PAYLOAD_PREFIX}. */
  public static final String DEFAULT_PAYLOAD_PREFIX = "payloads/";

  private static final Pattern STATE_MACHINE_ARN =
      Pattern.compile(
          "arn:aws[a-z-]*:states:[a-z0-9-]+:\\d{12}:stateMachine:[A-Za-z0-9_-]{1,80}(:[A-Za-z0-9_$.-]{1,80})?");
  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

  /** Validates every setting; messages name the environment variable. */
  public TriggerConfig {
    if (stateMachineArn == null || stateMachineArn.isBlank()) {
      throw new IllegalArgumentException(
          "STATE_MACHINE_ARN is not set: it must name the state machine to start, e.g."
              + " arn:aws:states:us-east-1:000000000000:stateMachine:pipeline");
    }
    if (!STATE_MACHINE_ARN.matcher(stateMachineArn).matches()) {
      throw new IllegalArgumentException(
          "STATE_MACHINE_ARN '"
              + stateMachineArn
              + "' is not a Step Functions state machine ARN"
              + " (arn:aws:states:<region>:<account>:stateMachine:<name>)");
    }
    if (payloadBucket != null && payloadBucket.isBlank()) {
      payloadBucket = null;
    }
    if (payloadBucket != null && !BUCKET.matcher(payloadBucket).matches()) {
      throw new IllegalArgumentException(
          "PAYLOAD_BUCKET '" + payloadBucket + "' is not a valid S3 bucket name");
    }
    payloadPrefix = payloadPrefix == null ? DEFAULT_PAYLOAD_PREFIX : payloadPrefix.strip();
    while (payloadPrefix.startsWith("/")) {
      payloadPrefix = payloadPrefix.substring(1);
    }
    if (!payloadPrefix.isEmpty() && !payloadPrefix.endsWith("/")) {
      payloadPrefix = payloadPrefix + "/";
    }
    if (payloadPrefix.length() > 900) {
      throw new IllegalArgumentException("PAYLOAD_PREFIX is longer than 900 characters");
    }
    if (inlinePayloadLimitBytes < 0 || inlinePayloadLimitBytes > MAX_INLINE_PAYLOAD_LIMIT_BYTES) {
      throw new IllegalArgumentException(
          "INLINE_PAYLOAD_LIMIT_BYTES = "
              + inlinePayloadLimitBytes
              + " is outside [0, "
              + MAX_INLINE_PAYLOAD_LIMIT_BYTES
              + "] (an inline event becomes the job's command; ECS caps container overrides at"
              + " 8192 characters)");
    }
    if (maxConcurrency < 1 || maxConcurrency > 1000) {
      throw new IllegalArgumentException(
          "MAX_CONCURRENCY = " + maxConcurrency + " is outside [1, 1000]");
    }
  }

  /** Reads the settings from environment variables (the function's or a given map). */
  public static TriggerConfig fromEnvironment(Map<String, String> env) {
    Objects.requireNonNull(env, "environment");
    return new TriggerConfig(
        trimmed(env.get("STATE_MACHINE_ARN")),
        trimmed(env.get("PAYLOAD_BUCKET")),
        env.get("PAYLOAD_PREFIX"),
        integer(env, "INLINE_PAYLOAD_LIMIT_BYTES", DEFAULT_INLINE_PAYLOAD_LIMIT_BYTES),
        integer(env, "MAX_CONCURRENCY", DEFAULT_MAX_CONCURRENCY),
        bool(env, "REQUIRE_JSON_BODY", true));
  }

  /** Whether bodies above the inline limit can be stored. */
  public boolean canOffload() {
    return payloadBucket != null;
  }

  private static String trimmed(String v) {
    return v == null ? null : v.strip();
  }

  private static int integer(Map<String, String> env, String name, int dflt) {
    String v = trimmed(env.get(name));
    if (v == null || v.isEmpty()) {
      return dflt;
    }
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be an integer, got '" + v + "'", e);
    }
  }

  private static boolean bool(Map<String, String> env, String name, boolean dflt) {
    String v = trimmed(env.get(name));
    if (v == null || v.isEmpty()) {
      return dflt;
    }
    return switch (v.toLowerCase(java.util.Locale.ROOT)) {
      case "true", "1", "yes" -> true;
      case "false", "0", "no" -> false;
      default ->
          throw new IllegalArgumentException(name + " must be true or false, got '" + v + "'");
    };
  }
}
