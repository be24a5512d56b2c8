package dev.hsipipeline.local.aws.iam.internal;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The IAM condition operators the local stack evaluates: the String, Arn, Bool, Numeric and Null
 * families, each with the {@code IfExists} suffix. Within a block every operator must match, within
 * an operator every key, and a key matches when any of its values does. A missing key fails a
 * positive operator and satisfies a negated one ({@code StringNotEquals}, ...), as in AWS. Set
 * operators ({@code ForAnyValue:}/{@code ForAllValues:}) are refused when the policy is read: every
 * context key here has one value.
 */
public final class Conditions {
  private Conditions() {}

  private static final Set<String> OPERATORS =
      Set.of(
          "StringEquals",
          "StringNotEquals",
          "StringEqualsIgnoreCase",
          "StringNotEqualsIgnoreCase",
          "StringLike",
          "StringNotLike",
          "ArnEquals",
          "ArnNotEquals",
          "ArnLike",
          "ArnNotLike",
          "Bool",
          "Null",
          "NumericEquals",
          "NumericNotEquals",
          "NumericLessThan",
          "NumericLessThanEquals",
          "NumericGreaterThan",
          "NumericGreaterThanEquals");

  /**
   * @throws IllegalArgumentException naming an operator the local evaluator does not know
   */
  public static void check(String sid, Map<String, Map<String, List<String>>> conditions) {
    for (String op : conditions.keySet()) {
      if (!OPERATORS.contains(base(op))) {
        throw new IllegalArgumentException(
            "condition operator "
                + op
                + " is not evaluated by the local stack; supported: "
                + new java.util.TreeSet<>(OPERATORS)
                + " (each also with IfExists)");
      }
    }
  }

  /** Whether every condition holds for the request context (keys compared case-insensitively). */
  public static boolean matches(
      Map<String, Map<String, List<String>>> conditions, Map<String, String> context) {
    for (Map.Entry<String, Map<String, List<String>>> op : conditions.entrySet()) {
      String name = op.getKey();
      boolean ifExists = name.endsWith("IfExists");
      String base = base(name);
      for (Map.Entry<String, List<String>> key : op.getValue().entrySet()) {
        String actual = context.get(key.getKey());
        if (!keyMatches(base, ifExists, actual, key.getValue())) {
          return false;
        }
      }
    }
    return true;
  }

  private static boolean keyMatches(
      String op, boolean ifExists, String actual, List<String> values) {
    if (op.equals("Null")) {
      boolean wantAbsent = values.stream().anyMatch(v -> v.equalsIgnoreCase("true"));
      return (actual == null) == wantAbsent;
    }
    boolean negated = op.contains("Not");
    if (actual == null) {
      return ifExists || negated;
    }
    boolean any = values.stream().anyMatch(v -> positive(op, actual, v));
    return negated ? !any : any;
  }

  private static boolean positive(String op, String actual, String expected) {
    return switch (op.replace("Not", "")) {
      case "StringEquals" -> actual.equals(expected);
      case "StringEqualsIgnoreCase" -> actual.equalsIgnoreCase(expected);
      case "StringLike", "ArnLike" -> Glob.matches(expected, actual);
      case "ArnEquals" -> actual.equals(expected);
      case "Bool" -> actual.equalsIgnoreCase(expected);
      default -> numeric(op.replace("Not", ""), actual, expected);
    };
  }

  private static boolean numeric(String op, String actual, String expected) {
    int c;
    try {
      c = new BigDecimal(actual).compareTo(new BigDecimal(expected));
    } catch (NumberFormatException e) {
      return false;
    }
    return switch (op) {
      case "NumericEquals" -> c == 0;
      case "NumericLessThan" -> c < 0;
      case "NumericLessThanEquals" -> c <= 0;
      case "NumericGreaterThan" -> c > 0;
      case "NumericGreaterThanEquals" -> c >= 0;
      default -> throw new IllegalStateException("unknown operator " + op);
    };
  }

  private static String base(String op) {
    return op.endsWith("IfExists") ? op.substring(0, op.length() - "IfExists".length()) : op;
  }
}
