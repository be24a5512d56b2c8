package dev.hsipipeline.local.sfn.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hsipipeline.local.sfn.ExecutionInfo;
import dev.hsipipeline.local.sfn.ExecutionListener;
import dev.hsipipeline.local.sfn.asl.ExecutionOutcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records what happens to executions: appends history events to the execution's in-memory history
 * and the writer's queue (ids, previousEventId and timestamps assigned here), ends executions with
 * their terminal event and final state, and tells the {@link ExecutionListener}s.
 */
final class HistoryRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(HistoryRecorder.class);
  private static final Set<String> TERMINAL_TYPES =
      Set.of("ExecutionSucceeded", "ExecutionFailed", "ExecutionAborted", "ExecutionTimedOut");

  private final GroupCommitWriter writer;
  private final List<ExecutionListener> listeners = new CopyOnWriteArrayList<>();

  HistoryRecorder(GroupCommitWriter writer) {
    this.writer = writer;
  }

  void addListener(ExecutionListener l) {
    listeners.add(Objects.requireNonNull(l, "listener"));
  }

  /**
   * Appends one event whose details are already serialized ({@code json}, or null for none); {@code
   * details} is only read for listeners. Returns its id, or the last id when the execution has
   * ended (the event is dropped).
   */
  long record(
      ExecutionRecord rec, String type, String json, ObjectNode details, long previousEventId) {
    HistoryEvent e;
    synchronized (rec) {
      e =
          rec.append(
              type,
              json,
              previousEventId,
              System.currentTimeMillis(),
              TERMINAL_TYPES.contains(type));
      if (e == null) {
        return rec.lastEventId();
      }
      writer.enqueue(new WriteOp.AppendEvent(rec.seq, e));
    }
    if (type.endsWith("StateEntered") && !listeners.isEmpty()) {
      JsonNode n = details == null ? null : details.get("name");
      String stateName = n == null ? null : n.asText();
      notify(l -> l.stateEntered(info(rec), stateName, type));
    }
    return e.id();
  }

  /** Records an event produced by the interpreter. */
  long record(ExecutionRecord rec, String type, ObjectNode details, long previousEventId) {
    String json = details == null || details.isEmpty() ? null : Json.write(details);
    return record(rec, type, json, details, previousEventId);
  }

  /**
   * ExecutionStarted's details, {@code {"input":..., "inputDetails":{"truncated":false},
   * "roleArn":...}}, written straight into one string: the same text Jackson writes for that object
   * (same members, order and escaping) without building and serializing a tree per start.
   */
  static String startedDetails(String input, String roleArn) {
    StringBuilder sb =
        new StringBuilder(input.length() + (roleArn == null ? 0 : roleArn.length()) + 96);
    sb.append("{\"input\":");
    Json.quote(sb, input);
    sb.append(",\"inputDetails\":{\"truncated\":false}");
    if (roleArn != null) {
      sb.append(",\"roleArn\":");
      Json.quote(sb, roleArn);
    }
    return sb.append('}').toString();
  }

  /** Ends the execution as the interpreter's outcome says; false when it had already ended. */
  boolean finish(ExecutionRecord rec, ExecutionOutcome outcome) {
    String status = outcome.status().name();
    String output = outcome.output() == null ? null : Json.write(outcome.output());
    String error = outcome.status() == ExecutionOutcome.Status.SUCCEEDED ? null : outcome.error();
    String cause = outcome.status() == ExecutionOutcome.Status.SUCCEEDED ? null : outcome.cause();
    ObjectNode d = Json.object();
    String type =
        switch (outcome.status()) {
          case SUCCEEDED -> "ExecutionSucceeded";
          case FAILED -> "ExecutionFailed";
          case TIMED_OUT -> "ExecutionTimedOut";
          case ABORTED -> "ExecutionAborted";
        };
    if (outcome.status() == ExecutionOutcome.Status.SUCCEEDED) {
      d.put("output", output);
      d.putObject("outputDetails").put("truncated", false);
    } else {
      putIfNotNull(d, "error", error);
      putIfNotNull(d, "cause", cause);
    }
    return end(rec, status, output, error, cause, type, d);
  }

  /**
   * Ends a RUNNING execution: its terminal event {@code type} (unless the engine recorded one) and
   * final state, atomically, then queues both for the database. Returns false when it had already
   * ended.
   */
  boolean end(
      ExecutionRecord rec,
      String status,
      String output,
      String error,
      String cause,
      String type,
      ObjectNode details) {
    List<HistoryEvent> appended = new ArrayList<>(1);
    synchronized (rec) {
      String t = rec.engineRecordedEnd() ? null : type;
      String json = details.isEmpty() ? null : Json.write(details);
      if (!rec.end(status, System.currentTimeMillis(), output, error, cause, t, json, appended)) {
        return false;
      }
      for (HistoryEvent e : appended) {
        writer.enqueue(new WriteOp.AppendEvent(rec.seq, e));
      }
      writer.enqueue(WriteOp.FinishExecution.of(rec, rec.snapshot()));
    }
    notify(l -> l.executionEnded(info(rec)));
    return true;
  }

  /** Ends an execution a previous run left RUNNING and that cannot be resumed. */
  void failAfterRestart(ExecutionRecord rec, String cause) {
    ObjectNode d = Json.object().put("error", "States.Runtime").put("cause", cause);
    long now = System.currentTimeMillis();
    HistoryEvent ev = rec.failAfterRestart(now, "States.Runtime", cause, Json.write(d));
    writer.enqueue(new WriteOp.AppendEvent(rec.seq, ev));
    writer.enqueue(WriteOp.FinishExecution.of(rec, rec.snapshot()));
  }

  void started(ExecutionRecord rec) {
    notify(l -> l.executionStarted(info(rec)));
  }

  static void putIfNotNull(ObjectNode n, String k, String v) {
    if (v != null) {
      n.put(k, v);
    }
  }

  static ExecutionInfo info(ExecutionRecord rec) {
    ExecutionRecord.Snapshot s = rec.snapshot();
    return new ExecutionInfo(
        rec.arn,
        rec.stateMachineArn,
        rec.name,
        s.status(),
        Instant.ofEpochMilli(rec.startMillis),
        s.stopMillis() == 0 ? null : Instant.ofEpochMilli(s.stopMillis()),
        s.error(),
        s.cause());
  }

  private void notify(Consumer<ExecutionListener> call) {
    for (ExecutionListener l : listeners) {
      try {
        call.accept(l);
      } catch (RuntimeException e) {
        LOG.warn("Execution listener {} failed: {}", l, e.toString());
      }
    }
  }
}
