package dev.hsipipeline.local.sfn.asl.internal;

import java.util.List;

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
