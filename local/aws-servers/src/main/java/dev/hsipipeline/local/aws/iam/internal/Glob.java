package dev.hsipipeline.local.aws.iam.internal;

/**
 * IAM's wildcard matching: {@code *} matches any run of characters (including none, across {@code
 * :} and {@code /}), {@code ?} exactly one character, everything else itself.
 */
public final class Glob {
  private Glob() {}

  /** Case-sensitive match (resources, ARNs). */
  public static boolean matches(String pattern, String value) {
    return match(pattern, value, false);
  }

  /** Case-insensitive match (actions: {@code S3:getobject} is {@code s3:GetObject}). */
  public static boolean matchesIgnoreCase(String pattern, String value) {
    return match(pattern, value, true);
  }

  private static boolean match(String pattern, String value, boolean ignoreCase) {
    // Iterative wildcard matching with backtracking to the last '*': linear in practice.
    int p = 0;
    int v = 0;
    int star = -1;
    int mark = 0;
    while (v < value.length()) {
      if (p < pattern.length()
          && (pattern.charAt(p) == '?' || same(pattern.charAt(p), value.charAt(v), ignoreCase))) {
        p++;
        v++;
      } else if (p < pattern.length() && pattern.charAt(p) == '*') {
        star = p++;
        mark = v;
      } else if (star >= 0) {
        p = star + 1;
        v = ++mark;
      } else {
        return false;
      }
    }
    while (p < pattern.length() && pattern.charAt(p) == '*') {
      p++;
    }
    return p == pattern.length();
  }

  private static boolean same(char a, char b, boolean ignoreCase) {
    return a == b || (ignoreCase && Character.toLowerCase(a) == Character.toLowerCase(b));
  }
}
