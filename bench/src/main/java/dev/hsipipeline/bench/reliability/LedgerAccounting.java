package dev.hsipipeline.bench.reliability;

import dev.hsipipeline.bench.reliability.LoadWithFaults.Kind;
import dev.hsipipeline.bench.reliability.LoadWithFaults.Sent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * Accounts for every sent message against what the pipeline shows: exactly one execution with the
 * outcome its kind calls for (a transient one retried by Batch, a permanent one FAILED with exit
 * code 2 in the cause), or, for a body that is not JSON, a DLQ entry and no execution. Anything
 * else is lost, duplicated or wrong, with the first problems spelled out.
 */
final class LedgerAccounting {
  private final Map<String, Sent> sent;
  private final Map<String, List<DescribeExecutionResponse>> byMessage;
  private final Set<String> dlqBodies;
  private final Map<String, Integer> attemptsBySeq;

  /**
   * @param sent the messages SQS acknowledged, by message id
   * @param byMessage the executions, by the message id in their input
   * @param dlqBodies the bodies found in the DLQs
   * @param attemptsBySeq the highest attempt count of a SUCCEEDED job, by the seq of its event
   */
  LedgerAccounting(
      Map<String, Sent> sent,
      Map<String, List<DescribeExecutionResponse>> byMessage,
      Set<String> dlqBodies,
      Map<String, Integer> attemptsBySeq) {
    this.sent = sent;
    this.byMessage = byMessage;
    this.dlqBodies = dlqBodies;
    this.attemptsBySeq = attemptsBySeq;
  }

  Ledger ledger(String scenario, long executions, Map<String, Long> extraInjected, double seconds) {
    Map<String, Long> injected = new LinkedHashMap<>();
    for (Kind k : Kind.values()) {
      if (k != Kind.OK) {
        injected.put(
            switch (k) {
              case TRANSIENT -> "transient job failures";
              case PERMANENT -> "permanent job failures";
              case NOT_JSON -> "non-JSON bodies";
              default -> k.name();
            },
            sent.values().stream().filter(s -> s.kind() == k).count());
      }
    }
    injected.putAll(extraInjected);
    long lost = 0;
    long duplicated = 0;
    long wrong = 0;
    long succeeded = 0;
    long failedAsExpected = 0;
    long dlq = 0;
    long retriedOk = 0;
    long executedAndDeadLettered = 0;
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, Sent> e : sent.entrySet()) {
      Sent s = e.getValue();
      List<DescribeExecutionResponse> ex = byMessage.getOrDefault(e.getKey(), List.of());
      boolean inDlq = dlqBodies.contains(s.body());
      if (ex.isEmpty() && !inDlq) {
        lost++;
        problem(
            problems,
            "LOST seq "
                + s.seq()
                + " ("
                + s.kind()
                + ", "
                + s.role()
                + ", message "
                + e.getKey()
                + ")");
        continue;
      }
      if (ex.size() > 1) {
        duplicated++;
        problem(problems, "DUPLICATED seq " + s.seq() + ": " + ex.size() + " executions");
      }
      if (inDlq) {
        dlq++;
      }
      if (s.kind() == Kind.NOT_JSON) {
        if (!ex.isEmpty() || !inDlq) {
          wrong++;
          problem(
              problems,
              "seq "
                  + s.seq()
                  + " (not JSON): expected only a DLQ entry, found "
                  + ex.size()
                  + " execution(s)");
        }
        continue;
      }
      if (ex.isEmpty()) {
        wrong++;
        problem(
            problems, "seq " + s.seq() + " (" + s.kind() + ") is in the DLQ without an execution");
        continue;
      }
      DescribeExecutionResponse d = ex.get(0);
      String cause = d.cause() == null ? "" : d.cause();
      if (s.kind() == Kind.PERMANENT) {
        if (d.status() == ExecutionStatus.FAILED && cause.contains("\"ExitCode\":2")) {
          failedAsExpected++;
        } else {
          wrong++;
          problem(
              problems,
              "seq "
                  + s.seq()
                  + " (permanent): expected FAILED with exit code 2 in the cause, got "
                  + d.status()
                  + " "
                  + d.error()
                  + " "
                  + abbreviate(cause));
        }
      } else if (d.status() == ExecutionStatus.SUCCEEDED) {
        succeeded++;
        if (s.kind() == Kind.TRANSIENT
            && attemptsBySeq.getOrDefault(Integer.toString(s.seq()), 0) >= 2) {
          retriedOk++;
        }
      } else {
        wrong++;
        problem(
            problems,
            "seq "
                + s.seq()
                + " ("
                + s.kind()
                + "): expected SUCCEEDED, got "
                + d.status()
                + " "
                + d.error()
                + " "
                + abbreviate(cause));
      }
      if (inDlq) {
        executedAndDeadLettered++;
      }
    }
    Map<String, Long> outcomes = new LinkedHashMap<>();
    outcomes.put("executions (total)", executions);
    outcomes.put("SUCCEEDED", succeeded);
    outcomes.put("transient -> retried OK", retriedOk);
    outcomes.put("FAILED w/ exit 2 cause", failedAsExpected);
    outcomes.put("DLQ entries", (long) dlqBodies.size());
    // Executed once, but its delete came after the visibility timeout: SQS counted the receives
    // and dead-lettered it. Harmless (a redrive hits ExecutionAlreadyExists) but noise in the DLQ.
    outcomes.put("executed + dead-lettered", executedAndDeadLettered);
    long transientSent = sent.values().stream().filter(s -> s.kind() == Kind.TRANSIENT).count();
    if (retriedOk != transientSent) {
      wrong += transientSent - retriedOk;
      problem(
          problems,
          (transientSent - retriedOk)
              + " transient message(s) did not show a retried job that succeeded");
    }
    return new Ledger(
        scenario, sent.size(), injected, outcomes, lost, duplicated, wrong, problems, seconds);
  }

  private static void problem(List<String> problems, String p) {
    if (problems.size() < 20) {
      problems.add(p);
    }
  }

  private static String abbreviate(String s) {
    return s.length() > 200 ? s.substring(0, 200) + "..." : s;
  }
}
