package dev.hsipipeline.trigger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Derives a Step Functions execution name from an SQS message id, deterministically, so a
 * redelivered message maps to the same name and AWS rejects a second execution.
 *
 * <p>AWS allows 1-80 characters and forbids whitespace, {@code ? * < > { } [ ] " # % \ ^ | ~ ` $ &
 * , ; : /} and control characters. SQS message ids are UUIDs ({@code [0-9a-f-]{36}}), used as is.
 * Any other id (too long, empty, other characters) becomes {@code <sanitized prefix>_<hash>}: the
 * prefix keeps ASCII letters, digits, {@code -} and {@code .} (everything else becomes {@code -})
 * for readability, and the hash (26 base32 characters of the SHA-256 of the id's UTF-8 bytes) keeps
 * names of different ids apart. Plain names never contain {@code _}, hashed names always do, so a
 * plain id can never collide with a hashed one.
 *
 * <p>This rule is a contract (ADR 0031): whoever looks up the execution of a message (the console,
 * an operator, the Python peer of the benchmarks) derives the name the same way, so it is public
 * and must not change for messages already in flight.
 */
public final class ExecutionNames {

  /** Longest execution name AWS accepts. */
  public static final int MAX_LENGTH = 80;

  private static final int HASH_CHARS = 26;
  private static final int MAX_PREFIX = MAX_LENGTH - 1 - HASH_CHARS;
  private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

  private ExecutionNames() {}

  /** The execution name for a message id ({@code null} is treated as empty). */
  public static String fromMessageId(String messageId) {
    String id = messageId == null ? "" : messageId;
    if (isPlain(id)) {
      return id;
    }
    StringBuilder name = new StringBuilder(MAX_LENGTH);
    for (int i = 0; i < id.length() && name.length() < MAX_PREFIX; ) {
      int cp = id.codePointAt(i);
      name.append(isPlainChar(cp) || cp == '.' ? (char) cp : '-');
      i += Character.charCount(cp);
    }
    return name.append('_').append(hash(id)).toString();
  }

  /** Whether a name satisfies the AWS execution-name rules (used by tests and as a guard). */
  public static boolean isValidAwsName(String name) {
    if (name == null || name.isEmpty() || name.length() > MAX_LENGTH) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (Character.isWhitespace(c)
          || c <= 0x1f
          || (c >= 0x7f && c <= 0x9f)
          || "?*<>{}[]\"#%\\^|~`$&,;:/".indexOf(c) >= 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean isPlain(String id) {
    if (id.isEmpty() || id.length() > MAX_LENGTH) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      if (!isPlainChar(id.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static boolean isPlainChar(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
  }

  private static String hash(String id) {
    byte[] digest;
    try {
      digest = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
    // 26 base32 characters = 130 bits taken from the first 17 bytes.
    StringBuilder out = new StringBuilder(HASH_CHARS);
    int buffer = 0;
    int bits = 0;
    for (int i = 0; out.length() < HASH_CHARS; ) {
      if (bits < 5) {
        buffer = (buffer << 8) | (digest[i++] & 0xff);
        bits += 8;
      }
      out.append(BASE32[(buffer >> (bits - 5)) & 0x1f]);
      bits -= 5;
    }
    return out.toString();
  }
}
