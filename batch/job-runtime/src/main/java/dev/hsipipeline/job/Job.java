package dev.hsipipeline.job;

/** A job's work. Throw {@link JobFailure} for classified failures; anything else is retryable. */
@FunctionalInterface
public interface Job {
  /** Runs the job for the resolved event. */
  void run(JobContext ctx) throws Exception;
}
