package dev.hsipipeline.local.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;

/**
 * What {@code pipeline demo} waits for: the state machine's executions, polled until the activator
 * and processor executions succeeded and the unknown-source one ended in {@code FailureState}, or
 * until one of them went wrong. Each poll re-describes only executions still running.
 */
final class DemoWatch {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One execution as last seen; {@code source} is "activator", "processor" or "unknown (…)". */
  record Tracked(
      String arn,
      String name,
      String source,
      String status,
      Instant start,
      Instant stop,
      String error,
      String cause,
      String jobId) {

    boolean succeeded() {
      return status.equals("SUCCEEDED");
    }

    boolean terminal() {
      return !status.equals("RUNNING") && !status.equals("PENDING_REDRIVE");
    }
  }

  private final SfnClient sfn;
  private final String stateMachineArn, activatorArn, processorArn, unknownName;
  private final Path dataDir;
  private final Map<String, Tracked> seen = new LinkedHashMap<>();
  private final Map<String, String> sourceByArn = new HashMap<>();

  /**
   * @param activatorArn the activator queue's ARN (executions it starts are "activator")
   * @param processorArn the processor queue's ARN
   * @param unknownName the name of the execution started with an unknown source
   * @param dataDir the stack's data directory, for a failed job's log
   */
  DemoWatch(
      SfnClient sfn,
      String stateMachineArn,
      String activatorArn,
      String processorArn,
      String unknownName,
      Path dataDir) {
    this.sfn = sfn;
    this.stateMachineArn = stateMachineArn;
    this.activatorArn = activatorArn;
    this.processorArn = processorArn;
    this.unknownName = unknownName;
    this.dataDir = dataDir;
  }

  /**
   * Polls until every awaited execution ended well, one ended badly, or the deadline passed.
   *
   * @return null when all is well, else what went wrong (a failed job's log tail is printed)
   */
  String await(Duration timeout, PrintWriter out) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      poll();
      String failure = failure(out);
      if (failure != null) return failure;
      if (succeeded(first("activator")) && succeeded(first("processor")) && unknownEnded())
        return checkFailureState(unknown());
      if (System.nanoTime() > deadline) return timedOut(timeout);
      Thread.sleep(250);
    }
  }

  /** The executions seen, oldest first. */
  List<Tracked> executions() {
    List<Tracked> rows = new ArrayList<>(seen.values());
    rows.sort(Comparator.comparing(Tracked::start));
    return rows;
  }

  private void poll() {
    for (ExecutionListItem e :
        sfn.listExecutions(b -> b.stateMachineArn(stateMachineArn).maxResults(100)).executions()) {
      Tracked prev = seen.get(e.executionArn());
      if (prev != null && prev.terminal()) continue;
      DescribeExecutionResponse d = sfn.describeExecution(b -> b.executionArn(e.executionArn()));
      String source = sourceByArn.computeIfAbsent(e.executionArn(), k -> source(d));
      String jobId = DescribeCommand.parse(JSON, d.output()).path("job").path("JobId").asText(null);
      if (jobId == null && d.cause() != null)
        jobId = DescribeCommand.parse(JSON, d.cause()).path("JobId").asText(null);
      seen.put(
          e.executionArn(),
          new Tracked(
              e.executionArn(),
              e.name(),
              source,
              d.statusAsString(),
              d.startDate(),
              d.stopDate(),
              d.error(),
              d.cause(),
              jobId));
    }
  }

  private String source(DescribeExecutionResponse d) {
    String src = DescribeCommand.parse(JSON, d.input()).path("eventSourceARN").asText("");
    if (src.equals(activatorArn)) return "activator";
    return src.equals(processorArn) ? "processor" : "unknown (" + src + ")";
  }

  /**
   * A pipeline execution that ended other than SUCCEEDED, or an unknown source that did not fail.
   */
  private String failure(PrintWriter out) {
    String failure = null;
    for (Tracked t : seen.values()) {
      if (!t.source().startsWith("unknown") && t.terminal() && !t.succeeded()) {
        failure =
            "the "
                + t.source()
                + " execution "
                + t.name()
                + " ended "
                + t.status()
                + ": "
                + t.error()
                + (t.cause() != null ? " — " + Table.oneLine(t.cause()) : "");
        LogsCommand.printLastLines(out, dataDir, t.jobId(), 20);
      }
    }
    Tracked unknown = unknown();
    if (unknown != null && unknown.terminal() && !unknown.status().equals("FAILED"))
      failure = "the unknown-source execution ended " + unknown.status() + " instead of FAILED";
    return failure;
  }

  private String timedOut(Duration timeout) {
    return "timed out after "
        + timeout.toSeconds()
        + " s waiting for: "
        + (succeeded(first("activator")) ? "" : "the activator execution to succeed; ")
        + (succeeded(first("processor")) ? "" : "the processor execution to succeed; ")
        + (unknownEnded() ? "" : "the unknown-source execution to end");
  }

  /** The first successful execution from {@code source}, else the first one seen, else null. */
  private Tracked first(String source) {
    Tracked pick = null;
    for (Tracked t : seen.values()) {
      if (!t.source().equals(source)) continue;
      if (t.succeeded()) return t;
      if (pick == null) pick = t;
    }
    return pick;
  }

  private static boolean succeeded(Tracked t) {
    return t != null && t.succeeded();
  }

  private Tracked unknown() {
    return seen.values().stream()
        .filter(t -> t.name().equals(unknownName))
        .findFirst()
        .orElse(null);
  }

  private boolean unknownEnded() {
    Tracked unknown = unknown();
    return unknown != null && unknown.terminal();
  }

  /** The unknown source must fail with DefaultStateError after entering FailureState. */
  private String checkFailureState(Tracked unknown) {
    if (!"DefaultStateError".equals(unknown.error()))
      return "the unknown-source execution failed with "
          + unknown.error()
          + " instead of DefaultStateError";
    List<HistoryEvent> events =
        sfn.getExecutionHistory(b -> b.executionArn(unknown.arn()).maxResults(1000)).events();
    boolean enteredFailureState =
        events.stream()
            .anyMatch(
                e ->
                    e.stateEnteredEventDetails() != null
                        && "FailureState".equals(e.stateEnteredEventDetails().name()));
    return enteredFailureState ? null : "the unknown-source execution never entered FailureState";
  }
}
