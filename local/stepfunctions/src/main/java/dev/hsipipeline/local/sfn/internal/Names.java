package dev.hsipipeline.local.sfn.internal;

/** AWS naming and ARN rules for state machines and executions. */
public final class Names {
  private Names() {}

  /** Characters AWS forbids in state machine and execution names (besides whitespace/control). */
  private static final String FORBIDDEN = "<>{}[]?*\"#%\\^|~`$&,;:/";

  /**
   * Why {@code name} is not a valid state machine / execution name, or null when it is valid.
   * Rules: 1–80 characters; no whitespace, brackets {@code < > { } [ ]}, wildcards {@code ? *},
   * special characters {@code " # % \ ^ | ~ ` $ & , ; : /}, or control characters (U+0000–U+001F,
   * U+007F–U+009F).
   */
  public static String nameProblem(String name) {
    if (name == null || name.isEmpty()) {
      return "must not be empty";
    }
    if (name.codePointCount(0, name.length()) > MAX_NAME_LENGTH) {
      return "must be at most 80 characters";
    }
    for (int i = 0; i < name.length(); ) {
      int cp = name.codePointAt(i);
      if (Character.isWhitespace(cp) || Character.isSpaceChar(cp)) {
        return "must not contain whitespace (found at index " + i + ")";
      }
      if (cp <= 0x1F || (cp >= 0x7F && cp <= 0x9F)) {
        return String.format("must not contain control characters (U+%04X at index %d)", cp, i);
      }
      if (cp < 0x80 && FORBIDDEN.indexOf(cp) >= 0) {
        return "must not contain '"
            + (char) cp
            + "' (found at index "
            + i
            + "); brackets < > { } [ ], wildcards ? *, and \" # % \\ ^ | ~ ` $ & , ; : / are not allowed";
      }
      i += Character.charCount(cp);
    }
    return null;
  }

  /** Longest state machine or execution name, in characters. */
  static final int MAX_NAME_LENGTH = 80;

  /**
   * AWS checks a name's length (1-80) with the request's schema, before its characters, and answers
   * a {@code ValidationException}: this is its message, or null when the length is within bounds.
   */
  static String lengthViolation(String name) {
    int length = name == null ? 0 : name.codePointCount(0, name.length());
    if (length < 1) {
      return "1 validation error detected: Value '' at 'name' failed to satisfy constraint: "
          + "Member must have length greater than or equal to 1";
    }
    if (length > MAX_NAME_LENGTH) {
      return "1 validation error detected: Value '"
          + name
          + "' at 'name' failed to satisfy constraint: Member must have length less than or equal"
          + " to "
          + MAX_NAME_LENGTH;
    }
    return null;
  }

  /** True when {@code name} follows AWS's naming rules. */
  public static boolean isValidName(String name) {
    return nameProblem(name) == null;
  }

  static String stateMachineArn(String region, String account, String name) {
    return "arn:aws:states:" + region + ":" + account + ":stateMachine:" + name;
  }

  static String executionArn(String region, String account, String smName, String execName) {
    return "arn:aws:states:" + region + ":" + account + ":execution:" + smName + ":" + execName;
  }

  /** The parsed parts of a Step Functions ARN. */
  record Arn(String region, String account, String resourceType, String first, String second) {}

  /**
   * Parses {@code arn:<partition>:states:<region>:<account>:<type>:<name>[:<name2>]}.
   *
   * @throws ApiException InvalidArn naming what is wrong
   */
  static Arn parse(String arn, String expectedType) {
    if (arn == null || arn.isEmpty()) {
      throw ApiException.invalidArn(String.valueOf(arn), "ARN must not be empty");
    }
    String[] p = arn.split(":", -1);
    if (p.length < 7 || !"arn".equals(p[0]) || p[1].isEmpty() || !"states".equals(p[2])) {
      throw ApiException.invalidArn(
          arn, "Expected arn:aws:states:<region>:<account>:" + expectedType + ":...");
    }
    if (!p[5].equals(expectedType)) {
      throw ApiException.invalidArn(
          arn,
          "Resource type not valid in this context (expected "
              + expectedType
              + ", got "
              + p[5]
              + ")");
    }
    if (p[3].isEmpty() || p[4].isEmpty() || p[6].isEmpty()) {
      throw ApiException.invalidArn(arn, "Region, account and name must not be empty");
    }
    if ("stateMachine".equals(expectedType)) {
      if (p.length > 8) {
        throw ApiException.invalidArn(arn, "Too many components");
      }
      return new Arn(p[3], p[4], p[5], p[6], p.length == 8 ? p[7] : null);
    }
    if (p.length != 8 || p[7].isEmpty()) {
      throw ApiException.invalidArn(
          arn,
          "Expected arn:aws:states:<region>:<account>:execution:<stateMachineName>:<executionName>");
    }
    return new Arn(p[3], p[4], p[5], p[6], p[7]);
  }
}
