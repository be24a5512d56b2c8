package dev.hsipipeline.bench.reliability;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The account of one load run: every distinct message sent must end as exactly one execution with
 * the expected outcome, or (bad input) as a DLQ entry. {@link #lost} and {@link #duplicated} must
 * be 0.
 *
 * @param scenario what ran
 * @param sent distinct messages accepted by SQS
 * @param injected faults injected, by kind
 * @param outcomes what was found, by kind
 * @param lost messages with neither an execution nor a DLQ entry
 * @param duplicated messages with more than one execution
 * @param wrongOutcome messages whose execution/DLQ outcome differs from the expected one
 * @param problems up to 20 examples of lost/duplicated/wrong messages
 * @param seconds from the first send until everything was accounted for (or the deadline)
 */
public record Ledger(
    String scenario,
    int sent,
    Map<String, Long> injected,
    Map<String, Long> outcomes,
    long lost,
    long duplicated,
    long wrongOutcome,
    List<String> problems,
    double seconds) {

  public boolean clean() {
    return lost == 0 && duplicated == 0 && wrongOutcome == 0;
  }

  public void print(PrintStream out) {
    out.println();
    out.println("=== Ledger: " + scenario);
    out.printf("  messages sent (distinct)                       %8d%n", sent);
    injected.forEach((k, v) -> out.printf("  injected: %-36s %8d%n", k, v));
    outcomes.forEach((k, v) -> out.printf("  outcome:  %-36s %8d%n", k, v));
    out.printf("  LOST                                           %8d%n", lost);
    out.printf("  DUPLICATED                                     %8d%n", duplicated);
    out.printf("  wrong outcome                                  %8d%n", wrongOutcome);
    out.printf("  time                                           %8.1f s%n", seconds);
    problems.forEach(p -> out.println("  problem: " + p));
    out.println("  => " + (clean() ? "every message accounted for" : "NOT CLEAN"));
    out.flush();
  }

  /** The figures as a map (JSON for the README's reliability section). */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("scenario", scenario);
    m.put("sent", sent);
    m.put("injected", injected);
    m.put("outcomes", outcomes);
    m.put("lost", lost);
    m.put("duplicated", duplicated);
    m.put("wrongOutcome", wrongOutcome);
    m.put("seconds", Math.round(seconds * 10) / 10.0);
    m.put("problems", problems);
    return m;
  }
}
