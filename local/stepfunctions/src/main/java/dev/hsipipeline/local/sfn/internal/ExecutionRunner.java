package dev.hsipipeline.local.sfn.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hsipipeline.local.sfn.asl.AslDefinition;
import dev.hsipipeline.local.sfn.asl.AslInterpreter;
import dev.hsipipeline.local.sfn.asl.AslValidationException;
import dev.hsipipeline.local.sfn.asl.ExecutionContext;
import dev.hsipipeline.local.sfn.asl.ExecutionOutcome;
import dev.hsipipeline.local.sfn.asl.HistorySink;
import dev.hsipipeline.local.sfn.asl.ResumePoint;
import dev.hsipipeline.local.sfn.asl.TaskInvoker;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs executions, each on its own virtual thread through the {@link AslInterpreter}: new ones from
 * StartAt, and existing ones on from a {@link ResumePoint} — those a previous run left RUNNING
 * (resume) and those that ended unsuccessfully (RedriveExecution). Stops them (StopExecution, and
 * at close without recording an outcome).
 */
final class ExecutionRunner implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ExecutionRunner.class);

  /** How long after its end AWS lets an execution be redriven. */
  private static final long REDRIVABLE_MILLIS = TimeUnit.DAYS.toMillis(14);

  private final AslInterpreter interpreter = new AslInterpreter();
  private final TaskInvoker taskInvoker;
  private final HistoryRecorder recorder;
  private final GroupCommitWriter writer;
  private final Database db;
  private final Set<ExecutionRecord> running = ConcurrentHashMap.newKeySet();

  /** Executions a previous run left RUNNING, until {@link #resumeInterrupted()} takes them. */
  private final List<ExecutionRecord> interrupted = new ArrayList<>();

  private volatile boolean closing;

  ExecutionRunner(
      TaskInvoker taskInvoker, HistoryRecorder recorder, GroupCommitWriter writer, Database db) {
    this.taskInvoker = taskInvoker;
    this.recorder = recorder;
    this.writer = writer;
    this.db = db;
  }

  boolean isClosing() {
    return closing;
  }

  /** Remembers an execution read back RUNNING, for {@link #resumeInterrupted()}. */
  void interrupted(ExecutionRecord rec) {
    synchronized (interrupted) {
      interrupted.add(rec);
    }
  }

  /**
   * The sink the interpreter records through. Events produced by close()'s interrupt (e.g.
   * ExecutionAborted) must not reach the database: the execution stays RUNNING there and the next
   * start resumes it.
   */
  HistorySink sink(ExecutionRecord rec) {
    return (type, details, previousEventId) ->
        closing ? rec.lastEventId() : recorder.record(rec, type, details, previousEventId);
  }

  /** Runs a new execution (its ExecutionStarted is recorded) from StartAt on its own thread. */
  void start(ExecutionRecord rec, Revision rev, JsonNode input, ExecutionContext ctx) {
    HistorySink sink = sink(rec);
    running.add(rec);
    recorder.started(rec);
    // the first interpreter event follows ExecutionStarted (id 1)
    launch(rec, () -> interpreter.execute(rev.compiled(), input, ctx, taskInvoker, sink));
  }

  /**
   * Continues every execution a previous run left RUNNING (stopped or killed mid-execution), as the
   * AWS service would never have stopped: each goes on from the top-level state it was in, after an
   * {@code ExecutionRedriven} event, keeping its original deadline. One that cannot be resumed (its
   * history is unreadable) ends FAILED with States.Runtime and the reason. Returns how many were
   * resumed.
   */
  int resumeInterrupted() {
    List<ExecutionRecord> todo;
    synchronized (interrupted) {
      todo = new ArrayList<>(interrupted);
      interrupted.clear();
    }
    int resumed = 0;
    for (ExecutionRecord rec : todo) {
      if (closing) {
        break;
      }
      try {
        resume(rec);
        resumed++;
      } catch (Exception e) {
        recorder.failAfterRestart(
            rec,
            "The local stack stopped while this execution was running and it could not be resumed: "
                + e.getMessage());
        LOG.warn(
            "Execution {} could not be resumed after a restart; marked FAILED: {}",
            rec.arn,
            e.getMessage());
      }
    }
    if (resumed > 0) {
      LOG.warn(
          "{} execution(s) were running when the local stack last stopped; resumed where they were",
          resumed);
    }
    return resumed;
  }

  private void resume(ExecutionRecord rec) throws AslValidationException, JsonProcessingException {
    String input = db.loadInputOutput(rec.seq)[0];
    List<HistoryEvent> events = db.loadEvents(rec.seq, 1, rec.lastEventId());
    if (input == null || events.isEmpty() || events.size() != rec.lastEventId()) {
      throw new IllegalStateException(
          "its stored history is incomplete ("
              + events.size()
              + " of "
              + rec.lastEventId()
              + " events)");
    }
    JsonNode inputNode = Json.MAPPER.readTree(input);
    AslDefinition definition = rec.revision.compiled();
    ResumePoint at = ResumePoint.find(definition, inputNode, recorded(events));
    rec.reload(input, events);
    long now = System.currentTimeMillis();
    continueAt(rec, definition, inputNode, at, Math.max(0, now - rec.startMillis), now);
  }

  private static List<ResumePoint.Event> recorded(List<HistoryEvent> events)
      throws JsonProcessingException {
    List<ResumePoint.Event> out = new ArrayList<>(events.size());
    for (HistoryEvent e : events) {
      out.add(
          new ResumePoint.Event(
              e.id(),
              e.previousEventId(),
              e.type(),
              e.detailsJson() == null ? null : Json.MAPPER.readTree(e.detailsJson())));
    }
    return out;
  }

  /**
   * Why RedriveExecution would refuse an execution in status {@code status} that ended at {@code
   * stopMillis}, in AWS's words (DescribeExecution's redriveStatusReason); null when it can be
   * redriven.
   */
  static String notRedrivableReason(String status, long stopMillis, long now) {
    return switch (status) {
      case "FAILED", "TIMED_OUT", "ABORTED" ->
          now - stopMillis > REDRIVABLE_MILLIS ? "Execution redrivable period exceeded." : null;
      default -> "Execution is " + status + " and cannot be redriven.";
    };
  }

  /**
   * RedriveExecution: an execution that ended FAILED, TIMED_OUT or ABORTED continues from its
   * unsuccessful top-level state with that state's recorded input, after an {@code
   * ExecutionRedriven} event; states that succeeded are not run again, nor the Map iterations and
   * Parallel branches of that state that succeeded. A {@code clientToken} (may be null) already
   * used for one of the execution's last 10 redrives, within 15 minutes, gets that redrive's date
   * again and changes nothing. Returns the redrive date.
   */
  long redrive(ExecutionRecord rec, String clientToken) {
    synchronized (rec.redriveLock) {
      long now = System.currentTimeMillis();
      long earlier = clientToken == null ? 0 : rec.redriveDateFor(clientToken, now);
      if (earlier != 0) {
        return earlier;
      }
      redriveNow(rec, now);
      if (clientToken != null) {
        rec.redriveToken(clientToken, now);
      }
      return now;
    }
  }

  private void redriveNow(ExecutionRecord rec, long now) {
    ExecutionRecord.Snapshot s = rec.snapshot();
    String refused = notRedrivableReason(s.status(), s.stopMillis(), now);
    if (refused != null) {
      throw ApiException.of("ExecutionNotRedrivable", refused);
    }
    if (closing) {
      throw ApiException.unavailable("The local Step Functions server is shutting down");
    }
    // A stopped execution's thread may still be unwinding; its last events must not land in the
    // redriven run.
    Thread previous = rec.lastThread();
    if (previous != null && previous != Thread.currentThread()) {
      try {
        if (!previous.join(Duration.ofSeconds(10))) {
          throw ApiException.of(
              "ExecutionNotRedrivable", "Execution is still stopping; retry the redrive");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw ApiException.unavailable("Interrupted while waiting for the execution to stop");
      }
    }
    s = rec.snapshot();
    List<HistoryEvent> events = rec.eventsInMemory(1, s.lastEventId());
    String input = s.input();
    if (events == null || input == null) {
      events = db.loadEvents(rec.seq, 1, s.lastEventId());
      input = db.loadInputOutput(rec.seq)[0];
    }
    AslDefinition definition;
    ResumePoint at;
    JsonNode inputNode;
    try {
      definition = rec.revision.compiled();
      inputNode = Json.MAPPER.readTree(input);
      at = ResumePoint.findForRedrive(definition, inputNode, recorded(events));
    } catch (AslValidationException | JsonProcessingException | RuntimeException e) {
      throw ApiException.of(
          "ExecutionNotRedrivable", "Execution history cannot be redriven: " + e.getMessage());
    }
    if (!rec.reopen(input, events)) {
      throw ApiException.of(
          "ExecutionNotRedrivable", "Execution is " + rec.status() + " and cannot be redriven.");
    }
    rec.redriven(at.redriveCount(), now);
    // RUNNING again on disk; the ExecutionRedriven event follows in the same writer queue.
    writer.enqueue(WriteOp.FinishExecution.of(rec, rec.snapshot()));
    // AWS: "the state machine level timeout, if defined, is reset to 0" by a redrive.
    continueAt(rec, definition, inputNode, at, 0, now);
    GroupCommitWriter.awaitDurable(writer.barrier());
  }

  /**
   * Records ExecutionRedriven (at {@code redriveMillis}) and runs the (RUNNING, hot) execution on
   * from {@code at}.
   */
  private void continueAt(
      ExecutionRecord rec,
      AslDefinition definition,
      JsonNode input,
      ResumePoint at,
      long elapsedMillis,
      long redriveMillis) {
    rec.redriven(at.redriveCount(), redriveMillis);
    HistorySink sink = sink(rec);
    long redriven =
        sink.record(
            ResumePoint.REDRIVEN_EVENT,
            Json.object().put("redriveCount", at.redriveCount()),
            rec.lastEventId());
    running.add(rec);
    recorder.started(rec);
    ExecutionContext ctx =
        new ExecutionContext(
            rec.arn,
            rec.name,
            Instant.ofEpochMilli(rec.startMillis),
            rec.revision.roleArn,
            rec.stateMachineArn,
            rec.stateMachineName);
    launch(
        rec,
        () ->
            interpreter.resume(
                definition, input, at, elapsedMillis, ctx, taskInvoker, sink, redriven));
  }

  private interface Interpretation {
    ExecutionOutcome run() throws AslValidationException;
  }

  private void launch(ExecutionRecord rec, Interpretation interpretation) {
    Thread t =
        Thread.ofVirtual()
            .name("sfn-exec-", rec.seq)
            .unstarted(() -> runToEnd(rec, interpretation));
    rec.thread(t);
    t.start();
  }

  private void runToEnd(ExecutionRecord rec, Interpretation interpretation) {
    ExecutionOutcome outcome;
    try {
      outcome = interpretation.run();
      if (outcome == null) {
        outcome =
            new ExecutionOutcome(
                ExecutionOutcome.Status.FAILED,
                null,
                "States.Runtime",
                "The interpreter returned no outcome");
      }
    } catch (Throwable t) {
      LOG.error("Execution {} failed inside the local interpreter", rec.arn, t);
      outcome =
          new ExecutionOutcome(
              ExecutionOutcome.Status.FAILED,
              null,
              "States.Runtime",
              "Internal error in the local Step Functions interpreter: " + t);
    }
    if (closing && outcome.status() == ExecutionOutcome.Status.ABORTED) {
      // Interrupted by close(): leave it RUNNING on disk; the next start resumes it instead of
      // pretending a user aborted it.
      return;
    }
    if (recorder.finish(rec, outcome)) {
      running.remove(rec);
    }
  }

  /**
   * Stops a running execution (ABORTED, with an ExecutionAborted event); for an execution that has
   * already ended this changes nothing. Returns its stop time.
   */
  long stop(ExecutionRecord rec, String error, String cause) {
    Thread t = rec.thread();
    ObjectNode d = Json.object();
    HistoryRecorder.putIfNotNull(d, "error", error);
    HistoryRecorder.putIfNotNull(d, "cause", cause);
    if (recorder.end(rec, "ABORTED", null, error, cause, "ExecutionAborted", d)) {
      running.remove(rec);
      if (t != null) {
        t.interrupt();
      }
    }
    return rec.snapshot().stopMillis();
  }

  /**
   * Interrupts running executions without recording an outcome for them (the next start resumes
   * them) and waits up to 5 s for their threads.
   */
  @Override
  public void close() {
    closing = true;
    List<Thread> threads = new ArrayList<>();
    for (ExecutionRecord rec : running) {
      Thread t = rec.thread();
      if (t != null) {
        threads.add(t);
        t.interrupt();
      }
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    for (Thread t : threads) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        break;
      }
      try {
        t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
  }
}
