package dev.hsipipeline.local.testjobs;

import dev.hsipipeline.job.JobFailure;
import dev.hsipipeline.job.JobOutcome;
import dev.hsipipeline.job.JobRunner;
import dev.hsipipeline.job.S3Uri;
import java.util.Map;

/**
 * A job main on the jobs' own runtime ({@link JobRunner}) for outcome tests: the event's {@code
 * "report"} says what it does — {@code done} writes an item and reports it, {@code unchanged}
 * writes nothing and says so, {@code fail} fails permanently.
 */
public final class OutcomeJob {
  /** The item the {@code done} run writes. */
  public static final String ITEM_KEY = "stac/scenes/items/outcome-e2e.json";

  private OutcomeJob() {}

  public static void main(String[] args) {
    JobRunner.main(
        "activator",
        ctx -> {
          String report = ctx.requireText("report");
          S3Uri item = new S3Uri(ctx.env().dataBucket(), ITEM_KEY);
          switch (report) {
            case "done" -> {
              ctx.s3().putString(item, "{\"id\":\"outcome-e2e\"}", "application/json");
              ctx.report(JobOutcome.done("scene activated", Map.of("item", item.toString())));
            }
            case "unchanged" ->
                ctx.report(
                    JobOutcome.unchanged(
                        "same ETag and size as the published item",
                        Map.of("item", item.toString())));
            case "fail" -> throw JobFailure.permanent("corrupt header: 'samples' is missing");
            default -> throw JobFailure.permanent("unknown report '" + report + "'");
          }
        },
        args);
  }
}
