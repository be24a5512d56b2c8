package dev.hsipipeline.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a successful job did, as the state machine shows it in the execution output ({@code
 * $.outcome}, ADR 0166). A job reports it with {@link JobContext#report}; a job that reports
 * nothing ends {@link Status#DONE}. {@link JobRunner} logs it and, in a workflow, writes it to the
 * object named by {@value JobEnv#OUTCOME_URI}.
 *
 * @param status what kind of run it was
 * @param message one line for a person ("same ETag and size as the published item")
 * @param outputs what the run produced or found, by name (e.g. {@code item} → an s3:// URI), in
 *     insertion order
 */
public record JobOutcome(Status status, String message, Map<String, String> outputs) {

  /** Longest {@link #message()}, in characters. */
  public static final int MAX_MESSAGE_CHARS = 1000;

  /** Most {@link #outputs()} entries. */
  public static final int MAX_OUTPUTS = 32;

  /** Longest output value, in characters (an s3:// URI is at most 1024 + 68). */
  public static final int MAX_OUTPUT_CHARS = 1100;

  private static final Pattern OUTPUT_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,63}");

  /** The kinds of successful run; failures are exit codes, never an outcome. */
  public enum Status {
    /** The job did its work (wrote outputs, sent messages). */
    DONE,
    /** The sources were unchanged: the job did no work and sent nothing. */
    UNCHANGED;

    /** The value in the outcome JSON: {@code done}, {@code unchanged}. */
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * Validates and copies.
   *
   * @throws IllegalArgumentException naming the field: a null status, a blank or over-long message,
   *     too many outputs, an output name that is not {@code [A-Za-z][A-Za-z0-9_.-]{0,63}} or a
   *     blank or over-long value (a job bug, so the runner reports it as one)
   */
  public JobOutcome {
    if (status == null) throw new IllegalArgumentException("job outcome: status is null");
    if (message == null || message.isBlank())
      throw new IllegalArgumentException("job outcome: message is blank");
    if (message.length() > MAX_MESSAGE_CHARS)
      throw new IllegalArgumentException(
          "job outcome: message is "
              + message.length()
              + " characters, more than "
              + MAX_MESSAGE_CHARS);
    if (outputs == null) outputs = Map.of();
    if (outputs.size() > MAX_OUTPUTS)
      throw new IllegalArgumentException(
          "job outcome: " + outputs.size() + " outputs, more than " + MAX_OUTPUTS);
    Map<String, String> copy = new LinkedHashMap<>();
    outputs.forEach(
        (name, value) -> {
          if (name == null || !OUTPUT_NAME.matcher(name).matches())
            throw new IllegalArgumentException(
                "job outcome: output name '" + name + "' must match " + OUTPUT_NAME.pattern());
          if (value == null || value.isBlank() || value.length() > MAX_OUTPUT_CHARS)
            throw new IllegalArgumentException(
                "job outcome: output '"
                    + name
                    + "' must be a non-blank value of at most "
                    + MAX_OUTPUT_CHARS
                    + " characters");
          copy.put(name, value);
        });
    message = message.strip();
    outputs = Collections.unmodifiableMap(copy);
  }

  /** The job did its work; {@code outputs} names what it wrote. */
  public static JobOutcome done(String message, Map<String, String> outputs) {
    return new JobOutcome(Status.DONE, message, outputs);
  }

  /**
   * The sources were unchanged, so the job did no work; {@code outputs} names what is already
   * published (e.g. the item).
   */
  public static JobOutcome unchanged(String message, Map<String, String> outputs) {
    return new JobOutcome(Status.UNCHANGED, message, outputs);
  }

  /** What a job that reported nothing did. */
  static JobOutcome defaultDone() {
    return done("the job finished (it reported no outcome of its own)", Map.of());
  }

  /**
   * The JSON the runner writes and the state machine puts under {@code $.outcome}: {@code
   * {"status","message","outputs","job","jobId","attempt"}}.
   */
  ObjectNode toJson(ObjectMapper json, String job, JobEnv env) {
    ObjectNode n = json.createObjectNode();
    n.put("status", status.wireName());
    n.put("message", message);
    ObjectNode out = n.putObject("outputs");
    outputs.forEach(out::put);
    n.put("job", job);
    n.put("jobId", env.jobId());
    n.put("attempt", env.attempt());
    return n;
  }
}
