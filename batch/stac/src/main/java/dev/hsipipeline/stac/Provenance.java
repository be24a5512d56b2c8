package dev.hsipipeline.stac;

import java.util.Map;

/**
 * Which job run wrote an item: {@code processing:software} and the {@code hsi:execution_arn} /
 * {@code hsi:job_id} properties the console uses to link an item to its execution.
 *
 * @param software job name, e.g. {@code "hsi-pipeline activator"}
 * @param version its version
 * @param executionArn the Step Functions execution, or null when run outside the workflow
 * @param jobId the Batch job id, or null
 */
public record Provenance(String software, String version, String executionArn, String jobId) {
  /** From a job's environment ({@code PIPELINE_EXECUTION_ARN}, {@code AWS_BATCH_JOB_ID}). */
  public static Provenance of(String software, String version, Map<String, String> env) {
    return new Provenance(
        software,
        version,
        blankToNull(env.get("PIPELINE_EXECUTION_ARN")),
        blankToNull(env.get("AWS_BATCH_JOB_ID")));
  }

  /** Writes itself into an item. */
  void applyTo(ItemBuilder b, com.fasterxml.jackson.databind.ObjectMapper json) {
    b.software(software, version == null ? "unknown" : version);
    if (executionArn != null)
      b.property("hsi:execution_arn", json.getNodeFactory().textNode(executionArn));
    if (jobId != null) b.property("hsi:job_id", json.getNodeFactory().textNode(jobId));
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
