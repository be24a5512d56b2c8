package dev.hsipipeline.local.sfn.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.hsipipeline.local.sfn.asl.ExecutionContext;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * The execution operations: StartExecution (with AWS's idempotency for STANDARD workflows),
 * describe, list, history pages, stop and redrive. Reads come from the {@link ExecutionIndex} (and
 * the database for cold executions); running is the {@link ExecutionRunner}'s job.
 */
final class Executions {
  /** Largest execution input AWS accepts (bytes, UTF-8). */
  static final int MAX_INPUT_BYTES = 262_144;

  private final String region;
  private final String accountId;
  private final StateMachines machines;
  private final ExecutionIndex index;
  private final ExecutionRunner runner;
  private final HistoryRecorder recorder;
  private final GroupCommitWriter writer;
  private final Database db;

  Executions(
      String region,
      String accountId,
      StateMachines machines,
      ExecutionIndex index,
      ExecutionRunner runner,
      HistoryRecorder recorder,
      GroupCommitWriter writer,
      Database db) {
    this.region = region;
    this.accountId = accountId;
    this.machines = machines;
    this.index = index;
    this.runner = runner;
    this.recorder = recorder;
    this.writer = writer;
    this.db = db;
  }

  /**
   * Starts an execution, or returns the running one with the same name and input (AWS's idempotency
   * for STANDARD workflows). Returns after the execution is durably recorded.
   */
  ExecutionRecord start(String smArn, String name, String input) {
    StateMachineRecord sm = machines.require(smArn);
    if (name == null) {
      name = UUID.randomUUID().toString();
    } else {
      String tooLongOrEmpty = Names.lengthViolation(name);
      if (tooLongOrEmpty != null) {
        throw ApiException.validation(tooLongOrEmpty);
      }
      String problem = Names.nameProblem(name);
      if (problem != null) {
        throw ApiException.invalidName(name, problem);
      }
    }
    if (input == null) {
      input = "{}";
    }
    if (input.length() > MAX_INPUT_BYTES / 4
        && input.getBytes(StandardCharsets.UTF_8).length > MAX_INPUT_BYTES) {
      throw ApiException.validation(
          "1 validation error detected: Value at 'input' failed to satisfy constraint: "
              + "Member must have length less than or equal to "
              + MAX_INPUT_BYTES);
    }
    JsonNode inputNode;
    try {
      inputNode = Json.MAPPER.readTree(input);
    } catch (JsonProcessingException e) {
      throw ApiException.invalidExecutionInput(
          "input is not valid JSON: "
              + e.getOriginalMessage()
              + " at character "
              + e.getLocation().getCharOffset());
    }
    if (inputNode == null || inputNode.isMissingNode()) {
      throw ApiException.invalidExecutionInput("input is empty; pass a JSON text such as {}");
    }
    if (runner.isClosing()) {
      throw ApiException.unavailable("The local Step Functions server is shutting down");
    }
    String arn = Names.executionArn(region, accountId, sm.name(), name);
    ExecutionRecord existing = index.get(arn);
    if (existing != null) {
      return idempotent(existing, input);
    }
    ExecList list = index.of(sm.arn());
    if (list == null) {
      throw ApiException.stateMachineDoesNotExist(smArn);
    }
    ExecutionRecord rec = null;
    long now = System.currentTimeMillis();
    CompletableFuture<Void> durable = new CompletableFuture<>();
    synchronized (list) {
      existing = index.get(arn);
      if (existing == null) {
        rec =
            new ExecutionRecord(
                index.nextSeq(),
                arn,
                name,
                sm.arn(),
                sm.name(),
                sm.revision(),
                now,
                input,
                durable);
        index.add(list, rec);
        writer.enqueue(new WriteOp.InsertExecution(rec, input, null));
      }
    }
    if (rec == null) {
      return idempotent(existing, input); // waits for a commit: not under the list's lock
    }
    Revision rev = sm.revision();
    recorder.record(
        rec, "ExecutionStarted", HistoryRecorder.startedDetails(input, rev.roleArn), null, 0);
    // Answer only once the execution row and its ExecutionStarted event are committed: the
    // barrier follows both in the writer's queue.
    if (!writer.enqueue(new WriteOp.Barrier(durable))) {
      durable.completeExceptionally(new IllegalStateException("shutting down"));
      throw ApiException.unavailable("The local Step Functions server is shutting down");
    }
    runner.start(
        rec,
        rev,
        inputNode,
        new ExecutionContext(
            arn, name, Instant.ofEpochMilli(now), rev.roleArn, sm.arn(), sm.name()));
    GroupCommitWriter.awaitDurable(durable);
    return rec;
  }

  private static ExecutionRecord idempotent(ExecutionRecord existing, String input) {
    // A repeated start (a redelivered message) succeeds only once the first one is durable:
    // otherwise its caller could delete the message of an execution a kill then undoes.
    existing.awaitStartCommitted();
    String runningInput = existing.inputIfRunning();
    if (runningInput != null && runningInput.equals(input)) {
      return existing;
    }
    throw ApiException.executionAlreadyExists(existing.arn);
  }

  /** The execution, or ExecutionDoesNotExist. */
  ExecutionRecord get(String arn) {
    return index.require(arn);
  }

  /** input and output of an execution (from memory when hot, else from the database). */
  String[] inputOutput(ExecutionRecord rec, ExecutionRecord.Snapshot s) {
    if (!s.cold()) {
      return new String[] {s.input(), s.output()};
    }
    return db.loadInputOutput(rec.seq);
  }

  /**
   * A page of the executions of {@code smArn}, newest first; {@code redriven} (may be null) keeps
   * only those that were (not) redriven.
   */
  ExecutionIndex.Page list(
      String smArn, String statusFilter, Boolean redriven, int max, String token) {
    StateMachineRecord sm = machines.require(smArn);
    return index.page(sm.arn(), statusFilter, redriven, max, token);
  }

  /**
   * Stops a running execution (ABORTED, with an ExecutionAborted event); for an execution that has
   * already ended this changes nothing and returns its stop date.
   */
  long stop(String arn, String error, String cause) {
    return runner.stop(index.require(arn), error, cause);
  }

  /** RedriveExecution ({@code clientToken} may be null); returns the redrive date. */
  long redrive(String arn, String clientToken) {
    return runner.redrive(index.require(arn), clientToken);
  }

  /** A page of history events. */
  record HistoryPage(List<HistoryEvent> events, String nextToken) {}

  HistoryPage history(String arn, int max, boolean reverse, String token) {
    ExecutionRecord rec = index.require(arn);
    int last = rec.lastEventId();
    String prefix = "h:" + rec.seq + ":" + (reverse ? "r" : "f") + ":";
    int start;
    if (token == null) {
      start = reverse ? last : 1;
    } else {
      String raw = Json.untoken(token);
      if (!raw.startsWith(prefix)) {
        throw ApiException.invalidToken(
            "the token belongs to a different GetExecutionHistory request");
      }
      try {
        start = Integer.parseInt(raw.substring(prefix.length()));
      } catch (NumberFormatException e) {
        throw ApiException.invalidToken("malformed token");
      }
    }
    int from;
    int to;
    String next = null;
    if (!reverse) {
      from = start;
      to = (int) Math.min(last, (long) start + max - 1);
      if (to < last) {
        next = Json.token(prefix + (to + 1));
      }
    } else {
      to = Math.min(start, last);
      from = Math.max(1, to - max + 1);
      if (from > 1) {
        next = Json.token(prefix + (from - 1));
      }
    }
    if (from > to) {
      return new HistoryPage(List.of(), null);
    }
    List<HistoryEvent> events = rec.eventsInMemory(from, to);
    if (events == null) {
      events = db.loadEvents(rec.seq, from, to);
    }
    if (reverse) {
      events = new ArrayList<>(events);
      Collections.reverse(events);
    }
    return new HistoryPage(events, next);
  }
}
