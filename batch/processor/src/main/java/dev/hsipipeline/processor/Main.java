package dev.hsipipeline.processor;

import dev.hsipipeline.job.JobRunner;
import java.io.PrintStream;
import java.util.Map;

/**
 * The processor container's entry point: {@code java -jar processor.jar <event>} where the event is
 * {@code {"item": "s3://…/items/<id>.json", "products": ["stats", "ndi", "quicklook"]}} (products
 * optional: default all), inline or as an s3:// URI of that JSON. Exit 0 ok, 2 bad input (no
 * retry), 1 retryable.
 */
public final class Main {
  private Main() {}

  /** Runs and exits. */
  public static void main(String[] args) {
    JobRunner.main(ProcessorJob.NAME, new ProcessorJob(), args);
  }

  /** Runs in-process and returns the exit code (tests, embedding). */
  public static int run(String[] args, Map<String, String> env, PrintStream out) {
    return JobRunner.run(ProcessorJob.NAME, new ProcessorJob(), args, env, out);
  }
}
