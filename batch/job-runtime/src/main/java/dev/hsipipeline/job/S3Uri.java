package dev.hsipipeline.job;

/**
 * An {@code s3://bucket/key} address.
 *
 * @param bucket bucket name
 * @param key object key (may contain slashes; not empty)
 */
public record S3Uri(String bucket, String key) {
  /** Validates. */
  public S3Uri {
    if (bucket == null || bucket.isEmpty())
      throw new IllegalArgumentException("S3 bucket is empty");
    if (key == null || key.isEmpty()) throw new IllegalArgumentException("S3 key is empty");
  }

  /** True if the text looks like an s3:// URI. */
  public static boolean looksLike(String text) {
    return text != null && text.startsWith("s3://");
  }

  /**
   * Parses {@code s3://bucket/key}.
   *
   * @throws JobFailure (permanent) naming the text when it is not a valid object URI
   */
  public static S3Uri parse(String text) {
    if (!looksLike(text))
      throw JobFailure.permanent("not an s3:// URI: '" + abbreviate(text) + "'");
    String rest = text.substring(5);
    int slash = rest.indexOf('/');
    if (slash <= 0 || slash == rest.length() - 1) {
      throw JobFailure.permanent("not an s3://bucket/key object URI: '" + abbreviate(text) + "'");
    }
    return new S3Uri(rest.substring(0, slash), rest.substring(slash + 1));
  }

  /** Another key in the same bucket. */
  public S3Uri withKey(String newKey) {
    return new S3Uri(bucket, newKey);
  }

  /** The last path segment of the key. */
  public String fileName() {
    int i = key.lastIndexOf('/');
    return i < 0 ? key : key.substring(i + 1);
  }

  @Override
  public String toString() {
    return "s3://" + bucket + "/" + key;
  }

  private static String abbreviate(String s) {
    if (s == null) return "null";
    return s.length() <= 120 ? s : s.substring(0, 117) + "...";
  }
}
