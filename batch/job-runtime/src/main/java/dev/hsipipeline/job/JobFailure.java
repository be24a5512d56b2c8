package dev.hsipipeline.job;

/**
 * Why a job failed, and whether trying again can help. {@link Kind#PERMANENT} failures (bad input:
 * a missing object, a corrupt header, truncated data, an unknown product) exit with code 2, which
 * the job definition's retryStrategy maps to EXIT (no retry); {@link Kind#TRANSIENT} ones exit with
 * 1 and are retried.
 */
public final class JobFailure extends RuntimeException {
  /** Retry semantics. */
  public enum Kind {
    /** Bad input or configuration: retrying cannot help (exit 2). */
    PERMANENT,
    /** Infrastructure trouble: a retry may succeed (exit 1). */
    TRANSIENT
  }

  private final Kind kind;

  private JobFailure(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  /** A failure no retry can fix. */
  public static JobFailure permanent(String message) {
    return new JobFailure(Kind.PERMANENT, message, null);
  }

  /** A failure no retry can fix, with its cause. */
  public static JobFailure permanent(String message, Throwable cause) {
    return new JobFailure(Kind.PERMANENT, message, cause);
  }

  /** A failure a retry may fix. */
  public static JobFailure transientFailure(String message, Throwable cause) {
    return new JobFailure(Kind.TRANSIENT, message, cause);
  }

  /** The object does not exist. */
  public static JobFailure missingObject(S3Uri uri) {
    return permanent("missing object: " + uri + " does not exist");
  }

  /** A header (or other metadata object) is corrupt; {@code problem} names the key. */
  public static JobFailure corrupt(S3Uri uri, String problem) {
    return permanent("corrupt object " + uri + ": " + problem);
  }

  /**
   * Permanent: the object was replaced after the job read its ETag, so continuing would mix two
   * versions. A new run reads the new version from the start.
   */
  public static JobFailure sourceReplaced(S3Uri uri, String eTagAtStart) {
    return permanent(
        "source replaced: "
            + uri
            + " no longer has ETag "
            + eTagAtStart
            + " that it had when the job started (412 PreconditionFailed on a ranged GET);"
            + " nothing was written from the mixed versions, run the job again for the new one");
  }

  /** The data object is shorter than its header says. */
  public static JobFailure truncated(
      S3Uri uri, long expectedBytes, long actualBytes, String formula) {
    return permanent(
        "truncated data: "
            + uri
            + " has "
            + actualBytes
            + " bytes, expected "
            + expectedBytes
            + " bytes ("
            + formula
            + ")");
  }

  /** Whether another attempt can succeed, which decides the exit code. */
  public Kind kind() {
    return kind;
  }

  /** True for {@link Kind#PERMANENT}. */
  public boolean isPermanent() {
    return kind == Kind.PERMANENT;
  }

  /** The process exit code for this failure: 2 or 1. */
  public int exitCode() {
    return isPermanent() ? JobRunner.EXIT_PERMANENT : JobRunner.EXIT_RETRYABLE;
  }
}
