package dev.hsipipeline.activator;

import dev.hsipipeline.job.JobRunner;
import java.io.PrintStream;
import java.util.Map;

/**
 * The activator container's entry point: {@code java -jar activator.jar <event>} where the event is
 * {@code {"scene": "s3://bucket/prefix/name.hdr"}} (or the data file), inline or as an s3:// URI of
 * that JSON. Exit 0 ok, 2 bad input (no retry), 1 retryable.
 */
public final class Main {
  private Main() {}

  /** Runs and exits. */
  public static void main(String[] args) {
    JobRunner.main(ActivatorJob.NAME, new ActivatorJob(), args);
  }

  /** Runs in-process and returns the exit code (tests, embedding). */
  public static int run(String[] args, Map<String, String> env, PrintStream out) {
    return JobRunner.run(ActivatorJob.NAME, new ActivatorJob(), args, env, out);
  }
}
