package dev.hsipipeline.local.sfn.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One execution in the in-memory index (the API's read path). Immutable identity fields plus
 * mutable state guarded by {@code this}. While "hot" it holds input, output and the whole history
 * in memory; once it has ended and everything is committed to the database, the writer may evict it
 * ("cold"): then only metadata stays and reads of payloads/history go to the database.
 */
final class ExecutionRecord {
  static final String RUNNING = "RUNNING";

  /** AWS answers a repeated RedriveExecution clientToken idempotently: the last 10, 15 minutes. */
  private static final int REDRIVE_TOKENS = 10;

  private static final long REDRIVE_TOKEN_MILLIS = TimeUnit.MINUTES.toMillis(15);

  /** A clientToken of a successful redrive: when it was first used, and that redrive's date. */
  private record RedriveToken(String token, long firstUsedMillis, long redriveMillis) {}

  final long seq;
  final String arn;
  final String name;
  final String stateMachineArn;
  final String stateMachineName;
  final Revision revision;
  final long startMillis;

  /**
   * Completed once the execution's row and its ExecutionStarted event are committed. Until then no
   * read shows the execution: a kill could still undo its start, and AWS never shows a start it
   * could lose.
   */
  private final CompletableFuture<Void> startCommitted;

  private String status;
  private long stopMillis;
  private String input;
  private String output;
  private String error;
  private String cause;
  private ArrayList<HistoryEvent> events;
  private int lastEventId;
  private boolean cold;
  private boolean engineRecordedEnd;
  private Thread thread;
  private int redriveCount;
  private long redriveMillis;
  private ArrayDeque<RedriveToken> redriveTokens;

  /** Held for the whole of one RedriveExecution call, so two calls for one execution queue up. */
  final Object redriveLock = new Object();

  /** The thread of the latest run, kept after the end: a redrive waits for it to finish. */
  private Thread lastThread;

  /**
   * A new, hot, RUNNING execution.
   *
   * @param startCommitted completed by the writer once the start is committed
   */
  ExecutionRecord(
      long seq,
      String arn,
      String name,
      String smArn,
      String smName,
      Revision revision,
      long startMillis,
      String input,
      CompletableFuture<Void> startCommitted) {
    this.startCommitted = startCommitted;
    this.seq = seq;
    this.arn = arn;
    this.name = name;
    this.stateMachineArn = smArn;
    this.stateMachineName = smName;
    this.revision = revision;
    this.startMillis = startMillis;
    this.status = RUNNING;
    this.input = input;
    this.events = new ArrayList<>(12);
  }

  /** An execution loaded from the database (cold). */
  ExecutionRecord(
      long seq,
      String arn,
      String name,
      String smArn,
      String smName,
      Revision revision,
      long startMillis,
      String status,
      long stopMillis,
      String error,
      String cause,
      int lastEventId,
      int redriveCount,
      long redriveMillis) {
    this.startCommitted = CompletableFuture.completedFuture(null);
    this.seq = seq;
    this.arn = arn;
    this.name = name;
    this.stateMachineArn = smArn;
    this.stateMachineName = smName;
    this.revision = revision;
    this.startMillis = startMillis;
    this.status = status;
    this.stopMillis = stopMillis;
    this.error = error;
    this.cause = cause;
    this.lastEventId = lastEventId;
    this.redriveCount = redriveCount;
    this.redriveMillis = redriveMillis;
    this.cold = true;
  }

  /** Whether the start is committed (see {@link #awaitStartCommitted}). */
  boolean startIsCommitted() {
    return startCommitted.isDone() && !startCommitted.isCompletedExceptionally();
  }

  /**
   * Waits until the start is committed: a read by ARN of an execution whose StartExecution is still
   * being written answers once it is durable, never with a start a kill could undo.
   */
  void awaitStartCommitted() {
    GroupCommitWriter.awaitDurable(startCommitted);
  }

  /** A consistent copy of the mutable state. */
  record Snapshot(
      String status,
      long stopMillis,
      String input,
      String output,
      String error,
      String cause,
      int lastEventId,
      boolean cold,
      int redriveCount,
      long redriveMillis) {}

  synchronized Snapshot snapshot() {
    return new Snapshot(
        status,
        stopMillis,
        input,
        output,
        error,
        cause,
        lastEventId,
        cold,
        redriveCount,
        redriveMillis);
  }

  /**
   * Counts a redrive (or a resume after a restart, which the history records the same way): the
   * number of {@code ExecutionRedriven} events so far and when the last one happened.
   */
  synchronized void redriven(int count, long millis) {
    redriveCount = count;
    redriveMillis = millis;
  }

  /**
   * The date of the redrive that used {@code clientToken}, when it is one of the last 10 tokens and
   * was first used at most 15 minutes before {@code now}; otherwise 0.
   */
  synchronized long redriveDateFor(String clientToken, long now) {
    if (redriveTokens != null) {
      for (RedriveToken t : redriveTokens) {
        if (t.token().equals(clientToken) && now - t.firstUsedMillis() <= REDRIVE_TOKEN_MILLIS) {
          return t.redriveMillis();
        }
      }
    }
    return 0;
  }

  /** Remembers the clientToken of a successful redrive. */
  synchronized void redriveToken(String clientToken, long redriveMillis) {
    if (redriveTokens == null) {
      redriveTokens = new ArrayDeque<>(REDRIVE_TOKENS);
    }
    if (redriveTokens.size() == REDRIVE_TOKENS) {
      redriveTokens.removeFirst();
    }
    redriveTokens.addLast(new RedriveToken(clientToken, redriveMillis, redriveMillis));
  }

  synchronized String status() {
    return status;
  }

  synchronized boolean isRunning() {
    return RUNNING.equals(status);
  }

  synchronized String inputIfRunning() {
    return RUNNING.equals(status) ? input : null;
  }

  synchronized void thread(Thread t) {
    this.thread = t;
    if (t != null) {
      lastThread = t;
    }
  }

  synchronized Thread lastThread() {
    return lastThread;
  }

  synchronized Thread thread() {
    return thread;
  }

  /**
   * Appends an event while the execution runs; returns null (event dropped) once it has ended, so
   * that nothing follows the terminal event (e.g. a task finishing after StopExecution).
   */
  synchronized HistoryEvent append(
      String type, String detailsJson, long previousEventId, long now, boolean terminal) {
    if (!RUNNING.equals(status) || events == null) {
      return null;
    }
    int id = lastEventId + 1;
    int prev = previousEventId > 0 && previousEventId < id ? (int) previousEventId : lastEventId;
    HistoryEvent e = new HistoryEvent(id, prev, now, type, detailsJson);
    events.add(e);
    lastEventId = id;
    if (terminal) {
      engineRecordedEnd = true;
    }
    return e;
  }

  synchronized int lastEventId() {
    return lastEventId;
  }

  synchronized boolean engineRecordedEnd() {
    return engineRecordedEnd;
  }

  /**
   * Ends the execution: appends the terminal event (unless the engine already recorded one, when
   * {@code type} is null) and sets the final state atomically. Returns false when it had already
   * ended.
   */
  synchronized boolean end(
      String newStatus,
      long now,
      String out,
      String err,
      String cse,
      String type,
      String detailsJson,
      List<HistoryEvent> appended) {
    if (!RUNNING.equals(status)) {
      return false;
    }
    if (type != null) {
      HistoryEvent e = new HistoryEvent(lastEventId + 1, lastEventId, now, type, detailsJson);
      events.add(e);
      lastEventId = e.id();
      appended.add(e);
    }
    status = newStatus;
    stopMillis = now;
    output = out;
    error = err;
    cause = cse;
    thread = null;
    return true;
  }

  /**
   * Marks a loaded RUNNING execution as failed after a restart (its events are in the database).
   */
  synchronized HistoryEvent failAfterRestart(long now, String err, String cse, String detailsJson) {
    HistoryEvent e =
        new HistoryEvent(lastEventId + 1, lastEventId, now, "ExecutionFailed", detailsJson);
    lastEventId = e.id();
    status = "FAILED";
    stopMillis = now;
    error = err;
    cause = cse;
    return e;
  }

  /**
   * Makes a loaded RUNNING execution hot again so that it can be resumed: its input and the events
   * persisted so far (ids 1..n, ascending) come back into memory.
   */
  synchronized void reload(String in, List<HistoryEvent> persisted) {
    if (!RUNNING.equals(status)) {
      throw new IllegalStateException(
          "only a RUNNING execution can be resumed, this one is " + status);
    }
    input = in;
    events = new ArrayList<>(persisted);
    lastEventId = persisted.size();
    cold = false;
  }

  /**
   * Reopens an execution that ended FAILED, TIMED_OUT or ABORTED for a redrive: RUNNING again, with
   * its input and whole history ({@code in}, {@code persisted}: ids 1..n) in memory. Returns false,
   * changing nothing, when it is in any other status.
   */
  synchronized boolean reopen(String in, List<HistoryEvent> persisted) {
    if (!("FAILED".equals(status) || "TIMED_OUT".equals(status) || "ABORTED".equals(status))) {
      return false;
    }
    input = in;
    events = new ArrayList<>(persisted);
    lastEventId = persisted.size();
    status = RUNNING;
    stopMillis = 0;
    output = null;
    error = null;
    cause = null;
    engineRecordedEnd = false;
    cold = false;
    return true;
  }

  /** The events with ids in [from, to] from memory, or null when cold (read the database). */
  synchronized List<HistoryEvent> eventsInMemory(int from, int to) {
    if (events == null) {
      return null;
    }
    int lo = Math.max(from, 1);
    int hi = Math.min(to, events.size());
    return lo > hi ? List.of() : new ArrayList<>(events.subList(lo - 1, hi));
  }

  /** Drops payloads and history from memory; they are committed to the database. */
  synchronized void evict() {
    if (!RUNNING.equals(status)) {
      events = null;
      input = null;
      output = null;
      cold = true;
    }
  }
}
