package dev.hsipipeline.local.sfn.asl.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One Retry entry. Defaults per the ASL spec: IntervalSeconds 1, MaxAttempts 3, BackoffRate 2.0.
 *
 * @param maxDelaySeconds cap on the computed delay, 0 when none
 * @param fullJitter JitterStrategy FULL: the delay is uniformly random in [0, computed delay]
 */
public record Retrier(
    List<String> errorEquals,
    double intervalSeconds,
    int maxAttempts,
    double backoffRate,
    long maxDelaySeconds,
    boolean fullJitter) {
  private static final Set<String> FIELDS =
      Set.of(
          "ErrorEquals",
          "IntervalSeconds",
          "MaxAttempts",
          "BackoffRate",
          "MaxDelaySeconds",
          "JitterStrategy",
          "Comment");

  /** The Retry array of the state at {@code loc}. */
  static List<Retrier> parseAll(JsonNode node, String loc, Fields f) {
    JsonNode retry = node.get("Retry");
    if (retry == null) {
      return List.of();
    }
    String rloc = loc + "/Retry";
    if (!retry.isArray()) {
      f.problem(Problems.SCHEMA, rloc, "'Retry' must be an array of Retriers");
      return List.of();
    }
    List<Retrier> out = new ArrayList<>();
    for (int i = 0; i < retry.size(); i++) {
      JsonNode r = retry.get(i);
      String l = rloc + "/" + i;
      if (!r.isObject()) {
        f.problem(Problems.SCHEMA, l, "A Retrier must be an object");
        continue;
      }
      f.onlyFields(r, l, FIELDS, "Retrier");
      out.add(parse(r, l, i == retry.size() - 1, f));
    }
    return List.copyOf(out);
  }

  private static Retrier parse(JsonNode r, String l, boolean last, Fields f) {
    List<String> errors = Handling.errorEquals(r, l, last, "Retrier", f);
    double interval = 1;
    int maxAttempts = 3;
    double backoff = 2.0;
    long maxDelay = 0;
    boolean jitter = false;
    if (r.has("IntervalSeconds")) {
      interval =
          f.positiveInt(
              r.get("IntervalSeconds"), l + "/IntervalSeconds", "IntervalSeconds", 99_999_999);
    }
    if (r.has("MaxAttempts")) {
      JsonNode v = r.get("MaxAttempts");
      if (!v.isIntegralNumber() || v.longValue() < 0 || v.longValue() > 99_999_999) {
        f.problem(
            Problems.SCHEMA,
            l + "/MaxAttempts",
            "'MaxAttempts' must be an integer from 0 to 99999999, got " + v);
      } else {
        maxAttempts = v.intValue();
      }
    }
    if (r.has("BackoffRate")) {
      JsonNode v = r.get("BackoffRate");
      if (!v.isNumber() || v.doubleValue() < 1.0 || v.doubleValue() > 99_999_999) {
        f.problem(
            Problems.SCHEMA,
            l + "/BackoffRate",
            "'BackoffRate' must be a number of at least 1.0, got " + v);
      } else {
        backoff = v.doubleValue();
      }
    }
    if (r.has("MaxDelaySeconds")) {
      maxDelay =
          f.positiveInt(
              r.get("MaxDelaySeconds"), l + "/MaxDelaySeconds", "MaxDelaySeconds", 31_622_400);
    }
    if (r.has("JitterStrategy")) {
      JsonNode v = r.get("JitterStrategy");
      if (!v.isTextual() || !(v.textValue().equals("FULL") || v.textValue().equals("NONE"))) {
        f.problem(
            Problems.SCHEMA,
            l + "/JitterStrategy",
            "'JitterStrategy' must be FULL or NONE, got " + v);
      } else {
        jitter = v.textValue().equals("FULL");
      }
    }
    return new Retrier(errors, interval, maxAttempts, backoff, maxDelay, jitter);
  }

  boolean matches(String error) {
    for (String e : errorEquals) {
      if (Errors.matches(e, error)) {
        return true;
      }
    }
    return false;
  }

  /** Delay before retry number {@code retry} (1 = first retry), in milliseconds, before jitter. */
  long delayMillis(int retry) {
    double seconds = intervalSeconds * Math.pow(backoffRate, retry - 1);
    if (maxDelaySeconds > 0) {
      seconds = Math.min(seconds, maxDelaySeconds);
    }
    return (long) Math.min(seconds * 1000.0, Long.MAX_VALUE / 2.0);
  }
}
