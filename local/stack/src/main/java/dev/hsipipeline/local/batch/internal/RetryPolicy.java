package dev.hsipipeline.local.batch.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A Batch {@code retryStrategy}: the number of attempts and the {@code evaluateOnExit} rules. Rules
 * are tried in order; a rule matches when every condition it states matches (globs with {@code *});
 * the first match decides RETRY or EXIT; when none matches the job is retried, as AWS documents.
 */
public record RetryPolicy(int attempts, List<Rule> rules) {

  /** One evaluateOnExit entry; null fields are "not stated". */
  public record Rule(String onExitCode, String onReason, String onStatusReason, boolean retry) {
    boolean matches(Integer exitCode, String reason, String statusReason) {
      return (onExitCode == null || glob(onExitCode, exitCode == null ? "" : exitCode.toString()))
          && (onReason == null || glob(onReason, reason == null ? "" : reason))
          && (onStatusReason == null
              || glob(onStatusReason, statusReason == null ? "" : statusReason));
    }
  }

  public RetryPolicy {
    if (attempts < 1 || attempts > 10) {
      throw new IllegalArgumentException("retryStrategy.attempts must be 1-10, got " + attempts);
    }
    rules = List.copyOf(rules);
  }

  /** No retry: one attempt. */
  public static final RetryPolicy NONE = new RetryPolicy(1, List.of());

  /**
   * Parses a retry strategy in either the job definition's camelCase or the SubmitJob request's
   * PascalCase spelling; a missing node means one attempt.
   */
  public static RetryPolicy parse(JsonNode node) {
    if (node == null || node.isMissingNode() || node.isNull()) {
      return NONE;
    }
    JsonNode attempts = field(node, "attempts");
    int n = attempts.isMissingNode() ? 1 : attempts.asInt(-1);
    List<Rule> rules = new ArrayList<>();
    for (JsonNode r : field(node, "evaluateOnExit")) {
      String action = text(r, "action");
      if (action == null
          || !(action.equalsIgnoreCase("RETRY") || action.equalsIgnoreCase("EXIT"))) {
        throw new IllegalArgumentException(
            "retryStrategy.evaluateOnExit[].action must be RETRY or EXIT, got " + action);
      }
      Rule rule =
          new Rule(
              text(r, "onExitCode"),
              text(r, "onReason"),
              text(r, "onStatusReason"),
              action.equalsIgnoreCase("RETRY"));
      if (rule.onExitCode() == null && rule.onReason() == null && rule.onStatusReason() == null) {
        throw new IllegalArgumentException(
            "retryStrategy.evaluateOnExit entry needs onExitCode, onReason or onStatusReason");
      }
      rules.add(rule);
    }
    return new RetryPolicy(n, rules);
  }

  /**
   * Whether an attempt that ended this way may be retried (attempts left are checked by the
   * caller).
   */
  public boolean shouldRetry(Integer exitCode, String reason, String statusReason) {
    for (Rule r : rules) {
      if (r.matches(exitCode, reason, statusReason)) {
        return r.retry();
      }
    }
    return true;
  }

  private static JsonNode field(JsonNode n, String camel) {
    JsonNode v = n.get(camel);
    if (v == null) {
      v = n.get(Character.toUpperCase(camel.charAt(0)) + camel.substring(1));
    }
    return v == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : v;
  }

  private static String text(JsonNode n, String camel) {
    JsonNode v = field(n, camel);
    return v.isMissingNode() || v.isNull() ? null : v.asText();
  }

  static boolean glob(String pattern, String value) {
    String[] parts = pattern.split("\\*", -1);
    StringBuilder re = new StringBuilder();
    for (int i = 0; i < parts.length; i++) {
      if (i > 0) {
        re.append(".*");
      }
      re.append(Pattern.quote(parts[i]));
    }
    return Pattern.compile(re.toString(), Pattern.DOTALL).matcher(value).matches();
  }
}
