package dev.hsipipeline.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Everything a job needs: its resolved event (always a JSON object), env, log, S3 and SQS, and
 * where to {@link #report} what it did.
 *
 * @param eventSource where the event came from: {@code inline} or the s3:// URI
 * @param reports receives the outcomes {@link #report} is given (the runner keeps the last)
 */
public record JobContext(
    String jobName,
    JobEnv env,
    ObjectNode event,
    String eventSource,
    JobLog log,
    S3Store s3,
    Supplier<SqsSender> sqs,
    ObjectMapper json,
    Consumer<JobOutcome> reports) {

  /**
   * Says what this run did, for the job log and the execution output ({@code $.outcome}): {@code
   * ctx.report(JobOutcome.unchanged("same ETag and size as the published item", Map.of("item",
   * uri)))}. Call it once the work is done; a later call replaces an earlier one, and a job that
   * never calls it ends {@code done}. A job that fails reports nothing: its failure is the
   * execution's error.
   */
  public void report(JobOutcome outcome) {
    if (outcome == null) throw new IllegalArgumentException("report(null): pass a JobOutcome");
    reports.accept(outcome);
  }

  /**
   * A required string field of the event.
   *
   * @throws JobFailure permanent naming the field when it is missing or not a string
   */
  public String requireText(String field) {
    JsonNode n = event.get(field);
    if (n == null || n.isNull())
      throw JobFailure.permanent(
          "event field '" + field + "' is missing (event: " + abbreviate(event.toString()) + ")");
    if (!n.isTextual() || n.asText().isBlank())
      throw JobFailure.permanent(
          "event field '"
              + field
              + "' must be a non-empty string, got "
              + abbreviate(n.toString()));
    return n.asText().trim();
  }

  static String abbreviate(String s) {
    return s.length() <= 300 ? s : s.substring(0, 297) + "...";
  }
}
