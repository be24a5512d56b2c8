package dev.hsipipeline.hsi;

/**
 * A malformed or inconsistent ENVI header. The message names the header (source), the key and the
 * problem, e.g. {@code s3://b/x.hdr: key 'data type': unsupported value 5 (float64)}.
 */
public final class EnviHeaderException extends IllegalArgumentException {
  private final String source;
  private final String key;
  private final String problem;

  /** Creates the exception; {@code key} may be null for problems not tied to one key. */
  public EnviHeaderException(String source, String key, String problem) {
    super(source + ": " + (key == null ? "" : "key '" + key + "': ") + problem);
    this.source = source;
    this.key = key;
    this.problem = problem;
  }

  /** Where the header came from (an s3:// URI, a file name). */
  public String source() {
    return source;
  }

  /** The offending key, or null. */
  public String key() {
    return key;
  }

  /** The problem, without the source and key prefix. */
  public String problem() {
    return problem;
  }
}
